"""Monitoring inputs: windows (Parquet, CSV, Parquet folders), saved profiles, JSON reports."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa
import pyarrow.csv as pacsv
from pydantic import BaseModel

from govkit.errors import InputError, MonitoringInputError, Problem
from govkit.formatting import display_path
from govkit.schemas.monitoring import LabelJoin
from govkit.schemas.profile import ReferenceProfile
from govkit.schemas.window_profile import WindowProfile
from govkit.sources.csv_rows import RowProblem, header_problem, row_problem
from govkit.sources.files import read_input_text
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import DEFAULT_LIMIT, parse_json

if TYPE_CHECKING:
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

_Saved = TypeVar("_Saved", bound=BaseModel)

PathLike = str | os.PathLike[str]


def open_dataset(path: PathLike) -> ds.Dataset:
    """A Parquet file, a CSV file (by ``.csv`` suffix) or a directory of Parquet files."""
    import pyarrow.dataset as ds  # lazy: it imports pandas, ~0.5 s (issue 26)

    p = Path(path)
    if not p.exists():
        raise MonitoringInputError("window file not found", path=str(p))
    fmt = "csv" if p.is_file() and p.suffix.lower() in (".csv", ".tsv") else "parquet"
    if fmt == "csv":
        _readable_header(p)
    try:
        if fmt == "csv" and p.suffix.lower() == ".tsv":
            dataset = ds.dataset(p, format=ds.CsvFileFormat(parse_options=_tsv()))
        else:
            dataset = ds.dataset(p, format=fmt)
    except (pa.ArrowInvalid, OSError) as exc:
        raise _unreadable(exc, p) from exc
    if fmt == "csv":  # Arrow reads text that is not UTF-8 as a binary column
        for field in dataset.schema:
            if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
                raise MonitoringInputError("not UTF-8 text", path=str(p), column=field.name,
                                           hint=_UTF8_HINT)
    return dataset


_UTF8_HINT = "save the file as UTF-8"


def _unreadable(exc: Exception, path: PathLike) -> MonitoringInputError:
    if "UTF8" in str(exc) or "UTF-8" in str(exc):
        return MonitoringInputError(f"not UTF-8 text: {exc}", path=str(path), hint=_UTF8_HINT)
    found = row_problem(exc, Path(path))
    if found is not None:
        return _row_error(found, path)
    return MonitoringInputError(f"cannot read window: {exc}", path=str(path))


def _readable_header(path: Path) -> None:
    found = header_problem(path)
    if found is not None:
        raise _row_error(found, path)


def _row_error(found: RowProblem, path: PathLike) -> MonitoringInputError:
    return MonitoringInputError(found.message, path=str(path), line=found.line, hint=found.hint)


def _tsv() -> pacsv.ParseOptions:
    return pacsv.ParseOptions(delimiter="\t")


def dataset_schema(path: PathLike) -> pa.Schema:
    return open_dataset(path).schema


def read_table(path: PathLike, columns: Sequence[str] | None = None) -> pa.Table:
    """Read a whole window (only the given columns) into memory."""
    dataset = open_dataset(path)
    _check_columns(dataset.schema, columns, path)
    try:
        return dataset.to_table(columns=list(columns) if columns is not None else None)
    except (pa.ArrowInvalid, OSError) as exc:
        raise _unreadable(exc, path) from exc


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
    except (pa.ArrowInvalid, OSError) as exc:
        raise _unreadable(exc, path) from exc


class DatasetBatches:
    """A Parquet folder (or file) read batch by batch: the engine's `BatchSource`."""

    def __init__(self, path: PathLike) -> None:
        self.path = path
        self._schema = dataset_schema(path)

    @property
    def schema(self) -> pa.Schema:
        return self._schema

    @property
    def where(self) -> str:
        return str(self.path)

    def batches(self, columns: Sequence[str], batch_size: int) -> Iterator[pa.RecordBatch]:
        return iter_batches(self.path, columns, batch_size)


