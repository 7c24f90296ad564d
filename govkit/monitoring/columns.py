"""Arrow column access with the input checks the engine promises (names file and column)."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govkit.errors import MonitoringInputError
from govkit.monitoring import kinds
from govkit.monitoring.kinds import TypeClass
from govkit.monitoring.timestamps import epoch_us, is_time_type
from govkit.schemas.rules import FeatureKind

Columnar: TypeAlias = pa.Table | pa.RecordBatch


def type_class(t: pa.DataType) -> TypeClass:
    if pa.types.is_dictionary(t):
        return type_class(t.value_type)
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "numeric"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return "list"
    if is_time_type(t):
        return "time"
    if pa.types.is_null(t):
        return "null"  # a CSV column with no value at all
    return "other"


def require_column(schema: pa.Schema, name: str, path: str) -> pa.DataType:
    """The column's type; an error if the window lacks it or has it twice. One hash lookup
    (``schema.names`` builds a list of every name: quadratic over a wide window)."""
    index = schema.get_field_index(name)
    if index >= 0:
        return schema.field(index).type
    if schema.get_all_field_indices(name):
        raise MonitoringInputError("column appears more than once", path=path, column=name,
                                   hint="give each column of the window its own name")
    shown = ", ".join(schema.names[:20])
    raise MonitoringInputError(
        f"column {name!r} not found", path=path, column=name, hint=f"columns are: {shown}"
    )


def check_types(name: str, kind: FeatureKind, ref_type: str, cur_type: str, cur_path: str) -> None:
    """Raise if the two windows store the column differently (numbers-as-text is allowed
    for numeric features and checked value by value when read)."""
    if "null" in (ref_type, cur_type):
        return  # a column with only nulls has no type of its own: a null-rate finding
    if kind == FeatureKind.NUMERIC and {ref_type, cur_type} <= {"numeric", "string", "bool"}:
        return
    if kind == FeatureKind.TIMESTAMP and {ref_type, cur_type} <= {"time", "string"}:
        return  # a date typed by a CSV reader and the same date kept as text in Parquet
    if ref_type != cur_type:
        raise MonitoringInputError(
            f"column type mismatch between windows: reference {ref_type}, current {cur_type}",
            path=cur_path,
            column=name,
        )


def _flat(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous array; a single chunk is used as is (``combine_chunks`` always copies)."""
    if isinstance(col, pa.ChunkedArray):
        return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
    return col


