from __future__ import annotations

import inspect
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.sources.tracking_server import TrackingServer

REPO = Path(__file__).resolve().parent.parent


# --- property tests: the fast loop (docs/development.md) sets GOVKIT_FAST_TESTS=1 ---

FAST = os.environ.get("GOVKIT_FAST_TESTS") == "1"


def examples(n: int) -> int:
    """A property test's `max_examples`: n in the full suite; in the fast loop a fifth of it,
    at least 10 (and never more than n)."""
    return min(n, max(10, n // 5)) if FAST else n


if FAST:  # the same for property tests left at hypothesis's default of 100 examples
    from hypothesis import settings

    settings.register_profile("govkit-fast", max_examples=examples(100))
    settings.load_profile("govkit-fast")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, for before/after comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def without_layers(example: Path) -> Path:
    """The example without the churn card's service SLOs and business KPIs and govkit.yaml's
    `observe:`, for tests that write their own."""
    card, config = example / "churn/card.yaml", example / "govkit.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text[:text.index("\nservice:\n") + 1] + text[text.index("\ntags:") + 1:],
                    encoding="utf-8")
    text = config.read_text(encoding="utf-8")
    config.write_text(text[:text.index("\nobserve:\n") + 1] + text[text.index("\nmodels:") + 1:],
                      encoding="utf-8")
    return example


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


@pytest.fixture(scope="session")
def _churn_windows_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/data/make_churn_windows.py run once per worker, as a user runs it (fixed seed:
    every run writes the same bytes)."""
    out = tmp_path_factory.mktemp("churn-windows")
    subprocess.run([sys.executable, str(REPO / "examples/data/make_churn_windows.py"),
                    "--out", str(out)], check=True, capture_output=True)
    return out


@pytest.fixture
def churn_windows(example: Path, _churn_windows_made: Path) -> Path:
    """The example's data folder after `make_churn_windows.py --out` into it: the files
    that script writes, copied from its one run (tests change them freely)."""
    data = example / "data"
    for made in sorted(_churn_windows_made.iterdir()):
        shutil.copyfile(made, data / made.name)
    return data


# --- markers: what a test needs (pyproject.toml registers them; README has the fast loop) ---

_MLFLOW = re.compile(r"^\s*(import mlflow|from mlflow|from tests\.(sources|mlflow_globals)\b)",
                     re.M)
_MKDOCS = re.compile(r'"--html"|html=True|build_site\(|temp_config\(|"serve"|run_serve\(')
_MKDOCS_FIXTURES = {"example_html", "built_example", "page", "site_html"}
SLOW = {line for line in (REPO / "tests/slow_tests.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")}


def _source(path: Path, cache: dict[Path, str] = {}) -> str:  # noqa: B006 (a cache)
    if path not in cache:
        cache[path] = path.read_text(encoding="utf-8")
    return cache[path]


def _needs(item: pytest.Item) -> set[str]:
    path = Path(str(item.fspath))
    rel = path.relative_to(REPO).as_posix()
    text = _source(path)
    marks = set()
    if rel.startswith("tests/spark/"):
        marks.add("spark")
    if "browser" in path.stem or "from tests import browser" in text \
            or "from tests.browser" in text:
        marks.add("browser")
    if _MLFLOW.search(text):
        marks.add("mlflow")
    function = getattr(item, "function", None)
    body = inspect.getsource(function) if function is not None else ""
    if _MKDOCS_FIXTURES & set(getattr(item, "fixturenames", ())) or _MKDOCS.search(body):
        marks.add("mkdocs")
    if item.nodeid in SLOW:
        marks.add("slow")
    return marks


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for name in sorted(_needs(item)):
            item.add_marker(name)


# --- MLflow's process-wide URIs: a test leaves the worker as it found it ---

def _mlflow_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("MLFLOW_")}


_MLFLOW_ENV_AT_START = _mlflow_env()


@pytest.fixture(autouse=True)
def _no_leaked_mlflow_env() -> Iterator[None]:
    """Fails the test (or the fixture it first set up) that left an MLFLOW_* variable
    different from the worker's start: `mlflow.set_tracking_uri`/`set_registry_uri` export
    MLFLOW_TRACKING_URI/MLFLOW_REGISTRY_URI, which every later test's subprocesses (a
    guide's `train.py`, `mlflow server`) would then inherit."""
    yield
    now = _mlflow_env()
    if now != _MLFLOW_ENV_AT_START:
        changed = sorted(k for k in now.keys() | _MLFLOW_ENV_AT_START.keys()
                         if now.get(k) != _MLFLOW_ENV_AT_START.get(k))
        for key in changed:  # put it back, so that only the leaking test fails
            if key in _MLFLOW_ENV_AT_START:
                os.environ[key] = _MLFLOW_ENV_AT_START[key]
            else:
                os.environ.pop(key, None)
        pytest.fail(f"the test left {', '.join(changed)} changed in os.environ (use "
                    "monkeypatch, or restore MLflow's globals: tests/mlflow_globals.py)",
                    pytrace=False)


# --- a real `mlflow server` (tests/sources/tracking_server.py), shared by the tests using it ---

_SERVER: list[TrackingServer] = []  # the tracking server started early, if any test needs it


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the real tracking server while other tests run, if a test will use it. Under
    pytest-xdist every worker collects every test, so the server starts in the worker that
    runs its test, when it does."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if any("tracking_server" in getattr(item, "fixturenames", ()) for item in session.items):
        from tests.sources.tracking_server import start_server

        _SERVER.append(start_server())


def pytest_sessionfinish(session: pytest.Session) -> None:
    while _SERVER:  # started early, never used (its tests deselected)
        _SERVER.pop().stop()


@pytest.fixture(scope="session")
def tracking_server() -> Iterator[TrackingServer]:
    from tests.sources.tracking_server import start_server

    server = _SERVER.pop() if _SERVER else start_server()
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
