"""Issue 8: govkit writes and deletes only what it owns, and a failed or killed build
leaves the previous output as it was. Real files, real symlinks, the real CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from govkit.cli import main
from govkit.commands.build import build
from govkit.commands.init import init_project
from tests.conftest import REPO, snapshot


def _set(project: Path, key: str, value: str) -> None:
    """Set a top-level key of govkit.yaml (replacing its line, or appending it)."""
    config = project / "govkit.yaml"
    text = config.read_text()
    line = f"{key}: {value}"
    new, count = re.subn(rf"^{key}: .*$", line, text, flags=re.M)
    config.write_text(new if count else text + line + "\n")


def _run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(project), "build", *args])
    return code, capsys.readouterr().err


def _tree(folder: Path) -> dict[str, str]:
    """Every entry below `folder` (symlinks not followed): files by bytes, links by target."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                out[rel] = path.read_bytes().decode("latin-1")
            else:
                out[rel] = "/"
    return out


def _leftovers(root: Path) -> list[str]:
    """Scratch folders and temporary configs that only a running build may hold."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*")
                  if ".govkit-tmp" in p.name or p.name.startswith(".govkit-mkdocs")
                  or re.fullmatch(r"\.site-html\.(\w{8}|old)", p.name))


# -- 1. never through a symlink ---------------------------------------------------------------

def test_symlinked_folder_inside_docs_receives_no_page(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(example)
    site, elsewhere = example.parent / "site", example.parent / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(site / "models/churn")
    (site / "models/churn").symlink_to(elsewhere)
    before = _tree(site)
    code, err = _run(example, capsys=capsys)
    assert code == 2
    assert "site/models/churn: is a symlink" in err and "nothing was written" in err
    assert list(elsewhere.iterdir()) == []
    assert _tree(site) == before


def test_symlinked_page_inside_docs_is_not_replaced(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(example)
    site, outside = example.parent / "site", example.parent / "outside.md"
    outside.write_text("mine\n")
    (site / "index.md").unlink()
    (site / "index.md").symlink_to(outside)
    code, err = _run(example, capsys=capsys)
    assert code == 2 and "site/index.md: is a symlink" in err
    assert (site / "index.md").is_symlink() and outside.read_text() == "mine\n"


@pytest.mark.parametrize("docs_dir", ["../site", "../out/site"])
def test_docs_dir_reached_through_a_symlink_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str], docs_dir: str
) -> None:
    elsewhere = example.parent / "elsewhere"
    elsewhere.mkdir()
    link = example.parent / docs_dir.removeprefix("../").split("/")[0]
    link.symlink_to(elsewhere)
    _set(example, "docs_dir", docs_dir)
    code, err = _run(example, capsys=capsys)
    assert code == 2 and f"{link.name}: is a symlink" in err
    assert list(elsewhere.iterdir()) == []


def test_symlinked_html_dir_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = example.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep\n")
    (example.parent / "build").mkdir()
    (example.parent / "build/site-html").symlink_to(elsewhere)
    code, err = _run(example, "--html", capsys=capsys)
    assert code == 2 and "build/site-html: is a symlink" in err
    assert _tree(elsewhere) == {"keep.txt": "keep\n"}
    assert not (example.parent / "site").exists()


# -- 2. the folders govkit owns vs the project's inputs ----------------------------------------

@pytest.mark.parametrize(("key", "value", "html", "why"), [
    ("html_dir", ".", True, "is the project folder"),
    ("html_dir", "..", True, "contains the project folder"),
    ("html_dir", "churn", True, "is the folder of model 'churn'"),
    ("html_dir", "churn/html", True, "is inside the folder of model 'churn'"),
    ("html_dir", "templates", True, "is templates_dir"),
    ("html_dir", "../site", True, "is docs_dir"),
    ("html_dir", "../site/html", True, "is inside docs_dir"),
    ("html_dir", "../build", True, "contains the mkdocs config"),
    ("docs_dir", ".", False, "is the project folder"),
    ("docs_dir", "..", False, "contains the project folder"),
    ("docs_dir", "upsell/docs", False, "is inside the folder of model 'upsell'"),
    ("docs_dir", "templates/docs", False, "is inside templates_dir"),
])
def test_output_folders_may_not_overlap_inputs(
    example: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, html: bool,
    why: str,
) -> None:
    if value == "../build":
        _set(example, "mkdocs_config", "../build/mkdocs.yml")
        (example.parent / "build").mkdir()
        shutil.move(example.parent / "mkdocs.yml", example.parent / "build/mkdocs.yml")
    _set(example, key, value)
    before = snapshot(example.parent)
    code, err = _run(example, *(["--html"] if html else []), capsys=capsys)
    assert code == 2, err
    line = next(i for i, text in enumerate((example / "govkit.yaml").read_text().splitlines(), 1)
                if text.startswith(f"{key}:"))
    assert f"govkit.yaml:{line}: {key}: '{value}' {why}" in err
    assert snapshot(example.parent) == before


def test_docs_dir_inside_html_dir_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _set(example, "docs_dir", "../build/site-html/docs")
    code, err = _run(example, "--html", capsys=capsys)
    assert code == 2 and "html_dir: '../build/site-html' contains docs_dir" in err
    assert not (example.parent / "build").exists()


def test_output_inside_models_dir_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    init_project(tmp_path, "Layout")
    _set(tmp_path, "docs_dir", "models/docs")
    before = snapshot(tmp_path)
    code, err = _run(tmp_path, capsys=capsys)
    assert code == 2 and "docs_dir: 'models/docs' is inside models_dir" in err
    assert snapshot(tmp_path) == before


def test_html_dir_with_files_govkit_did_not_write_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    html_dir = example.parent / "build/site-html"
    html_dir.mkdir(parents=True)
    (html_dir / "CNAME").write_text("docs.example.com\n")
    code, err = _run(example, "--html", capsys=capsys)
    assert code == 2 and "build/site-html/CNAME: govkit did not write this file" in err
    assert _tree(html_dir) == {"CNAME": "docs.example.com\n"}
    assert not (example.parent / "site").exists()


def test_html_dir_changed_after_govkit_built_it_is_refused(
    built_example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = built_example
    html_dir = example.parent / "build/site-html"
    (html_dir / "notes.txt").write_text("hand-written\n")
    code, err = _run(example, "--html", capsys=capsys)
    assert code == 2 and "build/site-html/notes.txt: govkit did not write this file" in err
    (html_dir / "notes.txt").unlink()
    page = html_dir / "models/churn/index.html"
    page.write_text(page.read_text() + "<!-- edited -->")
    code, err = _run(example, "--html", capsys=capsys)
    assert code == 2 and "models/churn/index.html: changed since govkit wrote it" in err
    assert page.read_text().endswith("<!-- edited -->")


# -- 3. delete only what govkit wrote -----------------------------------------------------------

def test_page_changed_by_hand_survives_when_its_version_goes_away(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(example)
    site = example.parent / "site"
    mine = site / "models/churn/versions/2.2.0.md"
    mine.write_text("# My notes on 2.2.0\n")
    edited = site / "models/upsell/history.md"
    edited.write_text(edited.read_text() + "\nA note added by hand.\n")
    (example / "churn/releases/2.2.0.yaml").unlink()
    config = example / "govkit.yaml"  # upsell is no longer documented
    config.write_text(re.sub(r"^  - name: upsell$", "", config.read_text(), flags=re.M))
    shutil.rmtree(example / "upsell")
    assert _run(example, capsys=capsys)[0] == 0
    assert mine.read_text() == "# My notes on 2.2.0\n"
    assert edited.read_text().endswith("A note added by hand.\n")
    assert not (site / "models/upsell/index.md").exists()  # unchanged generated pages go
    manifest = json.loads((site / ".govkit-manifest.json").read_text())
    assert "models/churn/versions/2.2.0.md" not in manifest["files"]


def test_build_reports_the_files_it_kept(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(example)
    page = example.parent / "site/models/churn/versions/2.2.0.md"
    page.write_text("# Mine\n")
    (example / "churn/releases/2.2.0.yaml").unlink()
    capsys.readouterr()
    assert main(["-C", str(example), "build"]) == 0
    err = capsys.readouterr().err
    assert "models/churn/versions/2.2.0.md: kept" in err
    report = build(example).report
    assert report.kept == [] and report.written == []  # kept once, then the file is the user's


def test_manifest_of_older_versions_deletes_only_marked_pages(example: Path) -> None:
    build(example)
    site = example.parent / "site"
    files = sorted(json.loads((site / ".govkit-manifest.json").read_text())["files"])
    (site / ".govkit-manifest.json").write_text(json.dumps(files, indent=1) + "\n")
    (site / "models/churn/versions/2.2.0.md").write_text("# Mine\n")
    shutil.rmtree(example / "churn/monitoring")
    (example / "churn/releases/2.2.0.yaml").unlink()
    report = build(example).report
    # the window's page, its trend chart and its drift charts (SVGs carry govkit's mark) go
    window = "models/churn/monitoring/2024-02-01"
    dossiers = [f"models/churn/dossiers/2.2.0/{p}.md"  # the removed version's, govkit's own
                for p in ("eu-ai-act-annex-iv", "nist-ai-rmf", "sr-11-7")]
    assert report.deleted == ["models/churn/charts/auc-roc-windows.svg",
                              "models/churn/charts/business-retention-30d-change-windows.svg",
                              "models/churn/charts/service-error-rate-windows.svg",
                              "models/churn/charts/service-p99-latency-windows.svg",
                              *dossiers, f"{window}.md",
                              f"{window}/device.svg", f"{window}/session-minutes.svg",
                              f"{window}/sessions-30d.svg"]
    assert (site / "models/churn/versions/2.2.0.md").read_text() == "# Mine\n"


# -- 4. all or nothing --------------------------------------------------------------------------

def test_failed_mkdocs_changes_neither_docs_nor_html(
    built_example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = built_example
    site, html_dir = example.parent / "site", example.parent / "build/site-html"
    (site / "notes.md").write_text("# Notes\n\n[broken](missing.md)\n")
    docs_before, html_before = _tree(site), _tree(html_dir)
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace("Churn Prediction", "Churn Forecast"))
    code, err = _run(example, "--html", capsys=capsys)
    assert code == 2 and "mkdocs build --strict failed" in err
    assert _tree(site) == docs_before and _tree(html_dir) == html_before
    assert _leftovers(example.parent) == []


def test_rebuild_without_change_writes_and_swaps_nothing(example: Path) -> None:
    build(example)
    site = example.parent / "site"
    inode = site.stat().st_ino
    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    report = build(example).report
    assert report.written == [] and report.deleted == [] and len(report.unchanged) > 10
    assert site.stat().st_ino == inode
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == stamps
    assert _leftovers(example.parent) == []


def test_a_change_keeps_hand_written_entries_and_unchanged_pages_as_they_were(
    example: Path,
) -> None:
    build(example)
    site = example.parent / "site"
    (site / "about.md").write_text("# About\n")
    (site / "about.md").chmod(0o640)
    os.utime(site / "about.md", ns=(1_000_000_000, 1_000_000_000))
    (site / "models/churn/notes").mkdir()  # an empty folder made by hand
    (example.parent / "shared.md").write_text("# Shared\n")
    (site / "shared.md").symlink_to("../shared.md")
    site.chmod(0o750)
    churn = site / "models/churn/versions/2.3.0.md"
    churn_stat = churn.stat()
    card = example / "upsell/card.yaml"
    card.write_text(card.read_text().replace("Upsell", "Cross-sell"))
    report = build(example).report
    assert "models/upsell/index.md" in report.written and "index.md" in report.written
    assert "models/churn/versions/2.3.0.md" in report.unchanged
    assert "about.md" not in report.written + report.unchanged + report.deleted
    about = (site / "about.md").stat()
    assert (site / "about.md").read_text() == "# About\n"
    assert (about.st_mode & 0o777, about.st_mtime_ns) == (0o640, 1_000_000_000)
    assert (site / "models/churn/notes").is_dir()
    assert os.readlink(site / "shared.md") == "../shared.md"
    assert site.stat().st_mode & 0o777 == 0o750
    assert (churn.stat().st_ino, churn.stat().st_mtime_ns) == (
        churn_stat.st_ino, churn_stat.st_mtime_ns)
    assert _leftovers(example.parent) == []


# Enough pages that writing the tree takes a few milliseconds, the window the kills aim at.
KILL_MODELS = 10


def _many_models(root: Path, count: int, title: str) -> None:
    """A project of `count` models x 4 versions whose every page shows `title`."""
    if not (root / "govkit.yaml").exists():
        init_project(root, "Kill test")
        shutil.rmtree(root / "models/example")
    names = [f"m{i:03d}" for i in range(count)]
    (root / "govkit.yaml").write_text(
        "project: Kill test\nmodels:\n" + "".join(f"  - name: {n}\n" for n in names))
    card = (REPO / "examples/churn/card.yaml").read_text()
    for name in names:
        folder = root / "models" / name
        (folder / "releases").mkdir(parents=True, exist_ok=True)
        (folder / "card.yaml").write_text(card.replace("Churn Prediction", f"{title} {name}"))
        for v in range(4):
            (folder / f"releases/1.{v}.0.yaml").write_text(
                f'version: "1.{v}.0"\ndate: 2024-0{v + 1}-15\nmetrics:\n'
                f"  auc_roc:\n    value: 0.8{v}\n")


def _spawn(project: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "govkit", "-C", str(project), "build", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _kill_when(proc: subprocess.Popen[bytes], started: Callable[[], bool], delay: float) -> None:
    """SIGKILL the build (and its mkdocs) `delay` seconds after `started()` first holds."""
    deadline = time.monotonic() + 120
    while not started():
        assert proc.poll() is None, "the build finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.0005)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _writing_started(docs: Path, old_index: bytes) -> Callable[[], bool]:
    """True once the build writes: a new entry beside docs/, or docs/index.md rewritten."""
    before = {p.name for p in docs.parent.iterdir()}

    def started() -> bool:
        if {p.name for p in docs.parent.iterdir()} - before:
            return True
        try:
            return (docs / "index.md").read_bytes() != old_index
        except OSError:
            return True
    return started


def test_kill_during_write_leaves_the_old_or_the_new_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    trees = {}
    for title in ("Alpha", "Beta"):
        _many_models(tmp_path, KILL_MODELS, title)
        assert _run(tmp_path, capsys=capsys)[0] == 0
        (docs / "notes.md").write_text("# Hand-written\n")
        trees[title] = _tree(docs)
    assert len(trees["Beta"]) > 5 * KILL_MODELS
    landed = 0  # kills that hit the build while it was writing the new tree
    for attempt, delay in enumerate([0.0, 0.05, 0.0, 0.0, 0.0]):
        title, other = ("Alpha", "Beta") if attempt % 2 == 0 else ("Beta", "Alpha")
        _many_models(tmp_path, KILL_MODELS, title)
        proc = _spawn(tmp_path)
        _kill_when(proc, _writing_started(docs, trees[other]["index.md"].encode("latin-1")),
                   delay)
        state = _tree(docs)
        assert state in (trees[other], trees[title]), "a mix of old and new pages"
        landed += state == trees[other] and bool(_leftovers(tmp_path))
        assert _run(tmp_path, capsys=capsys)[0] == 0
        assert _tree(docs) == trees[title] and _leftovers(tmp_path) == []
        if landed and attempt >= 1:
            break
    assert landed, "no kill landed while the build was writing"


def test_kill_during_mkdocs_keeps_docs_and_html_and_next_build_cleans_up(
    built_example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = built_example
    site, build_dir = example.parent / "site", example.parent / "build"
    docs_before, html_before = _tree(site), _tree(build_dir / "site-html")
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace("Churn Prediction", "Churn Forecast"))
    names = {p.name for p in build_dir.iterdir()}
    proc = _spawn(example, "--html")
    _kill_when(proc, lambda: {p.name for p in build_dir.iterdir()} != names, 0.3)
    assert _tree(site) == docs_before and _tree(build_dir / "site-html") == html_before
    assert _leftovers(example.parent)
    for name in (".site-html.k2x_9q7z", ".site-html.old"):  # left by govkit before 0.2
        (build_dir / name / "models").mkdir(parents=True)
        (build_dir / name / "models/index.html").write_text("<p>old</p>")
    assert _run(example, "--html", capsys=capsys)[0] == 0
    assert _leftovers(example.parent) == []
    assert "Churn Forecast" in (build_dir / "site-html/models/churn/index.html").read_text()


def test_concurrent_builds_both_succeed(example: Path) -> None:
    build(example)
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace("Churn Prediction", "Churn Forecast"))
    procs = [_spawn(example) for _ in range(2)]
    assert [p.wait() for p in procs] == [0, 0]
    assert "Churn Forecast" in (example.parent / "site/models/churn/index.md").read_text()
    assert build(example).report.written == []
    assert _leftovers(example.parent) == []


def test_killed_between_the_two_renames_of_the_fallback_swap(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an atomic exchange (some file systems), the swap is two renames; a build killed
    between them leaves no docs_dir, and the next build puts the old tree back first."""
    build(example)
    site = example.parent / "site"
    before = _tree(site)
    scratch = example.parent / ".site.govkit-tmp"
    scratch.mkdir()
    (scratch / ".govkit-tmp").touch()
    site.rename(scratch / "old-new-0a1b2c3d")  # the state after the first rename
    from govkit.output import staging
    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    report = build(example).report
    assert report.written == [] and _tree(site) == before and _leftovers(example.parent) == []
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace("Churn Prediction", "Churn Forecast"))
    assert "models/churn/index.md" in build(example).report.written
    assert "Churn Forecast" in (site / "models/churn/index.md").read_text()
    assert _leftovers(example.parent) == []