def numeric_array(data: Columnar, name: str, path: str) -> np.ndarray:
    """Float64 values with nulls (and NaN) as NaN; text that is not a number is an error."""
    col = _flat(data.column(name))
    t = col.type
    if pa.types.is_dictionary(t):
        col = col.dictionary_decode()
        t = col.type
    if type_class(t) in ("string", "bool", "null"):
        try:
            col = pc.cast(col, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            bad = _first_non_numeric(col)
            raise MonitoringInputError(
                f"non-numeric values in numeric column (e.g. {bad!r})",
                path=path,
                column=name,
                hint="clean the column or declare the feature categorical",
            ) from exc
    elif type_class(t) != "numeric":
        raise MonitoringInputError(
            f"numeric feature stored as {t}", path=path, column=name, hint="declare its kind"
        )
    if not pa.types.is_float64(col.type):
        col = pc.cast(col, pa.float64())
    return _float64_values(col)


def _float64_values(col: pa.Array) -> np.ndarray:
    """A float64 array's values with nulls as NaN, read from its buffers: `to_numpy` would
    import pandas (~0.5 s) on the path of `check` and `build` (issue 26)."""
    validity, data = col.buffers()
    n = len(col)
    values = np.frombuffer(data, dtype=np.float64, count=n, offset=col.offset * 8) if n else \
        np.empty(0, dtype=np.float64)
    if col.null_count == 0 or validity is None:
        return values
    valid = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
    out = values.copy()
    out[~valid[col.offset:col.offset + n].astype(bool)] = np.nan
    return out


def _first_non_numeric(col: pa.Array) -> str:
    for v in col.to_pylist():
        if v is None:
            continue
        try:
            float(v)
        except (TypeError, ValueError):
            return str(v)
    return "?"


def category_counts(data: Columnar, name: str) -> tuple[dict[str, int], int]:
    """Counts of each non-null category (as text) and the null count."""
    return _category_counts(_flat(data.column(name)))


def _category_counts(col: pa.Array) -> tuple[dict[str, int], int]:
    nulls = col.null_count
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        col = pc.cast(col, pa.string())
    vc = pc.value_counts(col)
    counts: dict[str, int] = {}
    for v, c in zip(vc.field("values").to_pylist(), vc.field("counts").to_pylist(), strict=True):
        if v is not None:
            counts[v] = counts.get(v, 0) + int(c)
    return counts, nulls


def string_list(data: Columnar, name: str) -> list[str | None]:
    col = _flat(data.column(name))
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    return list(col.to_pylist())


def embedding_matrix(data: Columnar, name: str, path: str) -> tuple[np.ndarray, int]:
    """Non-null embedding rows as a (rows x dim) float64 matrix and the null count."""
    col = _flat(data.column(name))
    nulls = col.null_count
    if nulls:
        col = pc.drop_null(col)
    if len(col) == 0:
        return np.zeros((0, 0)), nulls
    lengths = pc.list_value_length(col).to_numpy(zero_copy_only=False)
    if lengths.min() != lengths.max():
        raise MonitoringInputError("embedding rows have different lengths", path=path, column=name)
    flat = pc.list_flatten(col)
    if type_class(flat.type) != "numeric":
        raise MonitoringInputError(
            f"embedding values must be numbers, got {flat.type}", path=path, column=name
        )
    values = np.asarray(flat.to_numpy(zero_copy_only=False), dtype=np.float64)
    return values.reshape(len(col), int(lengths[0])), nulls


def time_array(data: Columnar, name: str, path: str) -> np.ndarray:
    """Microseconds since the epoch (UTC), NaN for null, from any timestamp storage."""
    return epoch_us(_flat(data.column(name)), name, path)


def prediction_kind(data: Columnar, name: str) -> FeatureKind:
    """A 0/1 (or boolean) prediction column is a class: categorical tests on its shares.
    Scores are numeric."""
    col = _decoded(data.column(name))
    if type_class(col.type) == "bool":
        return FeatureKind.CATEGORICAL
    if type_class(col.type) != "numeric" or len(col) == col.null_count:
        return FeatureKind.NUMERIC
    binary = pc.all(pc.or_(pc.equal(col, 0), pc.equal(col, 1))).as_py()
    return FeatureKind.CATEGORICAL if binary else FeatureKind.NUMERIC


def kind_of_type(t: pa.DataType) -> FeatureKind | None:
    """The kind the arrow type decides alone (:func:`kinds.kind_of_type`)."""
    return kinds.kind_of_type(type_class(t))


def detect_kind(col: pa.ChunkedArray | pa.Array, high_cardinality: int = 50) -> FeatureKind | None:
    """The column's kind by the shared rule (:mod:`govkit.monitoring.kinds`); None if
    unsupported."""
    kind = kinds.column_kind(type_class(col.type), None, lambda: string_traits(col))
    if kind != FeatureKind.CATEGORICAL or type_class(col.type) != "string":
        return kind
    return kinds.categorical_kind(pc.count_distinct(_decoded(col)).as_py(), high_cardinality)


def string_kind(
    col: pa.ChunkedArray | pa.Array, high_cardinality: int = 50
) -> tuple[FeatureKind, tuple[dict[str, int], int] | None]:
    """:func:`detect_kind` of a string column, plus :func:`category_counts` unless it is text
    or time (one pass over the values gives both the distinct count and the counts)."""
    flat = _decoded(col)
    kind = kinds.column_kind("string", None, lambda: string_traits(flat))
    if kind != FeatureKind.CATEGORICAL:
        return kind or FeatureKind.TEXT, None
    counts, nulls = _category_counts(flat)
    return kinds.categorical_kind(len(counts), high_cardinality), (counts, nulls)


def string_traits(col: pa.ChunkedArray | pa.Array) -> kinds.StringTraits:
    """ISO 8601 values among the first 1,000 non-null values; mean words (whitespace-split) and
    characters of the first 10,000."""
    flat = _decoded(col)
    head = pc.drop_null(flat.slice(0, 50_000))
    times = head[:1000]
    iso = pc.sum(pc.match_substring_regex(times, kinds.ISO_8601)).as_py() if len(times) else 0
    sample = head[:10_000]
    if not len(sample):
        return kinds.StringTraits(0, 0, 0.0, 0.0)
    lengths = pc.utf8_length(sample).to_numpy(zero_copy_only=False)
    words = pc.list_value_length(pc.utf8_split_whitespace(sample)).to_numpy(zero_copy_only=False)
    return kinds.StringTraits(len(times), int(iso or 0), float(words.mean()),
                              float(lengths.mean()))


def _decoded(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    flat = _flat(col)
    return flat.dictionary_decode() if pa.types.is_dictionary(flat.type) else flat
