"""Top-level entry: compare a current window with a reference table or profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Protocol, TypeAlias, runtime_checkable

import pyarrow as pa

from govkit.errors import MonitoringInputError
from govkit.monitoring import columns as colmod
from govkit.monitoring.estimated import ASSUMPTION
from govkit.monitoring.evaluation import Baselines
from govkit.monitoring.feature_drift import (
    Accumulator,
    FeatureSpec,
    accumulate,
    accumulator_for,
    build_reference_profile,
    check_current_schema,
    declared_kinds,
    detect_feature_kinds,
    detect_kind_and_counts,
    drift_workers,
    findings_for,
    new_column_findings,
    only_nulls,
    progress_bar,
    psi_method,
    reference_feature,
    reference_null_findings,
    require_rows,
)
from govkit.monitoring.live import labels_pending, live_results
from govkit.monitoring.multiplicity import adjust_drift
from govkit.monitoring.request import MonitoringRequest
from govkit.monitoring.roles import Roles
from govkit.monitoring.window import NumericCurrent, numeric_exact
from govkit.schemas import profile as shapes
from govkit.schemas.monitoring import (
    Finding,
    MonitoringResult,
    WindowDescriptor,
)
from govkit.schemas.rules import FeatureKind, Rules
from govkit.schemas.severity import SEVERITY_RANK, worst_severity

__all__ = [
    "build_reference_profile",
    "compute_result",
    "detect_feature_kinds",
    "drift_workers",
    "psi_method",
]


@dataclass
class _Drift:
    found: list[Finding]
    pred_found: list[Finding]
    perf_cols: dict[str, list[pa.Array]]
    current: WindowDescriptor
    ks_method: str


class BatchSource(Protocol):
    """A window read in record batches (a Parquet folder, a lakehouse table, ...)."""

    @property
    def schema(self) -> pa.Schema: ...

    @property
    def where(self) -> str: ...

    def batches(self, columns: Sequence[str], batch_size: int) -> Iterator[pa.RecordBatch]: ...


@runtime_checkable
class ColumnSource(Protocol):
    """A window read column by column (a Parquet file): each column is read when its
    statistics start and released when they are done."""

    @property
    def schema(self) -> pa.Schema: ...

    @property
    def num_rows(self) -> int: ...

    @property
    def where(self) -> str: ...

    def read(self, columns: Sequence[str]) -> pa.Table: ...


Window: TypeAlias = "pa.Table | ColumnSource"


def compute_result(
    reference: Window | shapes.ReferenceProfile,
    current: Window | BatchSource,
    request: MonitoringRequest,
) -> MonitoringResult:
    """Drift, prediction drift and performance of ``current`` against ``reference``.

    Two tables: exact statistics (each numeric column sorted once). A profile as reference,
    or a path (file or Parquet directory, read in batches) as current: mergeable counts, with
    KS from the profile's quantile sketch. ``request.windows.as_of``: the window's date, for
    freshness.
    """
    model, window, features = request.model, request.window, request.features
    rules, progress, as_of = request.rules, request.progress, request.windows.as_of
    reference_path, current_path = request.windows.reference, request.windows.current
    cur_where = current_path or (current.where if not isinstance(current, pa.Table)
                                 else "<current>")
    exact = isinstance(reference, pa.Table | ColumnSource) and isinstance(
        current, pa.Table | ColumnSource)
    if not exact:  # counted batch by batch against a profile: whole tables
        if isinstance(reference, ColumnSource):
            reference = reference.read(reference.schema.names)
        if isinstance(current, ColumnSource):
            current = current.read(current.schema.names)
    shape = reference.schema.empty_table() if isinstance(reference, ColumnSource) else reference
    pending = labels_pending(shape, current.schema, request.roles.labels)
    proxies = request.proxies
    roles = replace(request.roles, labels=None if pending else request.roles.labels,
                    pending=pending, proxies=tuple(c for c, _, _ in proxies.values()))
    if isinstance(reference, shapes.ReferenceProfile):
        ref_where = reference_path or reference.source or "<profile>"
        ref_desc = WindowDescriptor(path=ref_where, rows=reference.rows, source="profile")
    else:
        ref_where = reference_path or "<reference>"
        require_rows(reference.num_rows, ref_where)
        ref_desc = WindowDescriptor(path=reference_path, rows=reference.num_rows, source="table")

    if isinstance(reference, pa.Table | ColumnSource) and isinstance(
            current, pa.Table | ColumnSource):
        drift = _exact(
            reference, current, features=features, roles=roles, rules=rules,
            ref_where=ref_where, cur_where=cur_where, current_path=current_path,
            progress=progress, as_of=as_of,
        )
    else:
        assert not isinstance(reference, ColumnSource) and not isinstance(current, ColumnSource)
        drift = _batched(
            reference, current, features=features, roles=roles, rules=rules,
            ref_where=ref_where, cur_where=cur_where, reference_path=reference_path,
            current_path=current_path, progress=progress, as_of=as_of,
        )
    found, pred_found = drift.found, drift.pred_found
    live = live_results(
        drift.perf_cols, roles, Baselines(request.baseline, request.segment_baselines), proxies,
        rules, cur_where)
    metrics, seg_rows, action, estimated = (live.metrics, live.segments, live.action,
                                            live.estimated)
    pred_found.extend(live.versus_reference)
    found.sort(key=lambda f: (f.feature, f.test))
    pred_found.sort(key=lambda f: f.test)
    adjust_drift([*found, *pred_found], rules)
    levels = [f.severity for f in (*found, *pred_found)] + [m.severity for m in metrics]
    return MonitoringResult(
        model=model,
        window=window,
        reference=ref_desc,
        current=drift.current,
        psi_method=psi_method(rules),
        ks_method=drift.ks_method,
        features=found,
        prediction_drift=pred_found,
        performance=metrics,
        segments=seg_rows,
        estimated_performance=estimated,
        labels_pending=pending,
        estimation_method=ASSUMPTION if estimated else None,
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


def _exact(
    reference: Window, current: Window, *, features: FeatureSpec, roles: Roles,
    rules: Rules, ref_where: str, cur_where: str, current_path: str | None,
    progress: bool | None, as_of: dt.datetime | None,
) -> _Drift:
    """Two windows: every numeric column sorted once, exact statistics, columns in threads.
    Each job takes only its own column of each window (a `ColumnSource` reads it then),
    so its buffers are released when its statistics are done."""
    found: list[Finding] = []
    pred_found: list[Finding] = []
    extra, predictions = roles.collected, roles.predictions
    perf_cols: dict[str, list[pa.Array]] = {c: [] for c in extra}
    require_rows(current.num_rows, cur_where)
    for c in roles.required:
        colmod.require_column(current.schema, c, cur_where)
    declared = declared_kinds(features, reference.schema.empty_table(), roles.excluded, rules,
                              ref_where, roles.timestamp)
    jobs = [(n, k, False) for n, k in declared.items()]
    if predictions and predictions in reference.schema.names:
        kind = colmod.prediction_kind(_take(reference, [predictions]), predictions)
        jobs.append((predictions, kind, True))

    def run(job: tuple[str, FeatureKind | None, bool]) -> tuple[bool, list[Finding]]:
        name, declared_kind, is_pred = job
        ref_t = _take(reference, [name])
        if only_nulls(ref_t, name):
            colmod.require_column(current.schema, name, cur_where)
            return is_pred, reference_null_findings(name, ref_t, _take(current, [name]),
                                                    rules.for_feature(name))
        kind, counts = detect_kind_and_counts(ref_t, name, declared_kind, rules)
        r = rules if is_pred else rules.for_feature(name)
        p, ref_sorted = reference_feature(ref_t, name, kind, r, ref_where, counts)
        t = colmod.require_column(current.schema, name, cur_where)
        colmod.check_types(name, kind, p.type_class, colmod.type_class(t), cur_where)
        cur_t = _take(current, [name])
        cur: Accumulator | NumericCurrent
        if ref_sorted is not None and isinstance(p, shapes.NumericProfile):
            values = colmod.numeric_array(cur_t, name, cur_where)
            cur, _ = numeric_exact(ref_sorted, values, p)
        else:
            cur = accumulator_for(p)
            accumulate(cur, cur_t, name, cur_where)
        return is_pred, findings_for(name, p, cur, r, cur_where, is_pred, as_of)

    # numpy's sort and searchsorted release the GIL: columns run in parallel threads
    with ThreadPoolExecutor(max_workers=drift_workers()) as pool:
        for is_pred, fs in progress_bar(pool.map(run, jobs), "drift", len(jobs), progress):
            (pred_found if is_pred else found).extend(fs)
    if features is None:
        found.extend(new_column_findings(current.schema, reference.schema.names,
                                         roles.excluded, current.num_rows, rules))
    if extra:
        collected = _take(current, list(extra))
        for c in extra:
            perf_cols[c].append(collected.column(c).combine_chunks())
    cur_desc = WindowDescriptor(path=current_path, rows=current.num_rows, source="table")
    ks_method = (
        "exact: KS statistic from the two sorted columns; p-value as scipy "
        "ks_2samp (exact for n <= 10000, else asymptotic kstwo)"
    )
    return _Drift(found, pred_found, perf_cols, cur_desc, ks_method)


def _take(window: Window, names: list[str]) -> pa.Table:
    """Only these columns of a window: a zero-copy selection, or read now from its file."""
    return window.select(names) if isinstance(window, pa.Table) else window.read(names)


def _batched(
    reference: pa.Table | shapes.ReferenceProfile, current: pa.Table | BatchSource, *,
    features: FeatureSpec, roles: Roles, rules: Rules, ref_where: str, cur_where: str,
    reference_path: str | None, current_path: str | None, progress: bool | None,
    as_of: dt.datetime | None,
) -> _Drift:
    """A profile as reference or a path as current: mergeable counts, batch by batch, with
    KS from the profile's quantile sketch."""
    is_path = not isinstance(current, pa.Table)
    found: list[Finding] = []
    pred_found: list[Finding] = []
    extra, predictions = roles.collected, roles.predictions
    perf_cols: dict[str, list[pa.Array]] = {c: [] for c in extra}
    if isinstance(reference, pa.Table):
        reference = build_reference_profile(
            reference, features=features, predictions=predictions, labels=roles.labels,
            segments=roles.segments, rules=rules, path=reference_path,
            ids=(*roles.ids, *([roles.reference_predictions] if roles.reference_predictions
                               else [])),
            timestamp=roles.timestamp,
        )
    profiles: dict[str, shapes.FeatureProfile] = dict(reference.features)
    wanted = None if features is None else [*features, *([roles.timestamp] if roles.timestamp
                                                         else [])]
    if wanted is None:  # a profile built without these roles: its role columns are not features
        profiles = {n: p for n, p in profiles.items()
                    if n not in roles.excluded or n == roles.timestamp}
    else:
        missing = [f for f in wanted if f not in profiles]
        if missing:
            raise MonitoringInputError(
                "feature not in reference profile", path=ref_where, column=missing[0],
                hint="build the profile with the same --feature and --timestamp columns",
            )
        profiles = {f: profiles[f] for f in dict.fromkeys(wanted)}
    pred_p = reference.predictions if predictions == reference.predictions_column else None
    if pred_p is not None and predictions:
        profiles_pred: dict[str, shapes.FeatureProfile] = {predictions: pred_p}
    else:
        profiles_pred = {}
    schema = current.schema
    check_current_schema(schema, profiles, cur_where)
    for c in roles.required:
        colmod.require_column(schema, c, cur_where)
    accs = {n: accumulator_for(p) for n, p in profiles.items()}
    pred_acc = {n: accumulator_for(p) for n, p in profiles_pred.items()}
    needed = sorted(set(profiles) | set(extra))
    batches: Iterable[pa.Table | pa.RecordBatch]
    if not isinstance(current, pa.Table):
        batches = progress_bar(
            current.batches(needed, rules.batch_size),
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
            accumulate(acc, batch, n, cur_where)
        for c in extra:
            col = batch.column(c)
            perf_cols[c].append(
                col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
            )
    require_rows(rows, cur_where)
    if wanted is None:
        found.extend(new_column_findings(
            schema, [*reference.features, *([reference.predictions_column]
                                            if reference.predictions_column else [])],
            roles.excluded, rows, rules))
    for n, acc in accs.items():
        found.extend(findings_for(n, profiles[n], acc, rules.for_feature(n), cur_where,
                                  as_of=as_of))
    for n, acc in pred_acc.items():
        pred_found.extend(findings_for(n, profiles_pred[n], acc, rules, cur_where, True))
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

    return _Drift(found, pred_found, perf_cols, cur_desc, ks_method)
