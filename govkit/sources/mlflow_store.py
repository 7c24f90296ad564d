"""Check a tracking URI before MLflow touches it, and open stores read-only.

`checked_uri` refuses what MLflow would hang on, crash on or write into (a folder given
as an sqlite file, an empty database it would migrate, a file store, a database without
its driver) and turns an sqlite path into a read-only SQLite URI. Failures are one
`URI: message (fix)` line; `mlflow_errors` maps what MLflow raises to the same form.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from govkit.errors import MlflowInputError
from govkit.sources.mlflow_errors import describe, uri_error

SQLITE = "sqlite:///"
SERVER_DBS = {"postgresql": "connect_timeout", "mysql": "connect_timeout", "mssql": "timeout"}
CONNECT_TIMEOUT_S = 10
# Present in every MLflow store since the model registry (MLflow 1.2).
CORE_TABLES = {"experiments", "runs", "registered_models", "model_versions", "alembic_version"}
_DRIVERS = {"psycopg": "psycopg[binary]", "psycopg2": "psycopg2-binary", "pymysql": "pymysql",
            "MySQLdb": "mysqlclient", "pyodbc": "pyodbc", "pymssql": "pymssql"}
_BARE_SCHEMES = ("databricks", "databricks-uc")


def scheme_of(uri: str) -> str:
    if uri in _BARE_SCHEMES:
        return uri
    return urlsplit(uri).scheme.lower()


def resolve_uri(configured_uri: str, root: Path) -> str:
    """The URI to open for `configured_uri`: a relative sqlite or file-store path made
    absolute against the project folder `root`."""
    uri = configured_uri
    if uri.startswith("sqlite:///"):
        db = uri.removeprefix("sqlite:///")
        return uri if db.startswith("/") or db.startswith(":memory:") else f"sqlite:///{root / db}"
    if uri in ("databricks", "databricks-uc"):  # MLflow's bare scheme names, not folders
        return uri
    if "://" not in uri and ":" not in uri.split("/")[0] and not Path(uri).is_absolute():
        return str(root / uri)
    return uri


def checked_uri(uri: str, shown: str | None = None) -> str:
    """The URI MLflow should open to read `uri`; `shown` (default `uri`) names it in errors."""
    shown = shown or uri
    try:
        scheme = scheme_of(uri)
    except ValueError as exc:
        raise uri_error(shown, f"not a valid URI ({exc})", "fix tracking_uri") from None
    if not uri.strip():
        raise uri_error(shown, "empty tracking URI", "set mlflow.tracking_uri in govkit.yaml")
    if scheme == "sqlite":
        return _sqlite(uri, shown)
    if scheme in ("", "file"):
        raise _file_store(uri, shown)
    if scheme.partition("+")[0] in SERVER_DBS:
        _server_db(uri, shown)
    elif scheme in ("http", "https") and not urlsplit(uri).hostname:
        raise uri_error(shown, "no host in the URI", "write e.g. http://localhost:5000")
    return uri


def read_only_sqlite_uri(path: str) -> str:
    """`sqlite:///file:...?mode=ro&uri=true`: SQLite itself refuses every write.

    The path is quoted twice (SQLAlchemy unquotes once, SQLite once), which also keeps
    slashes out of it so that MLflow does not create "parent folders" for the URI.
    """
    return f"{SQLITE}file:{quote(quote(path, safe=''), safe='')}?mode=ro&uri=true"


def require_mlflow_tables(tables: set[str], uri: str, shown: str, where: str) -> None:
    if not CORE_TABLES & tables:
        raise uri_error(
            shown, f"{where} has no MLflow tables (an empty database, or another program's)",
            "govkit never creates or migrates a store: point tracking_uri at the store your "
            "training logs to",
        )
    missing = sorted(_expected_tables() - tables)
    if missing:
        raise uri_error(
            shown, f"{where} was written by an older MLflow: this MLflow would migrate it "
            f"(missing tables: {', '.join(missing)})",
            f"govkit never writes a store: back it up and run `mlflow db upgrade {uri}`, or "
            "ingest with the MLflow version that wrote it",
        )


def _sqlite(uri: str, shown: str) -> str:
    raw = uri.removeprefix(SQLITE).partition("?")[0] if uri.startswith(SQLITE) else ""
    if raw in ("", ":memory:"):
        raise uri_error(shown, "an in-memory database holds no store",
                        "give the store's file, e.g. sqlite:///mlflow.db")
    path = Path(os.path.abspath(unquote(raw)))
    fix = "give the .db file MLflow writes, e.g. sqlite:///mlflow.db"
    if path.is_dir():
        raise uri_error(shown, f"{path} is a directory, not an sqlite file", fix)
    if not path.exists():
        raise uri_error(shown, f"no such file {path}",
                        "fix tracking_uri in govkit.yaml, whose relative paths start at its "
                        "folder, or pass --tracking-uri; govkit never creates a store")
    try:
        with path.open("rb") as f:
            header = f.read(16)
    except OSError as exc:
        raise uri_error(shown, f"cannot read {path}: {exc.strerror}", "check its permissions") \
            from None
    if header and header != b"SQLite format 3\x00":
        raise uri_error(shown, f"{path} is not an sqlite database", fix)
    try:
        db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise uri_error(shown, f"{path} cannot be read as an sqlite database ({exc})", fix) \
            from None
    require_mlflow_tables({str(r[0]) for r in rows}, uri, shown, str(path))
    return read_only_sqlite_uri(str(path))


def _file_store(uri: str, shown: str) -> MlflowInputError:
    path = Path(unquote(urlsplit(uri).path) if uri.startswith("file:") else uri)
    if path.is_file():
        return uri_error(shown, "a file given without a scheme",
                         f"write sqlite:///{path} if it is an MLflow sqlite store")
    what = "a folder" if path.is_dir() else f"no such folder {path}; a plain path"
    return uri_error(
        shown, f"{what} means an MLflow file store, which MLflow 3 no longer reads and "
        "which MLflow may write into on opening",
        "migrate it with `mlflow migrate-filestore` and use sqlite:///mlflow.db",
    )


def _server_db(uri: str, shown: str) -> None:
    """Driver present, server answering within the bound, MLflow's tables there."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError
    from sqlalchemy.pool import NullPool

    try:
        url = make_url(uri)
        url.get_dialect().import_dbapi()
    except ArgumentError as exc:
        raise uri_error(shown, f"not a database URL ({exc})", "fix tracking_uri") from None
    except ImportError as exc:
        name = getattr(exc, "name", None) or ""
        package = _DRIVERS.get(name.partition(".")[0], name or "the driver")
        raise uri_error(shown, f"{url.get_backend_name()}:// needs its database driver: {exc}",
                        f"pip install {package}") from None
    timeout = {SERVER_DBS[url.get_backend_name()]: CONNECT_TIMEOUT_S}
    engine = create_engine(url, poolclass=NullPool, connect_args=timeout)
    try:
        tables = set(inspect(engine).get_table_names())
    except SQLAlchemyError as exc:
        raise uri_error(shown, f"cannot connect: {describe(exc)}",
                        "check the host, port, database name and credentials") from None
    finally:
        engine.dispose()
    require_mlflow_tables(tables, uri, shown, "the database")


def _expected_tables() -> set[str]:
    """The tables MLflow checks before deciding to create or migrate a store."""
    try:
        import mlflow.store.model_registry.sqlalchemy_store
        import mlflow.store.tracking.sqlalchemy_store  # noqa: F401
        from mlflow.store.db.base_sql_model import Base
    except ImportError:  # a future MLflow layout: the read-only URI still refuses writes
        return set(CORE_TABLES)
    return set(Base.metadata.tables)