def test_a_folder_with_the_scratch_name_that_govkit_did_not_make_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example.parent / ".site.govkit-tmp").mkdir()
    (example.parent / ".site.govkit-tmp/mine.txt").write_text("mine\n")
    code, err = _run(example, capsys=capsys)
    assert code == 2 and ".site.govkit-tmp: is not a scratch folder govkit made" in err
    assert (example.parent / ".site.govkit-tmp/mine.txt").read_text() == "mine\n"


def test_paths_in_mkdocs_yml_resolve_as_without_staging(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """mkdocs reads the staged Markdown through a config that INHERITs mkdocs.yml; hooks and
    theme.custom_dir (relative to mkdocs.yml) and extra_css (relative to docs_dir) still work."""
    root = example.parent
    (root / "hooks").mkdir()
    (root / "hooks/mark.py").write_text(
        "def on_post_page(output, page, config):\n    return output + '<!-- hooked -->'\n")
    (root / "overrides").mkdir()
    (root / "overrides/main.html").write_text(
        '{% extends "base.html" %}\n{% block extrahead %}<meta name="gk-custom">{% endblock %}\n')
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n",
                                                 "  name: material\n  custom_dir: overrides\n")
                      + "hooks:\n  - hooks/mark.py\n")
    with (example / "govkit.yaml").open("a") as govkit_yaml:  # hooks and custom_dir run code
        govkit_yaml.write("site:\n  trust_mkdocs_config: true\n")
    assert _run(example, "--html", capsys=capsys)[0] == 0
    page = (root / "build/site-html/models/churn/index.html").read_text()
    assert page.endswith("<!-- hooked -->") and '<meta name="gk-custom">' in page
    assert "assets/govkit.css" in page and (root / "build/site-html/assets/govkit.css").is_file()
    assert _leftovers(root) == []


