"""Broken tracking URIs: exit 2, one line naming the URI and the fix, nothing written, < 30 s.

Reading never writes: an empty .db stays byte-for-byte the same, a missing one is not created,
and a real store is opened read-only.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from govkit.cli import main
from govkit.commands.ingest import ingest_mlflow
from tests.sources.conftest import MODEL, Store

BOUND_S = 30


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ingest-ready project; no Databricks credentials anywhere."""
    root = tmp_path / "project"
    (root / "models" / "churn").mkdir(parents=True)
    (root / "govkit.yaml").write_text("project: URIs\nmodels:\n  - name: churn\n")
    (root / "models" / "churn" / "card.yaml").write_text("title: Churn\n")
    for key in ("DATABRICKS_HOST", "DATABRICKS_TOKEN", "DATABRICKS_CONFIG_PROFILE",
                "DATABRICKS_CONFIG_FILE", "MLFLOW_TRACKING_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/.databrickscfg
    return root


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder below `root`."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*"))}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


class _Unavailable(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.send_header("Retry-After", "120")  # would make MLflow wait two minutes
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def unavailable_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unavailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _make(tmp: Path) -> dict[str, Callable[[], str]]:
    def directory_as_sqlite() -> str:
        (tmp / "store.db").mkdir()
        return f"sqlite:///{tmp / 'store.db'}"

    def plain_directory() -> str:
        (tmp / "mlruns").mkdir()
        return str(tmp / "mlruns")

    def text_file() -> str:
        (tmp / "notes.db").write_text("not a database\n")
        return f"sqlite:///{tmp / 'notes.db'}"

    return {
        "directory-as-sqlite": directory_as_sqlite,
        "plain-directory": plain_directory,
        "non-sqlite-file": text_file,
        "missing-sqlite-file": lambda: f"sqlite:///{tmp / 'missing' / 'mlflow.db'}",
        "postgresql-without-driver": lambda: "postgresql://govkit:s3cret@localhost/mlflow",
        "misspelt-scheme": lambda: "htp://localhost:5000",
        "databricks-unconfigured": lambda: "databricks",
        "nothing-listening": lambda: f"http://govkit:s3cret@127.0.0.1:{_free_port()}",
    }


CASES = {
    "directory-as-sqlite": ("is a directory, not an sqlite file", "the .db file"),
    "plain-directory": ("file store", "mlflow migrate-filestore"),
    "non-sqlite-file": ("not an sqlite database", "the .db file"),
    "missing-sqlite-file": ("no such file", "--tracking-uri"),
    "postgresql-without-driver": ("needs its database driver", "pip install"),
    "misspelt-scheme": ("unknown scheme 'htp'", "did you mean http://localhost:5000"),
    "databricks-unconfigured": ("Databricks", "DATABRICKS_HOST"),
    "nothing-listening": ("nothing answers at 127.0.0.1:", "start the tracking server"),
}


def _run_broken(project: Path, uri: str, capfd: pytest.CaptureFixture[str]) -> tuple[str, float]:
    before = _tree(project.parent)
    started = time.monotonic()
    code = main(["-C", str(project), "ingest", "churn", "--tracking-uri", uri])
    took = time.monotonic() - started
    out, err = capfd.readouterr()
    assert code == 2, err
    assert "Traceback" not in out + err
    header, line, *rest = err.splitlines()
    assert header == "error: 1 problem in the input; nothing was written:"
    assert rest == [], err  # one line: no MLflow retry warnings or log lines
    assert _tree(project.parent) == before  # nothing written, nothing created
    assert took < BOUND_S, f"{uri}: {took:.1f} s"
    assert line.rstrip().endswith(")"), line  # the fix closes the line: never cut
    return line, took


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_uri_is_one_clear_input_error(
    case: str, project: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    uri = _make(tmp_path)[case]()
    line, _ = _run_broken(project, uri, capfd)
    shown = uri.replace("govkit:s3cret@", "***@")
    assert line.startswith(f"  {shown}: "), line
    message, fix = CASES[case]
    assert message in line and fix in line, line
    assert "s3cret" not in line


def test_server_answering_503_gives_up_at_once(
    project: Path, unavailable_server: str, capfd: pytest.CaptureFixture[str]
) -> None:
    line, took = _run_broken(project, unavailable_server, capfd)
    assert "answered HTTP 503" in line, line
    assert took < 10


def test_server_that_never_answers_gives_up_within_the_bound(
    project: Path, silent_server: str, capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # govkit's own bound is 2 x 8 s (see test_mlflow_session); a user's lower timeout is
    # kept, which keeps this test short.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    line, took = _run_broken(project, silent_server, capfd)
    assert "no answer within 2 s from 127.0.0.1:" in line and "(2 attempts)" in line, line
    assert took < 2 * 2 + 3


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_db_file_stays_byte_for_byte_unchanged(
    project: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "stores" / "mlflow.db"
    empty.parent.mkdir()
    empty.touch()
    line, _ = _run_broken(project, f"sqlite:///{empty}", capfd)
    assert "no MLflow tables" in line and "never creates or migrates" in line, line
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in empty.parent.iterdir()) == ["mlflow.db"]


def test_store_that_mlflow_would_migrate_is_refused_untouched(
    store: Store, project: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.db"
    shutil.copy(store.path / "mlflow.db", old)
    with sqlite3.connect(old) as db:
        db.execute("DROP TABLE webhooks")  # as if written by an MLflow without webhooks
    digest = _sha(old)
    line, _ = _run_broken(project, f"sqlite:///{old}", capfd)
    assert "webhooks" in line and "mlflow db upgrade" in line, line
    assert _sha(old) == digest


def test_a_real_store_is_read_without_a_single_write(store: Store, model_dir: Path) -> None:
    db = store.path / "mlflow.db"
    digest, files = _sha(db), sorted(p.name for p in store.path.iterdir())
    ingest_mlflow(model_dir, MODEL, store.uri)
    assert _sha(db) == digest
    assert sorted(p.name for p in store.path.iterdir()) == files


def test_relative_sqlite_uri_is_resolved_against_the_project(
    project: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    line, _ = _run_broken(project, "sqlite:///mlruns.db", capfd)
    assert line.startswith("  sqlite:///mlruns.db: no such file "), line
    assert str(project / "mlruns.db") in line


def test_password_is_masked_in_the_message_and_the_fix() -> None:
    from mlflow.tracking.registry import UnsupportedModelRegistryStoreURIException

    from govkit.sources.mlflow_errors import store_error

    uri = "htp://u:pw1@h:5000"
    err = store_error(uri, UnsupportedModelRegistryStoreURIException(uri, ["http", "https"]))
    assert str(err) == ("htp://***@h:5000: unknown scheme 'htp' "
                        "(did you mean http://***@h:5000? MLflow reads http, https)")


@pytest.mark.parametrize("message", [
    # MLflow's own check of the status (seen when the server's 503 came back at once)
    "API request to endpoint /api/2.0/mlflow/registered-models/search failed with error "
    "code 503 != 200. Response body: ''",
    # urllib3's, once its retries on the status ran out
    "API request to http://h:5000/api/2.0/mlflow/registered-models/search failed with "
    "exception HTTPConnectionPool(host='h', port=5000): Max retries exceeded with url: "
    "/api (Caused by ResponseError('too many 503 error responses'))",
])
def test_either_wording_of_a_server_error_status_names_the_status(message: str) -> None:
    from mlflow.exceptions import MlflowException

    from govkit.sources.mlflow_errors import store_error

    err = store_error("http://h:5000", MlflowException(message))
    assert str(err).startswith("http://h:5000: the server at h:5000 answered HTTP 503"), err
