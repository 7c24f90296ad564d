"""Issue 23, items 9 and 11: the delayed-labels join reports its coverage, refuses a join
that matches nothing, accepts int32 against int64 keys, and names the labels file."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

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


def test_a_join_matching_no_row_is_coverage_not_an_error(tmp_path: Path) -> None:
    """Issue 23: labels that join no row leave performance not evaluated; the window's drift
    is still measured (it was refused, exit 2)."""
    path = tmp_path / "labels.parquet"
    pq.write_table(pa.table({"uid": pa.array([100, 101], pa.int64()), "y": [0, 1]}), path)
    joined, coverage = join_labels(_window(), path, "uid", "y", "cur.parquet")
    assert joined.column("y").null_count == 7
    assert (coverage.matched_rows, coverage.unlabelled_rows, coverage.unmatched_labels) == (
        0, 7, 2)