def test_a_relative_symlink_in_docs_still_resolves_when_pages_change(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The next docs folder is built beside the current one at the same depth, so a
    hand-made relative symlink (docs/brand.md -> ../branding/brand.md) reaches its target
    while mkdocs builds from it (it was one folder deeper, and the build failed)."""
    from govkit.cli import main
    from govkit.commands.init import init_project

    init_project(tmp_path, "Symlinks")
    (tmp_path / "branding").mkdir()
    (tmp_path / "branding/brand.md").write_text("# Brand\n\nOur colours.\n")
    assert main(["-C", str(tmp_path), "build", "--html"]) == 0
    (tmp_path / "docs/brand.md").symlink_to("../branding/brand.md")
    card = tmp_path / "models/example/card.yaml"
    card.write_text(card.read_text().replace("Example Model", "Example Forecast"))
    capsys.readouterr()
    assert main(["-C", str(tmp_path), "build", "--html"]) == 0, capsys.readouterr().err
    site = tmp_path / "build/site-html"
    assert "Our colours." in (site / "brand.html").read_text()
    assert "Example Forecast" in (site / "models/example/index.html").read_text()
    assert os.readlink(tmp_path / "docs/brand.md") == "../branding/brand.md"
    assert _leftovers(tmp_path) == []


def test_scratch_records_from_a_pull_request_delete_nothing_of_the_project(
        example: Path) -> None:
    """A committed scratch folder whose records name other paths, or a symlink with the name
    of a staged folder, costs the project nothing: a record names only such a folder, and a
    symlink is removed as a link, never followed."""
    build(example)
    root = example.parent
    precious = root / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("hand-written\n")
    scratch = root / ".site.govkit-tmp"
    scratch.mkdir()
    (scratch / ".govkit-tmp").touch()
    (root / ".site.govkit-tmp-new-0123abcd").symlink_to("precious")
    for name in ("made-.site.govkit-tmp-new-0123abcd", "made-precious", "made-..", "made-"):
        (scratch / name).touch()
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace("Churn Prediction", "Churn Forecast"))
    assert "models/churn/index.md" in build(example).report.written
    assert (precious / "keep.txt").read_text() == "hand-written\n"
    assert not os.path.lexists(root / ".site.govkit-tmp-new-0123abcd")
    assert _leftovers(root) == []
