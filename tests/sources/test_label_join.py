"""Issue 23, items 9 and 11: the delayed-labels join reports its coverage, refuses a join
that matches nothing, accepts int32 against int64 keys, and names the labels file."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from govkit.errors import MonitoringInputError
from govkit.sources.datasets import join_labels


def _window() -> pa.Table:
    # keys 1..6 with 3 twice: seven rows
    return pa.table({"uid": pa.array([1, 2, 3, 3, 4, 5, 6], pa.int32()),
                     "score": [0.1, 0.9, 0.4, 0.4, 0.8, 0.2, 0.7]})


def test_coverage_counts_both_sides_and_names_the_file(tmp_path: Path) -> None:
    labels = pa.table({"uid": pa.array([2, 3, 4, 9, 10], pa.int64()),  # 9, 10 match no row
                       "y": pa.array([True, None, False, True, False])})
    path = tmp_path / "labels.parquet"
    pq.write_table(labels, path)
    joined, coverage = join_labels(_window(), path, "uid", "y", "cur.parquet")
    assert joined.column("y").to_pylist() == [None, True, None, None, False, None, None]
    assert joined.column("uid").to_pylist() == [1, 2, 3, 3, 4, 5, 6]  # order kept
    assert coverage.model_dump() == {
        "file": str(path), "key": "uid", "window_rows": 7, "matched_rows": 4,
        "unlabelled_rows": 5, "unmatched_labels": 2, "duplicate_window_keys": 1,
        "labels_rows": 5,
    }


def test_int32_window_keys_join_int64_label_keys_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"  # a CSV reader types the keys int64
    pacsv.write_csv(pa.table({"uid": [1, 2, 3, 4, 5, 6], "y": [0, 1, 0, 1, 1, 0]}), path)
    joined, coverage = join_labels(_window(), path, "uid", "y", "cur.parquet")
    assert joined.column("y").to_pylist() == [0, 1, 0, 0, 1, 1, 0]
    assert coverage.matched_rows == 7 and coverage.unmatched_labels == 0


def test_a_join_matching_no_row_is_an_error_naming_the_labels_file(tmp_path: Path) -> None:
    path = tmp_path / "labels.parquet"
    pq.write_table(pa.table({"uid": pa.array([100, 101], pa.int64()), "y": [0, 1]}), path)
    with pytest.raises(MonitoringInputError, match="matched none of the 7 window rows") as ei:
        join_labels(_window(), path, "uid", "y", "cur.parquet")
    assert ei.value.path == str(path) and ei.value.column == "uid"
    assert "100" in str(ei.value) and "1, 2, 3" in str(ei.value)
