"""Dossiers (govkit/site/dossier.py): one per model version and enabled profile, sections in
the order the profile's requirements select their evidence, a cover that names the git
revision only when `build --revision` gives one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govkit.checks.profiles import versions_coverage
from govkit.checks.project import check_project
from govkit.cli import main
from govkit.site.dossier import COVERAGE, SECTIONS, section_order
from govkit.site.pages import build_pages
from tests.checks.test_profiles import CONFIG, PROFILE, RELEASE, _load, _project
from tests.conftest import snapshot

# A team profile asking first for monitoring, then postmortems, then the card
MONITORING_FIRST = PROFILE.replace("  - id: uses\n", "  - id: monitored-first\n"
                                   "    title: Monitored\n    summary: A recent window.\n"
                                   "    reference: Policy 0\n    evidence:\n"
                                   "      - {kind: within_cadence}\n      - {kind: postmortem}\n"
                                   "  - id: uses\n", 1)


def _headings(text: str) -> list[str]:
    return re.findall(r"(?m)^## (.+)$", text)


def _pages(root: Path) -> dict[str, str]:
    project = _load(root)
    results = check_project(project, "all")
    return {p.path: str(p.content) for p in build_pages(
        project, results, coverage=versions_coverage(project, results))
            if p.path.endswith(".md")}


def test_one_dossier_per_version_and_profile(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", config=CONFIG.replace(
        "  - profiles/team.yaml\n", "  - profiles/team.yaml\n  - sr-11-7\n"))
    (root / "models/risk/releases/1.0.yaml").write_text(
        RELEASE.replace('"2.0"', '"1.0"').replace("2024-03-01", "2023-09-01"))
    pages = _pages(root)
    dossiers = sorted(p for p in pages if "/dossiers/" in p)
    assert dossiers == ["models/risk/dossiers/1.0/sr-11-7.md", "models/risk/dossiers/1.0/team.md",
                        "models/risk/dossiers/2.0/sr-11-7.md", "models/risk/dossiers/2.0/team.md"]
    old = pages["models/risk/dossiers/1.0/team.md"]
    assert "# Risk 1.0: dossier (Team)" in old and "| **Date** | 2023-09-01 " in old
    assert "not serving; the serving version is 2.0" not in old  # none is known to serve
    assert "| **Version** | 1.0 (no serving version known) |" in old
    assert "judged on version 1.0's own release checks" in old  # not on 2.0
    new = pages["models/risk/dossiers/2.0/team.md"]
    assert "judged on version" not in new  # the serving version: its requirement checks


def test_sections_follow_the_profiles_order(tmp_path: Path) -> None:
    shipped = _headings(_pages(_project(tmp_path / "a"))["models/risk/dossiers/2.0/team.md"])
    # the team profile asks for the card, then the release checks, monitoring, incidents
    assert shipped[:4] == ["Model card", "Evaluation", "Monitoring summary", "Incidents"]
    mine = _headings(_pages(_project(tmp_path / "b", profile=MONITORING_FIRST))[
        "models/risk/dossiers/2.0/team.md"])
    assert mine[:4] == ["Monitoring summary", "Incidents", "Model card", "Evaluation"]
    assert mine[-1] == "Profile coverage" and sorted(mine) == sorted(SECTIONS.values())


def test_without_a_profile_one_dossier_in_a_technical_files_order(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", config=CONFIG.split("profiles:")[0])
    pages = _pages(root)
    text = pages["models/risk/dossiers/2.0/dossier.md"]
    assert _headings(text) == list(SECTIONS.values())
    assert "No governance profile is enabled" in text
    assert section_order(None) == list(SECTIONS) and section_order(None)[-1] == COVERAGE


def test_the_cover_names_a_revision_only_when_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path / "p")
    page = root / "docs" / "models/risk/dossiers/2.0/team.md"
    assert main(["-C", str(root), "build"]) == 0
    first = snapshot(root / "docs")
    assert "Git revision" not in page.read_text() and "inputs digest `" in page.read_text()
    assert main(["-C", str(root), "build"]) == 0
    assert snapshot(root / "docs") == first  # same inputs, same bytes

    assert main(["-C", str(root), "build", "--revision", "3f2a9c1e"]) == 0
    text = page.read_text()
    assert "| **Git revision** | `3f2a9c1e` (as given to `govkit build --revision`) |" in text
    assert "inputs digest `" in text

    capsys.readouterr()
    assert main(["-C", str(root), "build", "--revision", "x; rm -rf /"]) == 2
    assert "--revision: 'x; rm -rf /' is not a git revision" in capsys.readouterr().err
    assert "3f2a9c1e" in page.read_text()  # nothing written


def test_every_card_links_its_versions_dossiers(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", config=CONFIG.replace(
        "  - profiles/team.yaml\n", "  - profiles/team.yaml\n  - sr-11-7\n"))
    (root / "models/risk/releases/1.0.yaml").write_text(
        RELEASE.replace('"2.0"', '"1.0"').replace("2024-03-01", "2023-09-01"))
    pages = _pages(root)
    for card, base, version in [("models/risk/versions/1.0.md", "../", "1.0"),
                                ("models/risk/versions/2.0.md", "../", "2.0"),
                                ("models/risk/index.md", "", "2.0")]:
        line = f"Dossiers: [Team]({base}dossiers/{version}/team.md) · " \
               f"[SR 11-7]({base}dossiers/{version}/sr-11-7.md)"
        assert line + "\n\n" in pages[card], card  # its own paragraph, not the summary's
    without = _pages(_project(tmp_path / "q", config=CONFIG.split("profiles:")[0]))
    assert "Dossier: [Risk 2.0](../dossiers/2.0/dossier.md)" in \
        without["models/risk/versions/2.0.md"]


def test_the_dossier_links_resolve_in_the_strict_site(example_html: Path) -> None:
    """The real `mkdocs build --strict` of the example: each card's dossier links open a
    built dossier page."""
    cards = [example_html / "models/churn/index.html",
             *sorted((example_html / "models/churn/versions").rglob("*.html"))]
    assert len(cards) >= 3
    for card in cards:
        text = card.read_text(encoding="utf-8")
        text = text[text.index("<article"):text.index("</article>")]  # not the navigation
        hrefs = re.findall(r'href="([^"#]*dossiers/[^"#]*)"', text)
        assert len(hrefs) == 3, (card, hrefs)  # Annex IV, SR 11-7, NIST AI RMF
        for href in hrefs:
            target = (card.parent / href).resolve()
            if target.is_dir() or href.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), (card, href)
            assert "dossier" in target.read_text(encoding="utf-8")


def _coverage_rows(text: str) -> dict[str, str]:
    return dict(re.findall(r"(?m)^\| \[([^\]]+)\]\([^)]*\)(?: \(required\))? \| [^|]+ \| "
                           r"([a-z ]+) \|$", text))


def test_a_dossier_shows_its_own_versions_coverage(tmp_path: Path) -> None:
    """1.0 fails its documented range, 2.0 (the serving version) holds it: each version's
    dossier judges the release checks and monitoring of its own version."""
    root = _project(tmp_path / "p")
    (root / "models/risk/releases/1.0.yaml").write_text(
        RELEASE.replace('"2.0"', '"1.0"').replace("2024-03-01", "2023-09-01")
        .replace("0.9", "0.7"))
    pages = _pages(root)
    old = pages["models/risk/dossiers/1.0/team.md"]
    new = pages["models/risk/dossiers/2.0/team.md"]
    assert _coverage_rows(new)["Ranges hold"] == "evidenced"
    assert _coverage_rows(old)["Ranges hold"] == "missing"
    # shared documents (the card, incidents) are judged the same for every version
    for title in ("Intended use", "Card reviewed", "Postmortems"):
        assert _coverage_rows(old)[title] == _coverage_rows(new)[title]
    assert "evaluated on the serving version" not in old
    assert "judged on version 1.0's own release checks and monitoring" in old
    assert "judged on version" not in new
    # without the per-version coverage (the checks stage computes it), the serving
    # version's is shown and named
    project = _load(root)
    bare = {p.path: str(p.content) for p in build_pages(project, check_project(project, "all"))}
    assert "evaluated on the serving version 2.0" in bare["models/risk/dossiers/1.0/team.md"]
