"""Performance section of a result: metrics overall and per segment, each with an interval,
a one-sided test against its documented baseline and a decision that uses the sample size."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from govkit.monitoring import inference as inf
from govkit.monitoring import performance as perf
from govkit.schemas.monitoring import PerformanceMetric, RecommendedAction, SegmentRow
from govkit.schemas.release import segment_names
from govkit.schemas.rules import Rules


@dataclass(frozen=True)
class Baselines:
    """Documented values: overall, and per release segment (by segment name)."""

    overall: Mapping[str, float] = field(default_factory=dict)
    segments: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def for_segment(self, column: str, value: str) -> dict[str, tuple[float, str]]:
        """Metric -> (baseline, where from). A release segment named ``value`` or
        ``column=value`` documents this segment's baseline; other metrics fall back to the
        overall values."""
        out = {name: (v, "overall") for name, v in self.overall.items()}
        for name in segment_names(column, value):
            if name in self.segments:
                out.update((m, (v, f"segment {name}")) for m, v in self.segments[name].items())
                break
        return out


@dataclass(frozen=True)
class Slice:
    """What the metrics of one slice of rows need: confusion counts, the AUC, and (on
    demand) the AUC's DeLong variance; from arrays here, or from a profile's histograms."""

    n: int
    positives: int
    conf: perf.Confusion
    auc: float | None
    delong: Callable[[], tuple[float, float]]
    auc_note: str | None = None  # how the AUC was approximated, if it was

    @classmethod
    def of(cls, y: np.ndarray, scores: np.ndarray, threshold: float) -> Slice:
        return cls(int(y.shape[0]), int(y.sum()), perf.confusion(y, scores, threshold),
                   perf.roc_auc(y, scores), lambda: inf.delong(y, scores))

    def metrics(self) -> dict[str, float | None]:
        if self.n == 0:
            return dict.fromkeys(perf.METRICS)
        return {**perf.proportion_metrics(self.conf), "roc_auc": self.auc}


def _measure(
    name: str, sl: Slice, baseline: float | None, rules: Rules, level: float,
) -> tuple[PerformanceMetric, inf.Inference | None]:
    """Value, interval and raw p-value of one metric; status is provisional."""
    n, conf = sl.n, sl.conf
    row = PerformanceMetric(name=name, value=None, sample_size=n, baseline=baseline,
                            status="not_evaluated", confidence=rules.confidence)
    if name == "roc_auc":
        pos = sl.positives
        row.n_effective = min(pos, n - pos)
        row.value = sl.auc
        if pos < 2 or n - pos < 2:
            row.reason = f"AUC needs at least 2 positives and 2 negatives (got {pos} and {n - pos})"
            return row, None
        if baseline is not None and not inf.auc_can_show_drop(pos, n - pos, baseline, level):
            row.reason = f"{pos} positives and {n - pos} negatives cannot show any drop"
            return row, None
        auc, var = sl.delong()
        result = inf.auc_interval(auc, var, pos, n - pos, baseline, rules.confidence)
        if sl.auc_note:
            result = replace(result, method=f"{result.method}; {sl.auc_note}")
    else:
        k, trials = conf.successes_and_trials(name)
        row.n_effective = trials
        row.value = k / trials if trials else None
        if not trials:
            what = {"precision": "predicted positives", "recall": "positives"}.get(name, "rows")
            row.reason = f"undefined: no {what}"
            return row, None
        if baseline is not None and not inf.proportion_can_show_drop(trials, baseline, level):
            row.reason = f"{trials} rows cannot show any drop (not even 0 of {trials} would)"
            return row, None
        result = inf.proportion(k, trials, baseline, rules.confidence)
    row.ci_low, row.ci_high, row.method = result.low, result.high, result.method
    row.p_value = result.p_value
    if baseline is None:
        row.status, row.reason = "no_baseline", "no documented baseline to compare with"
    elif row.value is not None:
        row.relative_drop = perf.relative_drop(baseline, row.value)
    return row, result


def _decide(row: PerformanceMetric, result: inf.Inference | None, rules: Rules,
            level: float) -> None:
    """pass / degraded / possible_degradation from the drop and the adjusted p-value."""
    drop, p = row.relative_drop, row.p_adjusted
    if drop is None or p is None or row.value is None or row.baseline is None:
        return
    if drop <= rules.max_relative_drop:
        row.status = "pass"
        row.reason = f"within the {100 * rules.max_relative_drop:g}% band of the baseline"
        if drop > 0 and p < rules.alpha:
            row.reason += " (significantly lower than the baseline, but within the band)"
        return
    sev = rules.severity
    if p < rules.alpha:
        row.status = "degraded"
        row.severity = (sev.performance_drop_severe if drop > rules.rollback_relative_drop
                        else sev.performance_drop)
        row.reason = f"drop beyond the band and significant (p = {p:.3g} after correction)"
        return
    row.status, row.severity = "possible_degradation", sev.performance_drop_possible
    if row.name == "roc_auc" and result is not None and result.se:
        row.rows_needed = inf.auc_n_needed(row.value, row.baseline, result.se,
                                           row.sample_size, level)
    else:
        trials = row.n_effective or 0
        need = inf.proportion_n_needed(row.value, row.baseline, level, trials)
        if need is not None and trials:
            row.rows_needed = max(row.sample_size + 1,
                                  int(np.ceil(need * row.sample_size / trials)))
    need_text = f", need about {row.rows_needed} rows to confirm" if row.rows_needed else ""
    row.reason = (f"beyond the band but not yet significant (p = {p:.3g} after correction; "
                  f"n = {row.sample_size}{need_text})")


def evaluate(
    y: np.ndarray,
    scores: np.ndarray,
    segments: Mapping[str, list[str | None]],
    baselines: Baselines,
    rules: Rules,
) -> tuple[list[PerformanceMetric], list[SegmentRow], RecommendedAction]:
    """Overall and per-segment metrics, decided together (one multiple-testing family)."""
    t = rules.decision_threshold
    slices: list[tuple[str | None, str | None, Slice]] = [(None, None, Slice.of(y, scores, t))]
    for column in sorted(segments):
        labels = np.array(["" if v is None else str(v) for v in segments[column]], dtype=object)
        for value in sorted(set(labels.tolist())):
            mask = labels == value
            slices.append((column, value, Slice.of(y[mask], scores[mask], t)))
    return evaluate_slices(slices, baselines, rules)


def evaluate_slices(
    slices: Sequence[tuple[str | None, str | None, Slice]], baselines: Baselines, rules: Rules,
) -> tuple[list[PerformanceMetric], list[SegmentRow], RecommendedAction]:
    """Metrics of (segment column, value, slice) triples, the first being all rows (None,
    None); segments in the order given (column, then value, sorted)."""
    known = set(perf.METRICS)
    for documented in (baselines.overall, *baselines.segments.values()):
        unknown = sorted(set(documented) - known)
        if unknown:
            raise ValueError(f"unknown baseline metrics {unknown}; known: {list(perf.METRICS)}")
    overall = {name: (v, "overall") for name, v in baselines.overall.items()}
    labelled: list[tuple[str | None, Slice, dict[str, tuple[float, str]]]] = []
    table: list[SegmentRow] = []
    for column, value, sl in slices:
        if column is None or value is None:
            labelled.append((None, sl, overall))
            continue
        base = baselines.for_segment(column, value)
        labelled.append((f"{column}={value}", sl, base))
        sources = sorted({where for _, where in base.values()})
        table.append(SegmentRow(column=column, value=value, sample_size=sl.n,
                                metrics=sl.metrics(), baseline_source=", ".join(sources) or None))
    n_tests = sum(1 for _, _, base in labelled for m in perf.METRICS if m in base)
    level = rules.alpha / max(n_tests, 1) if rules.multiple_testing == "holm" else rules.alpha
    measured: list[tuple[PerformanceMetric, inf.Inference | None]] = []
    for label, sl, base in labelled:
        for name in perf.METRICS:
            value_, source = base.get(name, (None, None))
            row, result = _measure(name, sl, value_, rules, level)
            row.segment, row.baseline_source = label, source
            measured.append((row, result))
    tested = [row for row, _ in measured if row.p_value is not None]
    raw = [row.p_value or 0.0 for row in tested]
    adjusted = inf.holm(raw) if rules.multiple_testing == "holm" else raw
    for row, p in zip(tested, adjusted, strict=True):
        row.p_adjusted = p
    for row, result in measured:
        _decide(row, result, rules, level)
    metrics = [row for row, _ in measured]
    return metrics, table, recommend(metrics, rules)


def _where(m: PerformanceMetric) -> str:
    return m.name + (f" (segment {m.segment})" if m.segment else "")


def recommend(metrics: list[PerformanceMetric], rules: Rules) -> RecommendedAction:
    """The seed's runbook action from the worst confirmed drop; unconfirmed drops and
    metrics that were not evaluated are stated beside it, never acted on as a pass."""
    degraded = [m for m in metrics if m.status == "degraded" and m.relative_drop is not None]
    possible = [m for m in metrics
                if m.status == "possible_degradation" and m.relative_drop is not None]
    skipped = sum(1 for m in metrics if m.status in ("not_evaluated", "insufficient_data"))
    out = RecommendedAction(action=perf.CONTINUE, not_evaluated=skipped)
    if degraded:
        worst = max(degraded, key=lambda m: (m.relative_drop or 0.0, m.segment is None))
        out.worst_relative_drop = worst.relative_drop
        out.basis = _where(worst)
        out.action = perf.recommended_action(worst.relative_drop, rules.max_relative_drop,
                                             rules.rollback_relative_drop)
    if possible:
        worst = max(possible, key=lambda m: (m.relative_drop or 0.0, m.segment is None))
        need = f", need about {worst.rows_needed} rows to confirm" if worst.rows_needed else ""
        out.unconfirmed = (f"{_where(worst)} is {100 * (worst.relative_drop or 0.0):.1f}% below "
                           f"its baseline, not yet significant (n = {worst.sample_size}{need})")
    return out
