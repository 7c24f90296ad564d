"""How big a dictionary's reference sample is, found before it is read: bytes from the file
system, columns and rows from a Parquet footer or a CSV header line. A sample over
`limits` is refused with the limit's name, so a hostile or mistaken file cannot hang CI."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from govkit.schemas.config import Limits

_CSV_SUFFIXES = (".csv", ".tsv")


@dataclass(frozen=True)
class Shape:
    """A sample's columns and rows, as far as known before reading it."""

    columns: int
    rows: int | None  # None: not known before reading (CSV)
    exact: bool = True  # False: at least `columns` (a CSV header longer than was read)


Over = tuple[str, str]  # (why, the limit's field)


def over_limits_before_reading(path: Path, shown: str, limits: Limits) -> Over | None:
    """Why `path` is too big to read, and the limit it is over; None when it is not."""
    size = path.stat().st_size
    if size > limits.max_sample_mb * 1_000_000:
        return (f"{shown} is {size / 1_000_000:.1f} MB, more than limits.max_sample_mb "
                f"({limits.max_sample_mb:g})", "max_sample_mb")
    shape = _shape(path, limits)
    return over_limits(shown, shape.columns, shape.rows, limits, exact=shape.exact)


def over_limits(shown: str, columns: int, rows: int | None, limits: Limits, *,
                exact: bool = True) -> Over | None:
    if columns > limits.max_sample_columns:
        count = f"{columns}" if exact else f"at least {columns}"
        return (f"{shown} has {count} columns, more than limits.max_sample_columns "
                f"({limits.max_sample_columns})", "max_sample_columns")
    if rows is not None and rows > limits.max_sample_rows:
        return (f"{shown} has {rows} rows, more than limits.max_sample_rows "
                f"({limits.max_sample_rows})", "max_sample_rows")
    return None


def _shape(path: Path, limits: Limits) -> Shape:
    if path.suffix.lower() in _CSV_SUFFIXES:
        return _csv_shape(path, "\t" if path.suffix.lower() == ".tsv" else ",", limits)
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path)  # the footer only (about 1 s for 100,000 columns)
    return Shape(meta.num_columns, meta.num_rows)


def _csv_shape(path: Path, delimiter: str, limits: Limits) -> Shape:
    """Columns of the header line; read at most what the column limit allows (a header
    cell of 256 bytes on average), so a megabyte-wide header is never read whole."""
    budget = 256 * (limits.max_sample_columns + 1)
    with path.open("rb") as f:
        head = f.readline(budget)
    if len(head) >= budget and not head.endswith(b"\n"):
        return Shape(max(limits.max_sample_columns + 1, head.count(delimiter.encode()) + 1),
                     None, exact=False)
    text = head.decode("utf-8", errors="replace")
    return Shape(len(next(csv.reader(io.StringIO(text), delimiter=delimiter), [])), None)
