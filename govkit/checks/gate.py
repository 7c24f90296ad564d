"""The release gate: a candidate version against its documented ranges and against the
version now serving, every documented metric overall and per segment (pure: records and
arrays in, verdicts out).

Each comparison uses the test its data allows: with both versions' predictions on the same
rows, a paired test (exact McNemar / Tango for accuracy-type metrics, DeLong for AUC, a
seeded paired bootstrap for the rest); otherwise an unpaired z-test with the metric's own
standard error (Hanley-McNeil for AUC from n+ and n-, a proportion's for accuracy, the
recorded 95% intervals for any metric); otherwise the point estimates, and the row says so.
One-sided p-values (H0: not worse than the card's `margin`) are Holm-adjusted over every
tested row; a row fails when its adjusted p is below 5%.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from govkit.checks.gate_rows import GateRows, metric_kind
from govkit.checks.metrics import check_release
from govkit.checks.results import Comparison, GateResult, GateVerdict, metric_label
from govkit.model import ModelRecord, ReleaseRecord
from govkit.schemas.release import MetricValue, PredictionCounts, Release

ALPHA = 0.05
Z_95 = 1.959964  # two-sided 95% interval -> standard error
SEED = 20240901  # the paired bootstrap's seed: same data, same verdict
RESAMPLES = 2000


def serving_record(model: ModelRecord, against: str | None,
                   candidate: str) -> tuple[ReleaseRecord | None, str]:
    """The release behind alias `against` (MLflow registry aliases), else the serving
    release (govkit.yaml's serving alias, MLflow's Production stage), else the newest
    production release other than the candidate."""
    if against:
        for record in reversed(model.releases):
            registry = record.release.training.registry if record.release.training else None
            if registry and against in registry.aliases:
                return record, f"alias {against}"
        return None, f"alias {against}"
    choice = model.serving_choice()
    if choice.known and choice.record and choice.record.release.version != candidate:
        return choice.record, choice.basis
    for record in reversed(model.releases):
        if record.release.stage == "production" and record.release.version != candidate:
            return record, "stage production"
    return None, "stage production"


def gate(model: ModelRecord, candidate: ReleaseRecord, serving: ReleaseRecord | None,
         against: str, rows: GateRows | None = None,
         unpaired_why: str = "no row-level predictions configured") -> GateResult:
    """`rows`: both versions' predictions on their shared rows; `unpaired_why`: why there
    are none (shown on every unpaired row)."""
    checks = check_release(model, candidate)  # segments too: aggregates hide failures
    new, old = candidate.release, serving.release if serving else None
    comparisons = [compare_metric(model, key, metric, old.metrics.get(key) if old else None,
                                  rows=rows, why=unpaired_why, counts=_counts(new, old, None))
                   for key, metric in sorted(new.metrics.items())]
    for segment in new.segments:
        match = next((s for s in old.segments if s.name == segment.name), None) if old else None
        part, why_not = rows.segment(segment.name) if rows else (None, unpaired_why)
        for key, metric in sorted(segment.metrics.items()):
            previous = match.metrics.get(key) if match else None
            comparisons.append(compare_metric(
                model, key, metric, previous, segment=segment.name, rows=part,
                why=why_not if rows else unpaired_why,
                counts=_counts(new, old, segment.name), missing="serving has no segment "
                f"{segment.name!r}" if old and match is None else "no serving value"))
    comparisons += _row_segments(model, new, rows, unpaired_why)
    return GateResult(model.name, new.version, old.version if old else None, against, checks,
                      _holm(comparisons))


def _row_segments(model: ModelRecord, new: Release, rows: GateRows | None,
                  why: str) -> list[Comparison]:
    """Segments the predictions name ('column=value') that no release segment documents:
    every documented metric computed on both versions' rows there and tested paired, or a
    "not compared" row saying why."""
    documented = {s.name for s in new.segments}
    record = new.training.predictions if new.training else None
    if rows is not None:
        names = sorted(f"{c}={v}" for c, values in rows.segments.items()
                       for v in set(values.tolist()) if v)
    else:
        names = sorted(record.segments) if record else []
    out = []
    for name in names:
        if name in documented or name.partition("=")[2] in documented:
            continue
        part = rows.segment(name)[0] if rows else None
        for key, metric in sorted(new.metrics.items()):
            out.append(_row_segment(model, key, metric, name, part, why))
    return out


def _row_segment(model: ModelRecord, key: str, metric: MetricValue, name: str,
                 rows: GateRows | None, why: str) -> Comparison:
    definition = model.card.metrics.get(key)
    margin = definition.margin if definition and definition.margin is not None else 0.0
    row = Comparison(key, metric_label(model.card, key, metric), None, None, None, margin,
                     None, None, "not_compared", "", name, "none")
    kind = metric_kind(model, key)
    pair = rows.columns(kind) if rows is not None and kind is not None else None
    if rows is None or kind is None or pair is None:
        reason = (why if rows is None else f"metric kind unknown (set metrics.{key}.kind in "
                  "the card)" if kind is None else f"the predictions lack what {kind} needs")
        return dataclasses.replace(row, basis=f"not compared ({reason})")
    from govkit.monitoring.gate_tests import metric_value

    try:
        values = [metric_value(kind, rows.target, p) for p in pair]
    except ValueError as exc:
        return dataclasses.replace(row, basis=f"not compared ({kind}: {exc})")
    row = dataclasses.replace(row, candidate=values[0], serving=values[1],
                              difference=values[0] - values[1])
    return _paired(row, kind, rows, pair)


def _counts(new: Release, old: Release | None,
            segment: str | None) -> tuple[PredictionCounts | None, PredictionCounts | None]:
    def of(release: Release | None) -> PredictionCounts | None:
        record = release.training.predictions if release and release.training else None
        if record is None:
            return None
        return record if segment is None else record.segments.get(segment)
    return of(new), of(old)


def _holm(comparisons: list[Comparison]) -> list[Comparison]:
    from govkit.monitoring.inference import holm

    tested = [i for i, c in enumerate(comparisons) if c.p_value is not None]
    adjusted = holm([comparisons[i].p_value or 0.0 for i in tested])
    out = list(comparisons)
    for i, p in zip(tested, adjusted, strict=True):
        out[i] = dataclasses.replace(out[i], p_adjusted=p, verdict=_by_p(p))
    return out


def compare_metric(
    model: ModelRecord, key: str, new: MetricValue, old: MetricValue | None, *,
    segment: str | None = None, rows: GateRows | None = None,
    why: str = "no row-level predictions configured",
    counts: tuple[PredictionCounts | None, PredictionCounts | None] = (None, None),
    missing: str = "no serving value",
) -> Comparison:
    """One metric in one scope; the verdict of a tested row is final only after Holm."""
    definition = model.card.metrics.get(key)
    margin = definition.margin if definition and definition.margin is not None else 0.0
    label = metric_label(model.card, key, new)
    base = Comparison(key, label, new.value, None, None, margin, None, None, "not_compared",
                      f"not compared ({missing})", segment, "none")
    if old is None:
        return base
    kind = metric_kind(model, key)
    sign = -1.0 if definition and definition.goal == "lower" else 1.0
    row = dataclasses.replace(base, serving=old.value, difference=new.value - old.value)
    if kind is not None and rows is not None:
        pair = rows.columns(kind)
        if pair is not None:
            return _paired(row, kind, rows, pair)
        needed = "score" if kind in ("roc_auc", "log_loss") else "prediction"
        why = f"the predictions have no {needed} column"
    elif kind is None and rows is not None:
        why = f"metric kind unknown (set metrics.{key}.kind in the card)"
    return _unpaired(row, kind, sign, new, old, counts, why)


def _paired(row: Comparison, kind: str, rows: GateRows, pair: tuple[Any, Any]) -> Comparison:
    from govkit.monitoring.gate_tests import paired_metric_test

    try:
        stat = paired_metric_test(kind, rows.target, pair[0], pair[1], margin=row.margin,
                                  resamples=RESAMPLES, seed=SEED)
    except ValueError as exc:  # the statistic refuses these rows (e.g. one class only)
        return dataclasses.replace(row, verdict="not_compared",
                                   basis=f"not compared (paired {kind}: {exc})", test="none")
    z = -stat.statistic if stat.statistic is not None and stat.test != "exact McNemar" \
        else None
    unmatched = (f"; unpaired rows left out: {rows.only_candidate:,} candidate, "
                 f"{rows.only_serving:,} serving" if rows.only_candidate or rows.only_serving
                 else "")
    return dataclasses.replace(row, stderr=stat.stderr, z=z, test=stat.test,
                               p_value=stat.p_value, basis=stat.reason + unmatched,
                               verdict=_by_p(stat.p_value))


def _unpaired(row: Comparison, kind: str | None, sign: float, new: MetricValue,
              old: MetricValue, counts: tuple[PredictionCounts | None, PredictionCounts | None],
              why: str) -> Comparison:
    drop = -sign * (new.value - old.value)  # positive: the candidate is worse
    cn, co = counts
    if kind == "roc_auc" and cn and co and cn.positives and cn.negatives and co.positives \
            and co.negatives:
        from govkit.monitoring.paired_auc import unpaired_auc

        stat = unpaired_auc(new.value, cn.positives, cn.negatives, old.value, co.positives,
                            co.negatives, row.margin, why)
        return dataclasses.replace(row, stderr=stat.stderr, z=-(stat.statistic or 0.0),
                                   test=stat.test, p_value=stat.p_value, basis=stat.reason,
                                   verdict=_by_p(stat.p_value))
    se, test, how = None, "point estimates", ""
    if new.ci and old.ci:
        se = math.hypot(*((m.ci[1] - m.ci[0]) / (2 * Z_95) for m in (new, old) if m.ci))
        test, how = "z-test", "SEs from the recorded 95% intervals"
    elif kind in ("accuracy", "error_rate"):
        sizes = (new.sample_size or (cn.rows if cn else None),
                 old.sample_size or (co.rows if co else None))
        if sizes[0] and sizes[1] and all(0.0 <= m.value <= 1.0 for m in (new, old)):
            se = math.hypot(*(math.sqrt(m.value * (1 - m.value) / n)
                              for m, n in zip((new, old), sizes, strict=True) if n))
            test, how = "z-test", f"proportion SEs from n = {sizes[0]:,} and {sizes[1]:,}"
    if se is None or se == 0:
        verdict: GateVerdict = "regression" if drop > row.margin else "pass"
        need = ("no interval on both sides" if kind not in ("accuracy", "error_rate", "roc_auc")
                else "no interval or row counts on both sides")
        return dataclasses.replace(row, verdict=verdict, test="point estimates",
                                   basis=f"unpaired: {why}; point estimates only ({need})")
    z = (drop - row.margin) / se
    p = 0.5 * math.erfc(z / math.sqrt(2.0))
    return dataclasses.replace(row, stderr=se, z=z, test=test, p_value=p,
                               basis=f"unpaired: {why}; one-sided z-test, {how}",
                               verdict=_by_p(p))


def _by_p(p: float) -> GateVerdict:
    return "regression" if p < ALPHA else "pass"
