"""Top-level entry: compare a current window with a reference table or profile."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
from tqdm import tqdm

from govkit.monitoring import columns as colmod
from govkit.monitoring import numeric as nm
from govkit.monitoring import profile as prof
from govkit.monitoring.config import FeatureKind, Rules
from govkit.monitoring.datasets import dataset_schema, iter_batches
from govkit.monitoring.errors import MonitoringInputError
from govkit.monitoring.evaluation import evaluate
from govkit.monitoring.findings import (
    categorical_findings,
    embedding_findings,
    numeric_findings,
    text_findings,
)
from govkit.monitoring.performance import LabelError, binary_labels
from govkit.monitoring.text import token_counts
from govkit.monitoring.window import (
    CategoricalAccumulator,
    EmbeddingAccumulator,
    NumericAccumulator,
    NumericCurrent,
    TextAccumulator,
    numeric_exact,
)
from govkit.schemas.monitoring import (
    SEVERITY_RANK,
    Finding,
    MonitoringResult,
    PerformanceMetric,
    RecommendedAction,
    SegmentRow,
    WindowDescriptor,
    worst_severity,
)

FeatureSpec = Sequence[str] | Mapping[str, FeatureKind | str | None] | None
T = TypeVar("T")
Accumulator = NumericAccumulator | CategoricalAccumulator | TextAccumulator | EmbeddingAccumulator
Counts = tuple[dict[str, int], int]  # category counts and nulls of one column


def _progress(items: Iterable[T], desc: str, total: int | None, on: bool | None) -> Iterator[T]:
    enabled = sys.stderr.isatty() if on is None else on
    yield from tqdm(
        items, desc=desc, total=total, file=sys.stderr, disable=not enabled, leave=False
    )


def drift_workers() -> int:
    """Threads computing columns in parallel on the exact path."""
    return min(4, os.cpu_count() or 1)


def psi_method(rules: Rules) -> str:
    return (
        f"PSI over {rules.psi_bins} quantile bins of the reference (numpy 'linear' quantiles at "
        f"1/{rules.psi_bins}..{rules.psi_bins - 1}/{rules.psi_bins}); tied edges collapse into "
        "fewer bins; bins are [a, b), outer bins open to -inf/+inf so current values outside the "
        f"reference range are counted, not dropped; proportions floored at {rules.psi_floor}; "
        "PSI = sum((cur - ref) * ln(cur / ref)). Categorical PSI: one bin per category."
    )


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


def _declared(
    features: FeatureSpec, data: pa.Table, exclude: set[str], rules: Rules, path: str
) -> dict[str, FeatureKind | None]:
    """Kinds declared or fixed by the arrow type; None for a string column, whose values decide
    (:func:`_detect`). Unsupported columns are skipped (all columns) or rejected (a list)."""
    if features is None:
        names = [n for n in data.column_names if n not in exclude]
        forced: Mapping[str, Any] = {}
    elif isinstance(features, Mapping):
        names, forced = list(features), features
    else:
        names, forced = list(features), {}
    kinds: dict[str, FeatureKind | None] = {}
    for name in names:
        t = colmod.require_column(data.schema, name, path)
        rule = rules.features.get(name)
        explicit = forced.get(name) or (rule.kind if rule else None)
        if explicit or colmod.type_class(t) == "string":
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


def _detect(
    data: pa.Table, name: str, kind: FeatureKind | None, rules: Rules
) -> tuple[FeatureKind, Counts | None]:
    """The kind of a column from :func:`_declared`, with its category counts if computed."""
    if kind is not None:
        return kind, None
    return colmod.string_kind(data.column(name), rules.high_cardinality)


def _reference_feature(
    data: pa.Table,
    name: str,
    kind: FeatureKind,
    rules: Rules,
    path: str,
    counts: Counts | None = None,
) -> tuple[prof.FeatureProfile, np.ndarray | None]:
    """Profile of one reference column (plus the sorted values for numeric columns);
    ``counts``: the column's category counts, if already computed."""
    rows = data.num_rows
    tc = colmod.type_class(data.schema.field(name).type)
    if kind == FeatureKind.NUMERIC:
        values = colmod.numeric_array(data, name, path)
        srt = nm.sorted_finite(values)
        _not_all_null(srt.shape[0], name, path)
        p = prof.numeric_profile(
            srt, rows, rows - srt.shape[0], tc, rules.psi_bins, rules.sketch_size
        )
        return p, srt
    if kind in (FeatureKind.CATEGORICAL, FeatureKind.HIGH_CARDINALITY):
        cats, nulls = counts or colmod.category_counts(data, name)
        _not_all_null(rows - nulls, name, path)
        return prof.categorical_profile(cats, rows, nulls, tc, kind, rules.top_k), None
    if kind == FeatureKind.TEXT:
        texts = colmod.string_list(data, name)
        nulls = sum(1 for t in texts if t is None)
        _not_all_null(rows - nulls, name, path)
        return prof.text_profile(token_counts(texts), rows, nulls, tc, rules.max_vocabulary), None
    matrix, nulls = colmod.embedding_matrix(data, name, path)
    _not_all_null(matrix.shape[0], name, path)
    return prof.embedding_profile(matrix, rows, nulls, tc), None


