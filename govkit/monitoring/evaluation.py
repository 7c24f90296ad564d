"""Performance section of a result: metrics overall and per segment vs the baseline."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from govkit.monitoring import performance as perf
from govkit.schemas.monitoring import PerformanceMetric, RecommendedAction, SegmentRow
from govkit.schemas.rules import Rules


def _metric_rows(
    y: np.ndarray,
    scores: np.ndarray,
    baseline: Mapping[str, float],
    rules: Rules,
    segment: str | None,
) -> tuple[list[PerformanceMetric], dict[str, float | None]]:
    values = perf.classification_metrics(y, scores, rules.decision_threshold)
    n = int(y.shape[0])
    rows = []
    for name in perf.METRICS:
        base = baseline.get(name)
        check = perf.check_metric(
            values[name], n, base, min_samples=rules.min_samples, max_drop=rules.max_relative_drop
        )
        severity = "none"
        if check.status == "degraded" and check.relative_drop is not None:
            severe = check.relative_drop > rules.rollback_relative_drop
            sc = rules.severity
            severity = sc.performance_drop_severe if severe else sc.performance_drop
        rows.append(
            PerformanceMetric(
                name=name,
                value=values[name],
                sample_size=n,
                baseline=base,
                relative_drop=check.relative_drop,
                status=check.status,
                severity=severity,
                segment=segment,
            )
        )
    return rows, values


def evaluate(
    y: np.ndarray,
    scores: np.ndarray,
    segments: Mapping[str, list[str | None]],
    baseline: Mapping[str, float],
    rules: Rules,
) -> tuple[list[PerformanceMetric], list[SegmentRow], RecommendedAction]:
    """Overall and per-segment metrics; every segment is held to the overall baseline."""
    unknown = sorted(set(baseline) - set(perf.METRICS))
    if unknown:
        raise ValueError(f"unknown baseline metrics {unknown}; known: {list(perf.METRICS)}")
    metrics, _ = _metric_rows(y, scores, baseline, rules, None)
    table: list[SegmentRow] = []
    for column in sorted(segments):
        values = np.array(["" if v is None else str(v) for v in segments[column]], dtype=object)
        for value in sorted(set(values.tolist())):
            mask = values == value
            label = f"{column}={value}"
            rows, vals = _metric_rows(y[mask], scores[mask], baseline, rules, label)
            metrics.extend(rows)
            table.append(
                SegmentRow(column=column, value=value, sample_size=int(mask.sum()), metrics=vals)
            )
    return metrics, table, recommend(metrics, rules)


def recommend(metrics: list[PerformanceMetric], rules: Rules) -> RecommendedAction:
    scored = [m for m in metrics if m.status != "insufficient_data" and m.relative_drop is not None]
    if not scored:
        return RecommendedAction(action=perf.CONTINUE)
    worst = max(scored, key=lambda m: (m.relative_drop or 0.0, m.segment is None))
    drop = worst.relative_drop
    basis = worst.name + (f" (segment {worst.segment})" if worst.segment else "")
    action = perf.recommended_action(drop, rules.max_relative_drop, rules.rollback_relative_drop)
    return RecommendedAction(action=action, worst_relative_drop=drop, basis=basis)
