"""The only I/O of the monitoring engine: read a window from Parquet, CSV or a Parquet dir."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.dataset as ds

from govkit.errors import MonitoringInputError

PathLike = str | os.PathLike[str]


def open_dataset(path: PathLike) -> ds.Dataset:
    """A Parquet file, a CSV file (by ``.csv`` suffix) or a directory of Parquet files."""
    p = Path(path)
    if not p.exists():
        raise MonitoringInputError("window file not found", path=str(p))
    fmt = "csv" if p.is_file() and p.suffix.lower() in (".csv", ".tsv") else "parquet"
    try:
        if fmt == "csv" and p.suffix.lower() == ".tsv":
            return ds.dataset(p, format=ds.CsvFileFormat(parse_options=_tsv()))
        return ds.dataset(p, format=fmt)
    except (pa.ArrowInvalid, OSError) as exc:
        raise MonitoringInputError(f"cannot read window: {exc}", path=str(p)) from exc


def _tsv() -> pacsv.ParseOptions:
    return pacsv.ParseOptions(delimiter="\t")


def dataset_schema(path: PathLike) -> pa.Schema:
    return open_dataset(path).schema


def read_table(path: PathLike, columns: Sequence[str] | None = None) -> pa.Table:
    """Read a whole window (only the given columns) into memory."""
    dataset = open_dataset(path)
    _check_columns(dataset.schema, columns, path)
    return dataset.to_table(columns=list(columns) if columns is not None else None)


def iter_batches(
    path: PathLike, columns: Sequence[str], batch_size: int = 131_072
) -> Iterator[pa.RecordBatch]:
    """Record batches of at most ``batch_size`` rows; memory is bounded by a few batches."""
    dataset = open_dataset(path)
    _check_columns(dataset.schema, columns, path)
    scanner = dataset.scanner(
        columns=list(columns), batch_size=batch_size, batch_readahead=2, fragment_readahead=1
    )
    try:
        yield from scanner.to_batches()
    except pa.ArrowInvalid as exc:
        raise MonitoringInputError(f"cannot read window: {exc}", path=str(path)) from exc


def count_rows(path: PathLike) -> int:
    return int(open_dataset(path).count_rows())


def _check_columns(schema: pa.Schema, columns: Sequence[str] | None, path: PathLike) -> None:
    for c in columns or ():
        if c not in schema.names:
            raise MonitoringInputError(
                f"column {c!r} not found",
                path=str(path),
                column=c,
                hint=f"columns are: {', '.join(schema.names[:20])}",
            )