def _not_all_null(non_null: int, name: str, path: str) -> None:
    if non_null == 0:
        raise MonitoringInputError("column has only null values", path=path, column=name)


def _not_empty(rows: int, path: str) -> None:
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
) -> prof.ReferenceProfile:
    """Everything later windows need of ``reference`` (see :mod:`govkit.monitoring.profile`)."""
    rules = rules or Rules()
    where = path or "<reference>"
    _not_empty(reference.num_rows, where)
    exclude = {c for c in (predictions, labels, *segments) if c}
    declared = _declared(features, reference, exclude, rules, where)
    out = prof.ReferenceProfile(
        source=path,
        rows=reference.num_rows,
        psi_bins=rules.psi_bins,
        psi_floor=rules.psi_floor,
        sketch_size=rules.sketch_size,
    )
    for name, declared_kind in declared.items():
        kind, counts = _detect(reference, name, declared_kind, rules)
        out.features[name] = _reference_feature(
            reference, name, kind, rules.for_feature(name), where, counts
        )[0]
    if predictions and predictions in reference.column_names:
        p, _ = _reference_feature(reference, predictions, FeatureKind.NUMERIC, rules, where)
        out.predictions_column = predictions
        assert isinstance(p, prof.NumericProfile)
        out.predictions = p
    return out


def _accumulator(p: prof.FeatureProfile) -> Accumulator:
    if isinstance(p, prof.NumericProfile):
        return NumericAccumulator(p)
    if isinstance(p, prof.CategoricalProfile):
        return CategoricalAccumulator()
    if isinstance(p, prof.TextProfile):
        return TextAccumulator(p)
    return EmbeddingAccumulator(p)


def _update(acc: Accumulator, data: pa.Table | pa.RecordBatch, name: str, path: str) -> None:
    if isinstance(acc, NumericAccumulator):
        acc.update(colmod.numeric_array(data, name, path))
    elif isinstance(acc, CategoricalAccumulator):
        counts, nulls = colmod.category_counts(data, name)
        acc.update(counts, nulls, data.num_rows)
    elif isinstance(acc, TextAccumulator):
        acc.update(colmod.string_list(data, name))
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


def _findings(
    name: str,
    p: prof.FeatureProfile,
    cur: Accumulator | NumericCurrent,
    rules: Rules,
    path: str,
    prediction: bool = False,
) -> list[Finding]:
    if isinstance(cur, NumericAccumulator):
        cur = cur.finish()
    rows, nulls = cur.rows, cur.nulls
    _not_empty(rows, path)
    _not_all_null(rows - nulls, name, path)
    if isinstance(cur, NumericCurrent) and isinstance(p, prof.NumericProfile):
        return numeric_findings(name, p, cur, rules, prediction=prediction)
    if isinstance(cur, CategoricalAccumulator) and isinstance(p, prof.CategoricalProfile):
        return categorical_findings(name, p, cur, rules)
    if isinstance(cur, TextAccumulator) and isinstance(p, prof.TextProfile):
        return text_findings(name, p, cur, rules)
    if isinstance(cur, EmbeddingAccumulator) and isinstance(p, prof.EmbeddingProfile):
        return embedding_findings(name, p, cur, rules)
    raise AssertionError("profile and accumulator kinds differ")


