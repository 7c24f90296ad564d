"""Windows on Apache Spark: a session, and a window as a DataFrame (a Parquet path or a table
name), plus saved window profiles. pyspark is imported only here and in the Spark engine."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.errors import InputError
from govkit.output.files import folder_until_exit
from govkit.schemas.window_profile import WindowProfile
from govkit.sources.datasets import read_saved
from govkit.sources.yamlio import DEFAULT_LIMIT

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

INSTALL = "pip install 'govkit[spark]' (Spark also needs Java 17 or later)"
_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$")
_URI = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def spark_session(master: str | None) -> SparkSession:
    """The active session (a notebook's, a cluster job's), else a new one on ``master``
    (default ``local[*]``)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError.single("--engine spark", "pyspark is not installed",
                                hint=INSTALL) from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise InputError.single("--engine spark", "Java is not installed (Spark runs on a JVM)",
                                hint="install Java 17 or later, or set JAVA_HOME")
    master = master or "local[*]"
    builder = (SparkSession.builder.master(master).appName("govkit monitor")
               .config("spark.sql.warehouse.dir", _warehouse())
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    if master.startswith("local"):  # profiles shuffle a few aggregated rows: few partitions
        builder = builder.config("spark.sql.shuffle.partitions", "8")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _warehouse() -> str:
    """A folder of govkit's own, removed at exit, for the catalog of a session govkit starts:
    Spark's default, ./spark-warehouse, would be written into the user's working directory."""
    return folder_until_exit("govkit-spark-warehouse-").as_uri()


def read_window(spark: SparkSession, source: str, flag: str) -> DataFrame:
    """``source``: a Parquet file or folder (local or a URI such as s3a://...), or a table
    name known to the session's catalog (``db.table``)."""
    from pyspark.errors import AnalysisException

    local = Path(source)
    is_path = bool(_URI.match(source)) or local.exists() or not _TABLE.match(source)
    try:
        if is_path:
            if not _URI.match(source) and not local.exists():
                raise InputError.single(flag, f"{source}: no such file or folder",
                                        hint="pass a Parquet path or a table name")
            return spark.read.parquet(source)
        return spark.table(source)
    except AnalysisException as exc:
        what = "Parquet path" if is_path else "table"
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        raise InputError.single(flag, f"{source}: cannot read this {what}: {first}",
                                hint="pass a Parquet file or folder, or a table name in the "
                                     "session's catalog") from None


def read_window_profile(path: Path, limit: int = DEFAULT_LIMIT) -> WindowProfile:
    """A profile saved by `govkit monitor --engine spark --save-profile`."""
    return read_saved(path, WindowProfile, "window profile", "pass the reference data, or a "
                      "profile written by --engine spark --save-profile", limit)
