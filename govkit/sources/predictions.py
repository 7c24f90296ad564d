"""Row-level predictions where MLflow users log them, and their pairing by row id.

A run's table artifact (`mlflow.log_table` / `mlflow.evaluate` write `{"columns": [...],
"data": [[...], ...]}`) or a CSV or Parquet file, with a row id, the target and a predicted
label and/or score. Row ids are integers or text and are compared as text, so 7 in a JSON
table and "7" in a CSV are the same row (and int32 or int64 ids pair).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from govkit.errors import PredictionsInputError, YamlError
from govkit.schemas.predictions import DEFAULT_MAX_ROWS, PredictionColumns, PredictionsSource
from govkit.sources.csv_rows import header_problem, row_problem
from govkit.sources.files import read_input_text

JSON_BYTES_PER_ROW = 512  # a JSON table may take this many bytes per allowed row
_FORMAT_HINT = "save it as a .json table (mlflow.log_table), .csv or .parquet"


@dataclass(frozen=True, eq=False)
class Predictions:
    """One version's predictions, one entry per row, in file order."""

    source: str  # the file or run artifact, as shown in messages
    ids: npt.NDArray[np.str_]
    target: npt.NDArray[Any]  # float64 (numbers, booleans as 0/1) or str
    prediction: npt.NDArray[Any] | None  # like target
    score: npt.NDArray[np.float64] | None
    segments: dict[str, npt.NDArray[np.str_]] = field(default_factory=dict)  # "" for null

    @property
    def rows(self) -> int:
        return int(self.ids.shape[0])


def read_predictions(
    path: Path, columns: PredictionColumns | None = None, *, shown: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Predictions:
    """Read and check one predictions file; every problem raises PredictionsInputError."""
    cols = columns or PredictionColumns()
    where = shown or str(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        table = _json_table(path, where, max_rows)
    elif suffix in (".csv", ".parquet"):
        if not path.is_file():
            raise PredictionsInputError.single(where, "file not found", hint=_missing_hint(cols))
        table = _arrow_table(path, where, suffix, cols, max_rows)
    else:
        raise PredictionsInputError.single(where, f"unknown predictions format {suffix!r}",
                                           hint=_FORMAT_HINT)
    return _typed(table, where, cols)


def read_run_predictions(run: Any, source: PredictionsSource) -> Predictions:
    """The predictions artifact of a fetched MLflow run, read where it is stored."""
    from govkit.sources.mlflow_runs import run_repository

    shown = f"runs:/{run.info.run_id}/{source.artifact}"
    with _fetched(run_repository(run), source.artifact, shown, source.columns) as local:
        return read_predictions(local, source.columns, shown=shown, max_rows=source.max_rows)


@contextmanager
def _fetched(repo: Any, artifact: str, shown: str, cols: PredictionColumns) -> Iterator[Path]:
    from mlflow.exceptions import MlflowException

    from govkit.sources.mlflow_runs import local_artifact

    try:
        with local_artifact(repo, artifact) as local:
            yield local
    except (MlflowException, OSError) as exc:
        raise PredictionsInputError.single(shown, f"cannot fetch the artifact: {exc}",
                                           hint=_missing_hint(cols)) from None


def _missing_hint(cols: PredictionColumns) -> str:
    return ("log it with mlflow.log_table(data, artifact_file='eval_results_table.json') "
            f"with columns {_needed(cols)}, or set predictions.artifact")


def _needed(cols: PredictionColumns) -> list[str]:
    return [n for n in (cols.row_id, cols.target, cols.prediction, cols.score, *cols.segments)
            if n]


def _too_many(where: str, max_rows: int) -> PredictionsInputError:
    return PredictionsInputError.single(
        where, f"more than {max_rows:,} rows", field="max_rows",
        hint="score a sample of the evaluation rows, or raise predictions.max_rows")


def _json_table(path: Path, where: str, max_rows: int) -> pa.Table:
    try:
        limit = max(5_000_000, max_rows * JSON_BYTES_PER_ROW)
        text = read_input_text(path, where, limit=limit, limit_hint="raise predictions.max_rows "
                               "if it is meant to be this big")
    except YamlError as exc:
        raise PredictionsInputError(exc.problems) from None
    try:
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise PredictionsInputError.single(where, f"malformed JSON: {exc}",
                                           line=getattr(exc, "lineno", None)) from None
    if (not isinstance(doc, dict) or not isinstance(doc.get("columns"), list)
            or not isinstance(doc.get("data"), list)):
        raise PredictionsInputError.single(
            where, "not a table: expected {\"columns\": [...], \"data\": [[...], ...]}",
            hint="write it with mlflow.log_table or pandas' to_json(orient='split')")
    names, data = doc["columns"], doc["data"]
    if not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        raise PredictionsInputError.single(where, "columns must be distinct names",
                                           field="columns")
    if len(data) > max_rows:
        raise _too_many(where, max_rows)
    for k, row in enumerate(data, 1):
        if not isinstance(row, list) or len(row) != len(names):
            raise PredictionsInputError.single(
                where, f"data row {k} has {len(row) if isinstance(row, list) else 'no'} "
                f"values for {len(names)} columns", field="data")
    arrays: dict[str, pa.Array] = {}
    for j, name in enumerate(names):
        try:
            arrays[name] = pa.array([row[j] for row in data])
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            raise PredictionsInputError.single(
                where, "values of more than one type (numbers mixed with text?)",
                field=f"column {name}", hint="give every row the same kind of value") from None
    return pa.table(arrays) if arrays else pa.table({})


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _arrow_table(path: Path, where: str, suffix: str, cols: PredictionColumns,
                 max_rows: int) -> pa.Table:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    try:
        if suffix == ".parquet":
            pf = pq.ParquetFile(path)
            _check_columns(pf.schema_arrow.names, cols, where)
            if pf.metadata.num_rows > max_rows:
                raise _too_many(where, max_rows)
            present = [n for n in _needed(cols) if n in pf.schema_arrow.names]
            return pf.read(columns=present)
        found = header_problem(path)
        if found is not None:
            raise PredictionsInputError.single(where, found.message, line=found.line,
                                               hint=found.hint)
        text = {name: pa.string() for name in (cols.row_id, *cols.segments)}  # "007" stays
        reader = pacsv.open_csv(path, convert_options=pacsv.ConvertOptions(column_types=text))
        _check_columns(reader.schema.names, cols, where)
        batches, rows = [], 0
        for batch in reader:
            rows += batch.num_rows
            if rows > max_rows:
                raise _too_many(where, max_rows)
            batches.append(batch)
        return pa.Table.from_batches(batches, schema=reader.schema)
    except (pa.ArrowInvalid, OSError) as exc:
        found = row_problem(exc, path)
        if found is not None:
            raise PredictionsInputError.single(where, found.message, line=found.line,
                                               hint=found.hint) from None
        raise PredictionsInputError.single(where, f"cannot read: {exc}",
                                           hint=_FORMAT_HINT) from None


def _check_columns(names: list[str], cols: PredictionColumns, where: str) -> None:
    missing = [n for n in (cols.row_id, cols.target, *cols.segments) if n not in names]
    if missing:
        raise PredictionsInputError.single(
            where, f"no column {missing[0]!r} (columns: {', '.join(sorted(names))})",
            field="columns", hint="rename it, or set predictions.columns in govkit.yaml")
    if not any(n and n in names for n in (cols.prediction, cols.score)):
        wanted = " or ".join(repr(n) for n in (cols.prediction, cols.score) if n)
        raise PredictionsInputError.single(
            where, f"no column {wanted} (columns: {', '.join(sorted(names))})",
            field="columns", hint="log the predicted label or score, or set "
            "predictions.columns in govkit.yaml")


def _typed(table: pa.Table, where: str, cols: PredictionColumns) -> Predictions:
    _check_columns(table.column_names, cols, where)
    if table.num_rows == 0:
        raise PredictionsInputError.single(where, "no rows", hint="log the evaluation rows")
    ids = _ids(table.column(cols.row_id), where, cols.row_id)
    target = _values(table.column(cols.target), where, cols.target)
    prediction = score = None
    if cols.prediction and cols.prediction in table.column_names:
        prediction = _values(table.column(cols.prediction), where, cols.prediction)
    if cols.score and cols.score in table.column_names:
        score = _values(table.column(cols.score), where, cols.score)
        if score.dtype.kind != "f":
            raise PredictionsInputError.single(
                where, "score must be a number", field=f"column {cols.score}",
                hint="log the predicted probability, or set predictions.columns.score")
    segments = {name: _segment(table.column(name), where, name) for name in cols.segments}
    return Predictions(where, ids, target, prediction, score, segments)


def _segment(column: pa.ChunkedArray, where: str, name: str) -> npt.NDArray[np.str_]:
    """Segment values as text (null: "", in no segment); booleans as YAML writes them."""
    kind = column.type
    if pa.types.is_boolean(kind):
        values = ["" if v is None else ("true" if v else "false") for v in column.to_pylist()]
    elif (pa.types.is_integer(kind) or pa.types.is_string(kind)
          or pa.types.is_large_string(kind) or pa.types.is_null(kind)):
        values = ["" if v is None else str(v) for v in column.to_pylist()]
    else:
        raise PredictionsInputError.single(where, f"segment values must be text, integers or "
                                           f"booleans, got {kind}", field=f"column {name}")
    return np.asarray(values, dtype=np.str_)


def _first_null(column: pa.ChunkedArray) -> int:
    return int(np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))[0]) + 1