def _check_current_schema(
    schema: pa.Schema, profiles: Mapping[str, prof.FeatureProfile], path: str
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


def compute_result(
    reference: pa.Table | prof.ReferenceProfile,
    current: pa.Table | str | os.PathLike[str],
    *,
    model: str,
    window: str,
    features: FeatureSpec = None,
    predictions: str | None = None,
    labels: str | None = None,
    segments: Sequence[str] = (),
    baseline: Mapping[str, float] | None = None,
    rules: Rules | None = None,
    reference_path: str | None = None,
    current_path: str | None = None,
    progress: bool | None = None,
) -> MonitoringResult:
    """Drift, prediction drift and performance of ``current`` against ``reference``.

    Two tables: exact statistics (each numeric column sorted once). A profile as reference,
    or a path (file or Parquet directory, read in batches) as current: mergeable counts, with
    KS from the profile's quantile sketch.
    """
    rules = rules or Rules()
    is_path = not isinstance(current, pa.Table)
    cur_where = current_path or (str(current) if is_path else "<current>")
    extra = [c for c in (predictions, labels, *segments) if c]
    if isinstance(reference, pa.Table):
        ref_where = reference_path or "<reference>"
        _not_empty(reference.num_rows, ref_where)
        ref_desc = WindowDescriptor(path=reference_path, rows=reference.num_rows, source="table")
    else:
        ref_where = reference_path or reference.source or "<profile>"
        ref_desc = WindowDescriptor(path=ref_where, rows=reference.rows, source="profile")

    found: list[Finding] = []
    pred_found: list[Finding] = []
    perf_cols: dict[str, list[pa.Array]] = {c: [] for c in extra}
    exact = isinstance(reference, pa.Table) and isinstance(current, pa.Table)
    if exact:
        assert isinstance(reference, pa.Table) and isinstance(current, pa.Table)
        _not_empty(current.num_rows, cur_where)
        for c in extra:
            colmod.require_column(current.schema, c, cur_where)
        declared = _declared(features, reference, set(extra), rules, ref_where)
        jobs = [(n, k, False) for n, k in declared.items()]
        if predictions and predictions in reference.column_names:
            jobs.append((predictions, FeatureKind.NUMERIC, True))
        ref_t, cur_t = reference, current
        for c in extra:
            colmod.require_column(cur_t.schema, c, cur_where)

        def run(job: tuple[str, FeatureKind | None, bool]) -> tuple[bool, list[Finding]]:
            name, declared_kind, is_pred = job
            kind, counts = _detect(ref_t, name, declared_kind, rules)
            r = rules if is_pred else rules.for_feature(name)
            p, ref_sorted = _reference_feature(ref_t, name, kind, r, ref_where, counts)
            t = colmod.require_column(cur_t.schema, name, cur_where)
            colmod.check_types(name, kind, p.type_class, colmod.type_class(t), cur_where)
            cur: Accumulator | NumericCurrent
            if ref_sorted is not None and isinstance(p, prof.NumericProfile):
                values = colmod.numeric_array(cur_t, name, cur_where)
                cur, _ = numeric_exact(ref_sorted, values, p)
            else:
                cur = _accumulator(p)
                _update(cur, cur_t, name, cur_where)
            return is_pred, _findings(name, p, cur, r, cur_where, is_pred)

        # numpy's sort and searchsorted release the GIL: columns run in parallel threads
        with ThreadPoolExecutor(max_workers=drift_workers()) as pool:
            for is_pred, fs in _progress(pool.map(run, jobs), "drift", len(jobs), progress):
                (pred_found if is_pred else found).extend(fs)
        for c in extra:
            perf_cols[c].append(current.column(c).combine_chunks())
        cur_desc = WindowDescriptor(path=current_path, rows=current.num_rows, source="table")
        ks_method = (
            "exact: KS statistic from the two sorted columns; p-value as scipy "
            "ks_2samp (exact for n <= 10000, else asymptotic kstwo)"
        )
    else:
        if isinstance(reference, pa.Table):
            reference = build_reference_profile(
                reference,
                features=features,
                predictions=predictions,
                labels=labels,
                segments=segments,
                rules=rules,
                path=reference_path,
            )
        profiles: dict[str, prof.FeatureProfile] = dict(reference.features)
        if features is not None:
            missing = [f for f in features if f not in profiles]
            if missing:
                raise MonitoringInputError(
                    "feature not in reference profile", path=ref_where, column=missing[0]
                )
            profiles = {f: profiles[f] for f in features}
        pred_p = reference.predictions if predictions == reference.predictions_column else None
        if pred_p is not None and predictions:
            profiles_pred: dict[str, prof.FeatureProfile] = {predictions: pred_p}
        else:
            profiles_pred = {}
        schema = current.schema if isinstance(current, pa.Table) else dataset_schema(current)
        _check_current_schema(schema, profiles, cur_where)
        for c in extra:
            colmod.require_column(schema, c, cur_where)
        accs = {n: _accumulator(p) for n, p in profiles.items()}
        pred_acc = {n: _accumulator(p) for n, p in profiles_pred.items()}
        needed = sorted(set(profiles) | set(extra))
        batches: Iterable[pa.Table | pa.RecordBatch]
        if is_path:
            batches = _progress(
                iter_batches(current, needed, rules.batch_size),
                "batches",
                None,
                progress,
            )
        else:
            batches = [current]
        rows = 0
        for batch in batches:
            rows += batch.num_rows
            for n, acc in (*accs.items(), *pred_acc.items()):
                _update(acc, batch, n, cur_where)
            for c in extra:
                col = batch.column(c)
                perf_cols[c].append(
                    col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
                )
        _not_empty(rows, cur_where)
        for n, acc in accs.items():
            found.extend(_findings(n, profiles[n], acc, rules.for_feature(n), cur_where))
        for n, acc in pred_acc.items():
            pred_found.extend(_findings(n, profiles_pred[n], acc, rules, cur_where, True))
        cur_desc = WindowDescriptor(
            path=cur_where if is_path else current_path,
            rows=rows,
            source="dataset" if is_path else "table",
        )
        ks_method = (
            f"sketch: KS statistic of the current window against a {reference.sketch_size}"
            "-point quantile sketch of the reference (within 1.5/sketch_size of exact); "
            "p-value asymptotic (kstwo) with the true sample sizes"
        )

    metrics: list[PerformanceMetric] = []
    seg_rows: list[SegmentRow] = []
    action = RecommendedAction(action="continue monitoring")
    if predictions and labels:
        metrics, seg_rows, action = _performance(
            perf_cols, predictions, labels, segments, baseline or {}, rules, cur_where
        )
    found.sort(key=lambda f: (f.feature, f.test))
    pred_found.sort(key=lambda f: f.test)
    levels = [f.severity for f in (*found, *pred_found)] + [m.severity for m in metrics]
    return MonitoringResult(
        model=model,
        window=window,
        reference=ref_desc,
        current=cur_desc,
        psi_method=psi_method(rules),
        ks_method=ks_method,
        features=found,
        prediction_drift=pred_found,
        performance=metrics,
        segments=seg_rows,
        recommended_action=action,
        drifted_features=sorted(
            {
                f.feature
                for f in found
                if f.status == "drift" and SEVERITY_RANK[f.severity] < SEVERITY_RANK["info"]
            }
        ),
        max_severity=worst_severity(levels),
    )


def _performance(
    cols: Mapping[str, list[pa.Array]],
    predictions: str,
    labels: str,
    segments: Sequence[str],
    baseline: Mapping[str, float],
    rules: Rules,
    path: str,
) -> tuple[list[PerformanceMetric], list[SegmentRow], RecommendedAction]:
    def col(name: str) -> pa.Array:
        return pa.concat_arrays(cols[name]) if cols[name] else pa.array([])

    y_arr, s_arr = col(labels), col(predictions)
    keep = np.asarray(y_arr.is_valid().to_numpy(zero_copy_only=False)) & np.asarray(
        s_arr.is_valid().to_numpy(zero_copy_only=False)
    )
    try:
        y = binary_labels(np.asarray(y_arr.to_numpy(zero_copy_only=False))[keep])
    except LabelError as exc:
        raise MonitoringInputError(
            str(exc), path=path, column=labels, hint="binary metrics need labels 0/1 or true/false"
        ) from exc
    table = pa.table({predictions: s_arr})
    scores = colmod.numeric_array(table, predictions, path)[keep]
    seg = {c: [v for v, k in zip(col(c).to_pylist(), keep, strict=True) if k] for c in segments}
    return evaluate(y, scores, seg, baseline, rules)
