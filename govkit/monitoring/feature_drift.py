"""Per-feature drift steps: declare kinds, profile a reference column, accumulate the
current column (at once or batch by batch), and turn both into findings."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from govkit.errors import MonitoringInputError
from govkit.monitoring import columns as colmod
from govkit.monitoring import numeric as nm
from govkit.monitoring import profile as prof
from govkit.monitoring.findings import (
    all_null_finding,
    categorical_findings,
    new_column_finding,
    numeric_findings,
)
from govkit.monitoring.other_findings import (
    embedding_findings,
    text_findings,
    timestamp_findings,
)
from govkit.monitoring.text import token_counts
from govkit.monitoring.window import (
    CategoricalAccumulator,
    EmbeddingAccumulator,
    NumericAccumulator,
    NumericCurrent,
    TextAccumulator,
    TimestampAccumulator,
)
from govkit.schemas import profile as shapes
from govkit.schemas.monitoring import Finding
from govkit.schemas.rules import FeatureKind, Rules

FeatureSpec = Sequence[str] | Mapping[str, FeatureKind | str | None] | None
T = TypeVar("T")
Accumulator = (NumericAccumulator | CategoricalAccumulator | TextAccumulator
               | EmbeddingAccumulator | TimestampAccumulator)
Counts = tuple[dict[str, int], int]  # category counts and nulls of one column


def progress_bar(items: Iterable[T], desc: str, total: int | None, on: bool | None) -> Iterator[T]:
    enabled = sys.stderr.isatty() if on is None else on
    yield from tqdm(
        items, desc=desc, total=total, file=sys.stderr, disable=not enabled, leave=False
    )


def drift_workers() -> int:
    """Threads computing columns in parallel on the exact path."""
    return min(4, os.cpu_count() or 1)


def psi_method(rules: Rules) -> str:
    bins = (f"PSI over {rules.psi_bins} quantile bins of the reference (numpy 'linear' quantiles "
            f"at 1/{rules.psi_bins}..{rules.psi_bins - 1}/{rules.psi_bins}); tied edges collapse "
            "into fewer bins; ")
    if rules.psi_variant == "seed":
        return (bins + "seed variant: bins closed at the reference min and max, current values "
                "outside are dropped from the counts but not the total (the chapter's "
                f"calculate_psi); proportions floored at {rules.psi_floor}; PSI = sum((cur - ref) "
                "* ln(cur / ref)); bands on the raw PSI. Categorical PSI: one bin per category. "
                "Expected PSI with no drift and its p-value reported, not used.")
    return (bins + "bins are [a, b), outer bins open to -inf/+inf so current values outside the "
            f"reference range are counted, not dropped; proportions floored at "
            f"{rules.psi_floor}; PSI = sum((cur - ref) * ln(cur / ref)). Categorical PSI: one "
            "bin per category. With no drift PSI * nm/(n+m) ~ chi2(k-1), so E[PSI] = (k-1)"
            "(1/n + 1/m); the bands apply to PSI minus that expectation, and only when p < "
            f"{rules.psi_p_value}.")


def detect_feature_kinds(
    table: pa.Table, *, exclude: Iterable[str] = (), high_cardinality: int = 50
) -> dict[str, FeatureKind]:
    """Kinds of all supported columns of ``table`` (unsupported types are left out)."""
    skip = set(exclude)
    kinds: dict[str, FeatureKind] = {}
    for name in table.column_names:
        if name in skip:
            continue
        kind = colmod.detect_kind(table.column(name), high_cardinality)
        if kind is not None:
            kinds[name] = kind
    return kinds


def declared_kinds(
    features: FeatureSpec, data: pa.Table, exclude: set[str], rules: Rules, path: str,
    timestamp: str | None = None,
) -> dict[str, FeatureKind | None]:
    """Kinds declared or fixed by the arrow type; None for a string column, whose values decide
    (:func:`_detect`). Unsupported columns are skipped (all columns) or rejected (a list).
    Role columns in ``exclude`` are left out unless listed; the ``timestamp`` role column is
    always profiled, as a time range."""
    if features is None:
        names = [n for n in data.column_names if n not in exclude]
        forced: dict[str, Any] = {}
    elif isinstance(features, Mapping):
        names, forced = list(features), dict(features)
    else:
        names, forced = list(features), {}
    if timestamp:
        names = [*[n for n in names if n != timestamp], timestamp]
        forced[timestamp] = FeatureKind.TIMESTAMP
    kinds: dict[str, FeatureKind | None] = {}
    for name in names:
        t = colmod.require_column(data.schema, name, path)
        rule = rules.features.get(name)
        explicit = forced.get(name) or (rule.kind if rule else None)
        if explicit or colmod.type_class(t) in ("string", "null"):
            kinds[name] = FeatureKind(explicit) if explicit else None
            continue
        kind = colmod.kind_of_type(t)
        if kind is None:
            if features is None:
                continue
            raise MonitoringInputError(
                f"unsupported column type {t}",
                path=path,
                column=name,
                hint="declare the feature kind or leave the column out",
            )
        kinds[name] = kind
    return kinds


def detect_kind_and_counts(
    data: pa.Table, name: str, kind: FeatureKind | None, rules: Rules
) -> tuple[FeatureKind, Counts | None]:
    """The kind of a column from :func:`_declared`, with its category counts if computed."""
    if kind is not None:
        return kind, None
    if colmod.type_class(data.schema.field(name).type) == "null":
        return FeatureKind.CATEGORICAL, ({}, data.num_rows)  # only nulls: no values to judge
    return colmod.string_kind(data.column(name), rules.high_cardinality)


def reference_feature(
    data: pa.Table,
    name: str,
    kind: FeatureKind,
    rules: Rules,
    path: str,
    counts: Counts | None = None,
) -> tuple[shapes.FeatureProfile, np.ndarray | None]:
    """Profile of one reference column (plus the sorted values for numeric columns);
    ``counts``: the column's category counts, if already computed."""
    rows = data.num_rows
    tc = colmod.type_class(data.schema.field(name).type)
    if kind == FeatureKind.NUMERIC:
        values = colmod.numeric_array(data, name, path)
        srt = nm.sorted_finite(values)
        require_values(srt.shape[0], name, path)
        p = prof.numeric_profile(
            srt, rows, rows - srt.shape[0], tc, rules.psi_bins, rules.sketch_size
        )
        return p, srt
    if kind in (FeatureKind.CATEGORICAL, FeatureKind.HIGH_CARDINALITY):
        cats, nulls = counts or colmod.category_counts(data, name)
        require_values(rows - nulls, name, path)
        return prof.categorical_profile(cats, rows, nulls, tc, kind, rules.top_k), None
    if kind == FeatureKind.TEXT:
        texts = colmod.string_list(data, name)
        nulls = sum(1 for t in texts if t is None)
        require_values(rows - nulls, name, path)
        return prof.text_profile(token_counts(texts), rows, nulls, tc, rules.max_vocabulary), None
    if kind == FeatureKind.TIMESTAMP:
        times = colmod.time_array(data, name, path)
        require_values(int(np.count_nonzero(~np.isnan(times))), name, path)
        return prof.timestamp_profile(times, rows, tc), None
    matrix, nulls = colmod.embedding_matrix(data, name, path)
    require_values(matrix.shape[0], name, path)
    return prof.embedding_profile(matrix, rows, nulls, tc), None


