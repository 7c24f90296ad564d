from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, for before/after comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_example(root: Path) -> Path:
    """Copy the bundled example project (examples/ + the top-level mkdocs.yml) into `root`."""
    shutil.copytree(REPO / "examples", root / "examples",
                    ignore=shutil.ignore_patterns("*.db", "mlruns", "__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root / "examples"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled example project, the working directory of the test."""
    monkeypatch.chdir(tmp_path)
    return copy_example(tmp_path)


@pytest.fixture(scope="session")
def example_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example built once per session with `build --html`: its site-html folder.
    Read it only; a test that changes the project takes `example` and builds its own."""
    from govkit.commands.build import build

    project = copy_example(tmp_path_factory.mktemp("example-html"))
    build(project, html=True)
    return project.parent / "build/site-html"


@pytest.fixture
def built_example(example_html: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example after `build --html` (docs, site-html, manifests), to change."""
    root = example_html.parent.parent
    for name in ("examples", "site", "build", "mkdocs.yml"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, symlinks=True)
        else:
            shutil.copy2(source, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "examples"
