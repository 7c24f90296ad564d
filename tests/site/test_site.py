"""The real `mkdocs build --strict` with mkdocs-material, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main
from govkit.commands.build import build
from tests.conftest import snapshot


def test_example_site_builds_strict_and_offline(example_html: Path) -> None:
    html_dir = example_html
    card = (html_dir / "models/churn/index.html").read_text()
    assert "Model Card: Churn Prediction v2.3.0" in card
    assert "Performs poorly for users with &lt;10 sessions (AUC drops to 0.72)" in card
    upsell = (html_dir / "models/upsell/index.html").read_text()
    assert 'class="admonition failure"' in upsell
    assert "gk-fail" in upsell and "<svg" in upsell  # Material icon inlined, not an emoji glyph
    for page in html_dir.rglob("*.html"):
        text = page.read_text()
        assert "fonts.googleapis.com" not in text, page
        assert "cdn.jsdelivr" not in text, page


def test_failed_site_build_keeps_previous_site(
    built_example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = built_example
    html_dir = example.parent / "build/site-html"
    before = snapshot(html_dir)
    # a hand-written page with a broken link makes strict mkdocs fail
    (example.parent / "site/notes.md").write_text("# Notes\n\n[broken](missing.md)\n")
    capsys.readouterr()
    assert main(["-C", str(example), "build", "--html"]) == 2
    assert "mkdocs build --strict failed" in capsys.readouterr().err
    assert snapshot(html_dir) == before


def test_every_list_item_is_its_own_bullet(example_html: Path) -> None:
    """Limitations with three items are three <li>, not one run-together line."""
    import re

    card = (example_html / "models/churn/index.html").read_text()
    section = card.split('id="limitations"')[1].split("<h2")[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    assert items == ["Performs poorly for users with &lt;10 sessions (AUC drops to 0.72)",
                     "Seasonal effects not fully captured (holiday periods)",
                     "Does not account for promotional offers"]


def _nav_links(page: str) -> list[tuple[str, str]]:
    """(href, label) of every navigation link of a built page, in document order."""
    import html
    import re

    found = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*"[^>]*>(.*?)</a>', page, re.S)
    return [(href, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", label)).split()))
            for href, label in found]


def test_navigation_names_models_and_sorts_versions_newest_first(example: Path) -> None:
    """Issue 11, findings 3 and 6: MkDocs alone names the section "Churn" and lists
    2.10.0, 2.2.0, 2.3.0, 2.9.0."""
    releases = example / "churn/releases"
    for version in ("2.9.0", "2.10.0"):
        text = (releases / "2.3.0.yaml").read_text().replace('"2.3.0"', f'"{version}"')
        (releases / f"{version}.yaml").write_text(text.replace("2024-01-15", "2024-03-01"))
    build(example, html=True)
    site = example.parent / "build/site-html"
    links = _nav_links((site / "models/churn/versions/2.3.0.html").read_text())
    versions = [href for href, _ in links if href[:1].isdigit()]
    assert versions == ["2.10.0.html", "2.9.0.html", "2.3.0.html", "2.2.0.html"]
    assert ("../index.html", "Churn Prediction") in links
    # a model's pages list only that model; the home page lists them all
    assert not any("upsell" in href for href, _ in links)
    home = _nav_links((site / "index.html").read_text())
    assert ("models/upsell/index.html", "Upsell Propensity") in home
    assert "<title>Churn Prediction v2.3.0 - " in (
        site / "models/churn/versions/2.3.0.html").read_text()


def test_site_opens_from_the_file_system(example_html: Path) -> None:
    """Links name pages (not folders) and search reads its index from a script."""
    site = example_html
    home = (site / "index.html").read_text()
    assert 'href="models/churn/index.html"' in home
    assert "assets/javascripts/govkit-file-worker.js" in home
    index = (site / "search/search_index.js").read_text()
    assert index.startswith("var __index = {") and "Churn Prediction" in index


def test_home_banner_never_calls_unchecked_metrics_passing(tmp_path: Path) -> None:
    """Issue 11, finding 4: with no failure but a metric without a range, the home page said
    'Every documented check ... passes'."""
    from govkit.commands.init import init_project

    init_project(tmp_path, "Unchecked")
    release = tmp_path / "models/example/releases/1.0.0.yaml"
    release.write_text(release.read_text().replace(
        "metrics:\n", "metrics:\n  latency_ms:\n    value: 12\n"))
    build(tmp_path)
    home = (tmp_path / "docs/index.md").read_text()
    assert "passes" not in home.split("## Models")[0].replace("1 passes", "")
    assert '!!! warning "No documented check fails, but 1 of 2 metrics is not checked"' in home
    assert "1 without a documented allowed range, 0 with too little data; 1 passes." in home
    release.write_text(release.read_text().replace("  latency_ms:\n    value: 12\n", ""))
    build(tmp_path)
    home = (tmp_path / "docs/index.md").read_text()
    assert ('!!! success "Every documented check of the serving releases and of production '
            'passes (1 check)"') in home


def test_many_models_are_grouped_in_the_navigation(tmp_path: Path) -> None:
    """With more than 25 models, the home page lists a group per status, each in groups of 25;
    a model's page lists only that model, so its HTML does not grow with the fleet
    (benchmarks/site_scale.py)."""
    import shutil

    from govkit.commands.init import init_project

    init_project(tmp_path, "Fleet")
    names = [f"m{i:02d}" for i in range(27)]
    for name in names:
        folder = tmp_path / "models" / name
        shutil.copytree(tmp_path / "models/example", folder)
        card = folder / "card.yaml"
        card.write_text(card.read_text().replace("title: Example Model", f"title: Model {name}"))
    shutil.rmtree(tmp_path / "models/example")
    (tmp_path / "govkit.yaml").write_text(
        "project: Fleet\nmodels:\n" + "".join(f"  - name: {n}\n" for n in names))
    build(tmp_path, html=True)
    site = tmp_path / "build/site-html"
    home = [label for _, label in _nav_links((site / "index.html").read_text())]
    assert "pass (27)" in home  # one group per dashboard status (issue 24), then groups of 25
    page = (site / "models/m00/versions/1.0.0.html").read_text()
    labels = [label for _, label in _nav_links(page)]
    assert "Model m00" in labels and "Model m00 v1.0.0" in labels  # its own pages
    assert not any(label.startswith("Model m") and not label.startswith("Model m00")
                   for label in labels), labels  # no other model, no other group
    assert "pass (27)" in page and "Model m00 – Model m24" in page  # its groups: the path
    before = (site / "models/m01/versions/1.0.0.html").stat().st_size
    assert abs((site / "models/m26/versions/1.0.0.html").stat().st_size - before) < 200