class ParquetColumns:
    """One Parquet file read column by column, memory-mapped: the engine's `ColumnSource`.
    Only the columns asked for are decoded, and a column's buffers live as long as the
    caller keeps the table `read` returned."""

    def __init__(self, path: PathLike) -> None:
        self.path = Path(path)
        with self._open() as f:
            self._schema = f.schema_arrow
            self._rows = int(f.metadata.num_rows)

    @property
    def schema(self) -> pa.Schema:
        return self._schema

    @property
    def num_rows(self) -> int:
        return self._rows

    @property
    def where(self) -> str:
        return str(self.path)

    def read(self, columns: Sequence[str]) -> pa.Table:
        _check_columns(self._schema, columns, self.path)
        with self._open() as f:
            try:
                return f.read(columns=list(columns), use_threads=False)
            except (pa.ArrowInvalid, OSError) as exc:
                raise _unreadable(exc, self.path) from exc

    def _open(self) -> pq.ParquetFile:
        import pyarrow.parquet as pq

        if not self.path.is_file():
            raise MonitoringInputError("window file not found", path=str(self.path))
        try:
            return pq.ParquetFile(self.path, memory_map=True)
        except (pa.ArrowInvalid, OSError) as exc:
            raise _unreadable(exc, self.path) from exc


def read_sample_file(path: Path, max_bytes: int | None = None) -> pa.Table:
    """One CSV, TSV or Parquet file read whole: the table `read_table` gives, without
    pyarrow.dataset (and the pandas it imports) on the path of `check` and `build`.
    `max_bytes`: a Parquet file that decodes to more raises DecodesTooLarge."""
    import pyarrow.parquet as pq

    from govkit.sources.parquet_bounded import read_bounded

    if not path.is_file():
        raise MonitoringInputError("window file not found", path=str(path))
    suffix = path.suffix.lower()
    try:
        if suffix not in (".csv", ".tsv"):
            if max_bytes is not None:
                return read_bounded(path, max_bytes)
            with pq.ParquetFile(path) as f:
                return f.read()
        _readable_header(path)
        table = pacsv.read_csv(path, parse_options=_tsv() if suffix == ".tsv" else None)
    except (pa.ArrowInvalid, OSError) as exc:
        raise _unreadable(exc, path) from exc
    for field in table.schema:  # Arrow reads text that is not UTF-8 as a binary column
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            raise MonitoringInputError("not UTF-8 text", path=str(path), column=field.name,
                                       hint=_UTF8_HINT)
    return table


def open_window(path: PathLike) -> pa.Table | ParquetColumns:
    """A Parquet file column by column; a CSV file (or anything else) read whole."""
    p = Path(path)
    if p.is_file() and p.suffix.lower() not in (".csv", ".tsv"):
        return ParquetColumns(p)
    return read_table(p)


def read_profile(path: Path, limit: int = DEFAULT_LIMIT) -> ReferenceProfile:
    """A profile saved by `govkit monitor --save-profile`; every problem names this file."""
    return read_saved(path, ReferenceProfile, "reference profile", "pass the reference data "
                      "file, or a profile written by --save-profile", limit)


def read_reference_profile(path: Path, limit: int = DEFAULT_LIMIT
                           ) -> ReferenceProfile | WindowProfile:
    """A profile saved by either engine: the local engine's reference profile, or a window
    profile saved by `govkit monitor --engine spark --save-profile`."""
    shown = display_path(path)
    doc = parse_json(read_input_text(path, shown, limit), shown)
    if isinstance(doc.data, dict) and doc.data.get("format") == "govkit-window-profile/1":
        return read_saved(path, WindowProfile, "window profile", "pass a profile written by "
                          "--engine spark --save-profile", limit)
    return read_profile(path, limit)


def read_saved(path: Path, shape: type[_Saved], what: str, hint: str,
               limit: int = DEFAULT_LIMIT) -> _Saved:
    """A JSON file govkit saved earlier, validated as `shape`; every problem names the file."""
    shown = display_path(path)
    doc = parse_json(read_input_text(path, shown, limit), shown)
    problems: list[Problem] = []
    saved = validate_doc(shape, doc, problems)
    if saved is None:
        raise InputError([Problem(shown, None, "", f"not a govkit {what}", hint), *problems])
    return saved


