"""require_column: one lookup per column (issue 23), and a duplicate name is bad input."""

from __future__ import annotations

import time

import pyarrow as pa
import pytest

from govkit.errors import MonitoringInputError
from govkit.monitoring.columns import require_column


def test_a_wide_window_is_checked_in_linear_time() -> None:
    # before: 5,000 columns took 5-14 s (schema.names rebuilt a list per lookup)
    schema = pa.schema([pa.field(f"c{i}", pa.float64()) for i in range(20_000)])
    start = time.perf_counter()
    types = [require_column(schema, name, "w.parquet") for name in schema.names]
    assert time.perf_counter() - start < 2.0
    assert types == [pa.float64()] * 20_000


def test_missing_and_duplicate_columns_are_input_errors() -> None:
    schema = pa.schema([("a", pa.int64()), ("a", pa.int64()), ("b", pa.string())])
    with pytest.raises(MonitoringInputError, match="column 'c' not found"):
        require_column(schema, "c", "w.parquet")
    with pytest.raises(MonitoringInputError, match="appears more than once"):
        require_column(schema, "a", "w.parquet")
    assert require_column(schema, "b", "w.parquet") == pa.string()