def require_values(non_null: int, name: str, path: str) -> None:
    if non_null == 0:
        raise MonitoringInputError("column has only null values", path=path, column=name)


def require_rows(rows: int, path: str) -> None:
    if rows == 0:
        raise MonitoringInputError("window has no rows", path=path)


def build_reference_profile(
    reference: pa.Table,
    *,
    features: FeatureSpec = None,
    predictions: str | None = None,
    labels: str | None = None,
    segments: Sequence[str] = (),
    rules: Rules | None = None,
    path: str | None = None,
    ids: Sequence[str] = (),
    timestamp: str | None = None,
) -> shapes.ReferenceProfile:
    """Everything later windows need of ``reference`` (see :mod:`govkit.monitoring.profile`)."""
    rules = rules or Rules()
    where = path or "<reference>"
    require_rows(reference.num_rows, where)
    exclude = {c for c in (predictions, labels, *segments, *ids, timestamp) if c}
    declared = declared_kinds(features, reference, exclude, rules, where, timestamp)
    out = shapes.ReferenceProfile(
        source=path,
        rows=reference.num_rows,
        psi_bins=rules.psi_bins,
        psi_floor=rules.psi_floor,
        sketch_size=rules.sketch_size,
    )
    for name, declared_kind in declared.items():
        kind, counts = detect_kind_and_counts(reference, name, declared_kind, rules)
        out.features[name] = reference_feature(
            reference, name, kind, rules.for_feature(name), where, counts
        )[0]
    if predictions and predictions in reference.column_names:
        kind = colmod.prediction_kind(reference, predictions)
        p, _ = reference_feature(reference, predictions, kind, rules, where)
        out.predictions_column = predictions
        assert isinstance(p, shapes.NumericProfile | shapes.CategoricalProfile)
        out.predictions = p
    return out


