"""Every statistic of a monitoring result from two window profiles (reference, current).

Exact from the counts (same as the in-memory engine on the same bins and categories): PSI and
its noise, chi-square, Cramér's V, category PSI, unseen categories, null rate, z-score of the
mean, confusion-matrix metrics with Wilson intervals and exact binomial tests. Approximate,
with the bound on the page: KS (two KLL sketches) and AUC with DeLong (score histograms); see
:mod:`govkit.monitoring.window_profile`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

import numpy as np

from govkit.monitoring import numeric as nm
from govkit.monitoring import window_profile as wp
from govkit.monitoring.evaluation import Baselines, Slice, evaluate_slices
from govkit.monitoring.feature_drift import psi_method
from govkit.monitoring.findings import all_null_finding, categorical_findings, numeric_findings
from govkit.monitoring.ks_refine import exact_ks as exact_result
from govkit.monitoring.ks_refine import p_value_tests, undecided
from govkit.monitoring.multiplicity import adjust_drift
from govkit.monitoring.other_findings import timestamp_findings
from govkit.monitoring.profile import QUANTILES
from govkit.monitoring.timestamps import TimeRange
from govkit.monitoring.window import CategoricalAccumulator, NumericCurrent, TimestampAccumulator
from govkit.schemas import profile as shapes
from govkit.schemas.monitoring import (
    Finding,
    MonitoringResult,
    PerformanceMetric,
    RecommendedAction,
    SegmentRow,
    WindowDescriptor,
)
from govkit.schemas.rules import Rules
from govkit.schemas.severity import SEVERITY_RANK, worst_severity
from govkit.schemas.window_profile import (
    NumericColumn,
    PerformanceProfile,
    TimeColumn,
    WindowProfile,
)

PSI_EDGES = ("Profile engine: bin edges are the reference KLL sketch's quantiles (values of the "
             "reference, within the sketch's rank error of the exact quantiles); counts in those "
             "bins are exact. ")


class ColumnCounts(Protocol):
    rows: int
    nulls: int


def _reference_numeric(c: NumericColumn) -> shapes.NumericProfile:
    std = nm.Moments(c.count, c.mean, c.m2).std
    qs = wp.kll_quantiles(c.kll, QUANTILES)
    return shapes.NumericProfile(
        rows=c.rows, nulls=c.nulls, type_class="numeric", count=c.count, mean=c.mean, std=std,
        edges=c.edges, counts=c.counts,
        quantiles={f"q{k:g}": v for k, v in zip(QUANTILES, qs, strict=True)}, sketch=[])


def _current_numeric(ref: NumericColumn, cur: NumericColumn) -> tuple[NumericCurrent, float]:
    ks: nm.KSResult | None = None
    bound = 0.0
    if cur.count and ref.count:
        ks, bound = wp.ks_on_grid(ref, cur) if cur.grid else wp.ks_from_sketches(ref, cur)
    current = NumericCurrent(cur.rows, cur.nulls, nm.Moments(cur.count, cur.mean, cur.m2),
                             np.asarray(cur.counts, dtype=np.int64), ks, cur.below, cur.above)
    return current, bound


def _numeric(name: str, ref: NumericColumn, cur: NumericColumn, rules: Rules,
             prediction: bool, exact_d: float | None = None) -> tuple[list[Finding], float]:
    if ref.edges != cur.edges:
        raise ValueError(f"{name}: the current profile was not binned on the reference's edges")
    current, bound = _current_numeric(ref, cur)
    if exact_d is not None and current.ks is not None:  # computed exactly: no sketch error
        current.ks, bound = exact_result(exact_d, ref.count, cur.count), 0.0
    found = numeric_findings(name, _reference_numeric(ref), current, rules, prediction=prediction)
    for f in found:
        if f.test == "ks":
            f.detail["bound"] = bound
    return found, bound


def undecided_columns(reference: WindowProfile, current: WindowProfile, rules: Rules
                      ) -> list[str]:
    """Numeric columns (and the score column) whose KS verdict the sketch's bound could
    change (:func:`ks_refine.undecided`): compute their D exactly before comparing."""
    tests = p_value_tests(reference.numeric, reference.categorical,
                          reference.predictions is not None)
    pairs = [(n, rc, current.numeric[n], rules.for_feature(n))
             for n, rc in sorted(reference.numeric.items())]
    if (reference.predictions is not None and current.predictions is not None
            and reference.predictions_column):
        pairs.append((reference.predictions_column, reference.predictions, current.predictions,
                      rules))
    out = []
    for name, rc, cc, r in pairs:
        ks, bound = _current_numeric(rc, cc)
        if ks.ks is not None and undecided(ks.ks.statistic, bound, rc.count, cc.count, r, tests):
            out.append(name)
    return out


def _only_nulls(name: str, kind: str, ref: ColumnCounts, cur: ColumnCounts,
                rules: Rules) -> list[Finding]:
    """A column with only nulls in this window: its null rate is the finding (as locally)."""
    return [all_null_finding(name, kind, ref.rows, ref.nulls, cur.rows, cur.nulls,
                             rules.for_feature(name))]


def _timestamps(name: str, rc: TimeColumn, cc: TimeColumn, rules: Rules,
                as_of: dt.datetime | None) -> list[Finding]:
    assert rc.min_us is not None and rc.max_us is not None  # a reference time has values
    p = shapes.TimestampProfile(rows=rc.rows, nulls=rc.nulls, type_class="time",
                                count=rc.count, min_us=rc.min_us, max_us=rc.max_us)
    acc = TimestampAccumulator(p, TimeRange(cc.rows, cc.nulls, cc.count, cc.min_us, cc.max_us))
    return timestamp_findings(name, p, acc, rules.for_feature(name), as_of)


def _drift(ref: WindowProfile, cur: WindowProfile, rules: Rules,
           exact: Mapping[str, float], as_of: dt.datetime | None = None,
           ) -> tuple[list[Finding], list[Finding], float]:
    found: list[Finding] = []
    worst = 0.0
    for name, rc in sorted(ref.numeric.items()):
        if cur.numeric[name].count == 0:
            found.extend(_only_nulls(name, "numeric", rc, cur.numeric[name], rules))
            continue
        fs, bound = _numeric(name, rc, cur.numeric[name], rules.for_feature(name), False,
                             exact.get(name))
        found.extend(fs)
        worst = max(worst, bound)
    for name, cc in sorted(ref.categorical.items()):
        c = cur.categorical[name]
        if c.rows == c.nulls:
            found.extend(_only_nulls(name, cc.kind, cc, c, rules))
            continue
        p = shapes.CategoricalProfile(rows=cc.rows, nulls=cc.nulls, type_class="string",
                                      kind=cc.kind, counts=cc.counts, distinct=cc.distinct)
        acc = CategoricalAccumulator(rows=c.rows, nulls=c.nulls, counts=dict(c.counts))
        found.extend(categorical_findings(name, p, acc, rules.for_feature(name)))
    for name, tc in sorted(ref.timestamps.items()):
        t = cur.timestamps[name]
        found.extend(_only_nulls(name, "timestamp", tc, t, rules) if t.count == 0 else
                     _timestamps(name, tc, t, rules, as_of))
    for name, nc in sorted(ref.null_columns.items()):  # only nulls in the reference
        c_null = cur.null_columns[name]
        found.extend(_only_nulls(name, c_null.kind, nc, c_null, rules))
    pred_found: list[Finding] = []
    if ref.predictions is not None and cur.predictions is not None and ref.predictions_column:
        fs, bound = _numeric(ref.predictions_column, ref.predictions, cur.predictions, rules,
                             True, exact.get(ref.predictions_column))
        pred_found.extend(fs)
        worst = max(worst, bound)
    return found, pred_found, worst


def slices_of(perf: PerformanceProfile) -> list[tuple[str | None, str | None, Slice]]:
    out = []
    for s in perf.slices:
        conf = wp.confusion_of(s.positives, s.negatives, perf.edges, perf.threshold)
        pos, neg = s.positives, s.negatives
        note = None
        if sum(pos) and sum(neg):
            bound = 0.5 * float(np.dot(pos, neg)) / (sum(pos) * sum(neg))
            note = (f"AUC from scores in {len(pos)} bins, within {bound:.2g} of the exact "
                    "value; DeLong variance of the binned scores")

        def delong(pos: list[int] = pos, neg: list[int] = neg) -> tuple[float, float]:
            auc, var, _ = wp.binned_auc(pos, neg)
            return auc, var

        out.append((s.column, s.value, Slice(conf.n, sum(pos), conf, wp.auc_value(pos, neg),
                                             delong, note)))
    return out


def compare(
    reference: WindowProfile, current: WindowProfile, *, model: str, window: str,
    rules: Rules | None = None, baseline: Mapping[str, float] | None = None,
    segment_baselines: Mapping[str, Mapping[str, float]] | None = None,
    reference_path: str | None = None, current_path: str | None = None,
    exact_ks: Mapping[str, float] | None = None, as_of: dt.datetime | None = None,
) -> MonitoringResult:
    """The monitoring result of ``current`` against ``reference`` (profiled on its bins).
    ``exact_ks``: KS statistics computed exactly for the :func:`undecided_columns`;
    ``as_of``: the window's date, for the freshness of time columns."""
    rules = rules or Rules()
    if wp.columns_of(reference) != wp.columns_of(current):
        raise ValueError("the two profiles cover different columns")
    exact = dict(exact_ks or {})
    found, pred_found, bound = _drift(reference, current, rules, exact, as_of)
    metrics: list[PerformanceMetric] = []
    seg_rows: list[SegmentRow] = []
    action = RecommendedAction(action="continue monitoring")
    if current.performance is not None:
        metrics, seg_rows, action = evaluate_slices(
            slices_of(current.performance),
            Baselines(baseline or {}, segment_baselines or {}), rules)
    unresolved = set(undecided_columns(reference, current, rules)) - set(exact)
    for f in (*found, *pred_found):
        if f.test == "ks" and f.feature in unresolved:  # no reference data to compute D from
            f.detail["sketch_may_decide"] = (
                "the sketch's bound could move this verdict; monitor with the reference data "
                "(not a saved profile) to compute D exactly")
    found.sort(key=lambda f: (f.feature, f.test))
    pred_found.sort(key=lambda f: f.test)
    adjust_drift([*found, *pred_found], rules)
    levels = [f.severity for f in (*found, *pred_found)] + [m.severity for m in metrics]
    ks_method = (
        f"profile: KS statistic between the reference's Apache DataSketches KLL sketch (k = "
        f"{reference.kll_k}) and the current window's exact counts on a grid of its "
        f"quantiles, within {bound:.4f} of the exact statistic (twice the sketch's normalized "
        "rank error at 99% confidence, plus the largest mass of one grid bin); p-value "
        "asymptotic (kstwo) with the true sample sizes")
    if exact:
        ks_method += (f". Where that bound could move a verdict ({', '.join(sorted(exact))}), "
                      "D was computed exactly from every value of both windows and its "
                      "p-value as the local engine computes it")
    return MonitoringResult(
        model=model, window=window,
        reference=WindowDescriptor(path=reference_path or reference.source, rows=reference.rows,
                                   source="profile"),
        current=WindowDescriptor(path=current_path or current.source, rows=current.rows,
                                 source="profile"),
        psi_method=PSI_EDGES + psi_method(rules), ks_method=ks_method,
        features=found, prediction_drift=pred_found, performance=metrics, segments=seg_rows,
        recommended_action=action,
        drifted_features=sorted({f.feature for f in found if f.status == "drift"
                                 and SEVERITY_RANK[f.severity] < SEVERITY_RANK["info"]}),
        max_severity=worst_severity(levels),
    )