def read_json_report(path: Path, limit: int = DEFAULT_LIMIT) -> Any:
    shown = display_path(path)
    text = read_input_text(path, shown, limit)
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError.single(shown, "malformed JSON: nested too deeply") from None
    except ValueError as exc:
        raise InputError.single(shown, f"malformed JSON: {exc}", line=getattr(exc, "lineno", None),
                                hint="pass the JSON report Evidently saved") from None


def _check_columns(schema: pa.Schema, columns: Sequence[str] | None, path: PathLike) -> None:
    for c in columns or ():
        if c not in schema.names:
            raise MonitoringInputError(
                f"column {c!r} not found",
                path=str(path),
                column=c,
                hint=f"columns are: {', '.join(schema.names[:20])}",
            )


def join_labels(current: pa.Table, path: Path, key: str, label: str, where: str
                ) -> tuple[pa.Table, LabelJoin]:
    """The current window with ``label`` taken from a later labels file, matched on ``key``,
    and the join's coverage.

    Every current row is kept in its order (rows without a label get null). Integer keys of
    any width are joined as int64. A key repeated in the labels file, a window that already
    has the label column is an input error; a join that matches no row is not (the window's
    drift is still measured): its coverage says so and performance is not evaluated.
    """
    import pyarrow.compute as pc

    labels = read_table(path, columns=[key, label])
    where_labels = str(path)
    if key not in current.column_names:
        raise MonitoringInputError(f"join key {key!r} not found", path=where, column=key,
                                   hint=f"columns are: {', '.join(current.column_names[:20])}")
    if label in current.column_names:
        raise MonitoringInputError(
            f"the window already has a {label!r} column", path=where, column=label,
            hint="--labels-from adds labels to a window scored without them")
    labels, window_keys = _widened(labels, key), _widened(current.select([key]), key)
    keys = labels.column(key)
    if pc.count_distinct(keys, mode="all").as_py() != labels.num_rows:
        raise MonitoringInputError(f"join key {key!r} repeats in the labels file",
                                   path=where_labels, column=key,
                                   hint="one label per key")
    order, found = "__govkit_row__", "__govkit_found__"
    indexed = window_keys.append_column(order, pa.array(range(current.num_rows), pa.int64()))
    marked = labels.append_column(found, pa.array([True] * labels.num_rows, pa.bool_()))
    try:
        joined = indexed.join(marked, keys=key, join_type="left outer")
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise MonitoringInputError(f"cannot join on {key!r}: {exc}", path=where_labels,
                                   column=key, hint="the key must have one type in both files"
                                   ) from None
    joined = joined.sort_by(order)
    matched = int(pc.sum(pc.is_valid(joined.column(found))).as_py() or 0)
    used = pc.is_in(keys, value_set=pc.unique(window_keys.column(key).combine_chunks()))
    coverage = LabelJoin(
        file=where_labels, key=key, window_rows=current.num_rows, labels_rows=labels.num_rows,
        matched_rows=matched, unlabelled_rows=joined.column(label).null_count,
        unmatched_labels=labels.num_rows - int(pc.sum(used).as_py() or 0),
        duplicate_window_keys=_repeated(window_keys.column(key)),
    )
    return current.append_column(label, joined.column(label)), coverage


def _widened(table: pa.Table, key: str) -> pa.Table:
    """Integer keys as int64, so int32 in one file joins int64 in the other."""
    t = table.schema.field(key).type
    if pa.types.is_integer(t) and not pa.types.is_int64(t):
        i = table.schema.get_field_index(key)
        return table.set_column(i, key, table.column(key).cast(pa.int64()))
    return table


def _repeated(keys: pa.ChunkedArray) -> int:
    """How many distinct keys appear more than once."""
    import pyarrow.compute as pc

    counts = pc.value_counts(keys.combine_chunks()).field("counts")
    return int(pc.sum(pc.greater(counts, 1)).as_py() or 0)


def _examples(keys: pa.ChunkedArray, n: int = 3) -> str:
    import pyarrow.compute as pc

    values = pc.unique(keys.combine_chunks()).slice(0, n).to_pylist()
    return ", ".join(str(v) for v in values) or "none"