def accumulator_for(p: shapes.FeatureProfile) -> Accumulator:
    if isinstance(p, shapes.NumericProfile):
        return NumericAccumulator(p)
    if isinstance(p, shapes.CategoricalProfile):
        return CategoricalAccumulator()
    if isinstance(p, shapes.TextProfile):
        return TextAccumulator(p)
    if isinstance(p, shapes.TimestampProfile):
        return TimestampAccumulator(p)
    return EmbeddingAccumulator(p)


def accumulate(acc: Accumulator, data: pa.Table | pa.RecordBatch, name: str, path: str) -> None:
    if isinstance(acc, NumericAccumulator):
        acc.update(colmod.numeric_array(data, name, path))
    elif isinstance(acc, CategoricalAccumulator):
        counts, nulls = colmod.category_counts(data, name)
        acc.update(counts, nulls, data.num_rows)
    elif isinstance(acc, TextAccumulator):
        acc.update(colmod.string_list(data, name))
    elif isinstance(acc, TimestampAccumulator):
        acc.update(colmod.time_array(data, name, path))
    else:
        matrix, nulls = colmod.embedding_matrix(data, name, path)
        if matrix.shape[0] and matrix.shape[1] != len(acc.profile.mean):
            raise MonitoringInputError(
                f"embedding dimension {matrix.shape[1]} differs from reference "
                f"{len(acc.profile.mean)}",
                path=path,
                column=name,
            )
        acc.update(matrix, nulls)


def findings_for(
    name: str,
    p: shapes.FeatureProfile,
    cur: Accumulator | NumericCurrent,
    rules: Rules,
    path: str,
    prediction: bool = False,
    as_of: dt.datetime | None = None,
) -> list[Finding]:
    if isinstance(cur, NumericAccumulator):
        cur = cur.finish()
    rows, nulls = cur.rows, cur.nulls
    require_rows(rows, path)
    if rows == nulls:
        return [all_null_finding(name, p.kind, p.rows, p.nulls, rows, nulls, rules)]
    if isinstance(cur, NumericCurrent) and isinstance(p, shapes.NumericProfile):
        return numeric_findings(name, p, cur, rules, prediction=prediction)
    if isinstance(cur, CategoricalAccumulator) and isinstance(p, shapes.CategoricalProfile):
        return categorical_findings(name, p, cur, rules, prediction=prediction)
    if isinstance(cur, TextAccumulator) and isinstance(p, shapes.TextProfile):
        return text_findings(name, p, cur, rules)
    if isinstance(cur, EmbeddingAccumulator) and isinstance(p, shapes.EmbeddingProfile):
        return embedding_findings(name, p, cur, rules)
    if isinstance(cur, TimestampAccumulator) and isinstance(p, shapes.TimestampProfile):
        return timestamp_findings(name, p, cur, rules, as_of)
    raise AssertionError("profile and accumulator kinds differ")


def only_nulls(data: pa.Table, name: str) -> bool:
    col = data.column(name)
    return col.null_count == len(col)


def reference_null_findings(name: str, ref: pa.Table, cur: pa.Table, rules: Rules) -> list[Finding]:
    """A reference column with only nulls: nothing to compare, its null rate is the finding."""
    col = cur.column(name)
    kind = colmod.kind_of_type(col.type)
    return [all_null_finding(name, kind.value if kind else "unknown", ref.num_rows,
                             ref.num_rows, len(col), col.null_count, rules)]


def new_column_findings(current: pa.Schema, reference: Sequence[str], excluded: set[str],
                        rows: int, rules: Rules) -> list[Finding]:
    """A finding per column of the current window the reference does not have."""
    known = set(reference) | excluded
    return [new_column_finding(n, str(current.field(n).type), rows, rules)
            for n in current.names if n not in known]


def check_current_schema(
    schema: pa.Schema, profiles: Mapping[str, shapes.FeatureProfile], path: str
) -> None:
    for name, p in profiles.items():
        t = colmod.require_column(schema, name, path)
        colmod.check_types(
            name,
            FeatureKind(p.kind),
            p.type_class,
            colmod.type_class(t),
            path,
        )
