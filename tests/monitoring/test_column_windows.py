"""Parquet windows read column by column give the same result as whole tables, and only
the columns the monitoring plan uses are ever read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.errors import MonitoringInputError
from govkit.sources.datasets import ParquetColumns
from tests.monitoring.flat import compute_result


class CountingColumns(ParquetColumns):
    """The real reader, remembering which columns it was asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.asked: list[str] = []

    def read(self, columns):  # type: ignore[no-untyped-def]
        self.asked.extend(columns)
        return super().read(columns)


def _window(rows: int, seed: int, shift: float) -> pa.Table:
    rng = np.random.default_rng(seed)
    score = rng.uniform(size=rows)
    return pa.table({
        "tenure": rng.normal(shift, 1.0, rows),
        "plan": rng.choice(["basic", "plus", "pro"], rows),
        "score": score,
        "churned": (score + rng.normal(0, 0.3, rows) > 0.5).astype(np.int64),
        "region": rng.choice(["north", "south"], rows),
        "unused": rng.normal(size=rows),
    })


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ref, cur = tmp_path / "ref.parquet", tmp_path / "cur.parquet"
    pq.write_table(_window(2000, 1, 0.0), ref, row_group_size=700)
    pq.write_table(_window(1500, 2, 0.3), cur, row_group_size=700)
    return ref, cur


ROLES = {"predictions": "score", "labels": "churned", "segments": ["region"],
         "baseline": {"roc_auc": 0.8}, "model": "m", "window": "w", "progress": False}


@pytest.mark.parametrize("features", [None, ["tenure", "plan"]])
def test_column_by_column_equals_whole_tables(files: tuple[Path, Path], features) -> None:
    ref, cur = files
    whole = compute_result(pq.read_table(ref), pq.read_table(cur), features=features, **ROLES)
    lazy = compute_result(ParquetColumns(ref), ParquetColumns(cur), features=features, **ROLES)
    assert lazy.to_json() == whole.to_json()
    assert lazy.reference.rows == 2000 and lazy.current.rows == 1500


def test_only_the_planned_columns_are_read(files: tuple[Path, Path]) -> None:
    ref, cur = (CountingColumns(p) for p in files)
    result = compute_result(ref, cur, features=["tenure", "plan"], **ROLES)
    assert {f.feature for f in result.features} == {"tenure", "plan"}
    assert set(ref.asked) == {"tenure", "plan", "score"}
    assert set(cur.asked) == {"tenure", "plan", "score", "churned", "region"}
    assert "unused" not in ref.asked + cur.asked


def test_a_file_that_is_not_parquet_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "window.parquet"
    bad.write_text("id,value\n1,2\n")
    with pytest.raises(MonitoringInputError, match="cannot read window"):
        ParquetColumns(bad)
