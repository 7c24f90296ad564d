"""One Spark session (local[2]) for every Spark test: starting the JVM costs 10-25 s, each
profile then a few seconds. Skipped, with the reason, where pyspark or Java is missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[spark]')")
    pytest.importorskip("datasketches", reason="datasketches is not installed (the spark extra)")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        pytest.skip("Java is not installed: Spark needs Java 17 or later")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("govkit tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
