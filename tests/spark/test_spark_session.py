"""The session govkit starts itself (no active one, as `govkit monitor --engine spark` from
a shell) writes nothing into the working directory: Spark's default catalog would create
`spark-warehouse/` there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_example


def test_a_session_govkit_starts_leaves_the_working_directory_alone(tmp_path: Path) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed (pip install -e '.[spark]')")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        pytest.skip("Java is not installed: Spark needs Java 17 or later")
    example = copy_example(tmp_path)
    data, temp = tmp_path / "data", tmp_path / "tmp"
    temp.mkdir()
    subprocess.run([sys.executable, str(REPO / "examples/data/make_churn_windows.py"),
                    "--out", str(data)], check=True, capture_output=True)
    before = sorted(p.name for p in tmp_path.iterdir())
    run = subprocess.run(
        [sys.executable, "-m", "govkit", "-C", str(example), "monitor", "churn",
         "--engine", "spark", "--reference", str(data / "churn_reference.parquet"),
         "--current", str(data / "churn_2024-02-01.parquet"), "--window", "2024-03-01"],
        cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temp)})
    assert run.returncode == 0, run.stderr
    assert (example / "churn/monitoring/2024-03-01.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not (example / "spark-warehouse").exists()
    assert not [p.name for p in temp.iterdir() if p.name.startswith("govkit")]
    # a table name reads the catalog: Spark made ./spark-warehouse for it
    run = subprocess.run(
        [sys.executable, "-m", "govkit", "-C", str(example), "monitor", "churn",
         "--engine", "spark", "--reference", "no_such_table",
         "--current", str(data / "churn_2024-02-01.parquet"), "--window", "2024-03-02"],
        cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temp)})
    assert run.returncode == 2, run.stderr
    assert "--reference: no_such_table: cannot read this table" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not [p.name for p in temp.iterdir() if p.name.startswith("govkit")]