def _ids(column: pa.ChunkedArray, where: str, name: str) -> npt.NDArray[np.str_]:
    field = f"column {name}"
    if column.null_count:
        raise PredictionsInputError.single(where, f"empty row id in data row "
                                           f"{_first_null(column)}", field=field)
    if pa.types.is_integer(column.type):
        ids = column.to_numpy().astype(np.int64).astype(np.str_)
    elif pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        ids = np.asarray(column.to_pylist(), dtype=np.str_)
    else:
        raise PredictionsInputError.single(where, f"row ids must be integers or text, got "
                                           f"{column.type}", field=field)
    empty = np.flatnonzero(np.char.str_len(ids) == 0)
    if empty.shape[0]:
        raise PredictionsInputError.single(where, f"empty row id in data row {empty[0] + 1}",
                                           field=field)
    unique, counts = np.unique(ids, return_counts=True)
    if unique.shape[0] != ids.shape[0]:
        twice = unique[counts > 1]
        raise PredictionsInputError.single(
            where, f"{twice.shape[0]:,} row ids appear more than once, e.g. {str(twice[0])!r}",
            field=field, hint="keep one prediction per row")
    return ids


def _values(column: pa.ChunkedArray, where: str, name: str) -> npt.NDArray[Any]:
    field = f"column {name}"
    if column.null_count:
        raise PredictionsInputError.single(where, f"missing value in data row "
                                           f"{_first_null(column)}", field=field)
    kind = column.type
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
        values = column.to_numpy().astype(np.float64)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.shape[0]:
            raise PredictionsInputError.single(
                where, f"{values[bad[0]]} in data row {bad[0] + 1}", field=field,
                hint="drop the row or log a finite number")
        return values
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return np.asarray(column.to_pylist(), dtype=np.str_)
    raise PredictionsInputError.single(where, f"expected numbers or text, got {kind}",
                                       field=field)
