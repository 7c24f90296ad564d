"""Monitoring windows -> page contexts and chart images. Pure: returns values."""

from __future__ import annotations

from typing import Any

from govkit.checks import CheckResult
from govkit.formatting import fmt, slug
from govkit.schemas.rules import Rules
from govkit.schemas.monitoring import Finding, MonitoringResult
from govkit.schemas.severity import SEVERITY_RANK
from govkit.model import ModelRecord, MonitoringRecord
from govkit.site.plain import check_data, plain



def _pct(share: float) -> str:
    return f"{fmt(100 * share)}%"


def action_bands(rules: Rules) -> str:
    """The runbook bands this project configured (govkit.yaml `monitoring.rules`)."""
    low, high = _pct(rules.max_relative_drop), _pct(rules.rollback_relative_drop)
    return (f"relative drop < {low}: continue monitoring; {low[:-1]}–{high}: monitor closely, "
            f"prepare rollback; > {high}: consider rollback to the previous version")


_RULE_TEXT = {
    "p_value": "p < {}", "psi": "PSI ≥ {}", "psi_moderate": "moderate ≥ {}",
    "min_ks_statistic": "KS ≥ {}", "min_cramers_v": "V ≥ {}", "z_score": "|z| > {}",
    "null_rate_increase": "null-rate rise > {}", "cosine_distance": "distance > {}",
    "oov_rate": "OOV > {}", "distance": "distance > {}", "drift_share": "drifted share ≥ {}",
}


def finding_row(f: Finding) -> dict[str, Any]:
    return {
        "feature": f.feature, "kind": f.kind, "test": f.test,
        "statistic": _num(f.statistic), "p_value": _p(f.p_value),
        "effect": f"{f.effect_size_name} {_num(f.effect_size)}" if f.effect_size_name else "–",
        "thresholds": ", ".join(_RULE_TEXT.get(k, k + " {}").format(_num(v))
                                for k, v in sorted(f.thresholds.items())) or "–",
        "status": f.status, "severity": f.severity,
    }


def _num(value: float | None) -> str:
    return "–" if value is None else fmt(value)


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 1e-12" if value < 1e-12 else (f"{value:.2e}" if value < 1e-3 else fmt(value))


def charts(record: MonitoringRecord, base: str) -> tuple[list[dict[str, str]], dict[str, bytes]]:
    """One reference-vs-current chart per drifted feature (from its PSI bins)."""
    from govkit.site.charts import distribution_chart

    result = record.result
    items, files, used = [], {}, set()
    drifted = {f.feature for f in (*result.features, *result.prediction_drift)
               if f.status == "drift"}
    for finding in (*result.features, *result.prediction_drift):
        dist = finding.distribution
        if finding.feature not in drifted or dist is None:
            continue
        name = slug(finding.feature)
        while name in used:
            name += "-x"
        used.add(name)
        drifted.discard(finding.feature)
        rel = f"{base}/{name}.png"
        files[rel] = distribution_chart(f"{finding.feature}: reference vs current",
                                        dist.labels, dist.reference, dist.current)
        items.append({"feature": finding.feature, "file": f"{result.window}/{name}.png",
                      "test": finding.test})
    return items, files


def monitoring_context(
    model: ModelRecord, record: MonitoringRecord, live: list[CheckResult], chart_items: list[Any]
) -> dict[str, Any]:
    result = record.result
    by_metric = {(c.segment, c.metric): c for c in live}
    performance = []
    for p in result.performance:
        check = by_metric.get((p.segment, model.card_metric(p.name)))
        performance.append({
            "metric": plain(p), "value": _num(p.value), "baseline": _num(p.baseline),
            "drop": "–" if p.relative_drop is None else f"{100 * p.relative_drop:.1f}%",
            "check": check_data(check) if check else None,
        })
    metric_names = sorted({name for s in result.segments for name in s.metrics})
    return {
        "result": plain(result),
        "card": plain(model.card),
        "source": record.source,
        "features": [finding_row(f) for f in result.features],
        "predictions": [finding_row(f) for f in result.prediction_drift],
        "performance": performance,
        "segment_metrics": metric_names,
        "segments": [{"row": plain(s), "cells": [_num(s.metrics.get(n)) for n in metric_names]}
                     for s in result.segments],
        "failing": [check_data(c) for c in live if c.failed],
        "charts": chart_items,
        "action_detail": _action_detail(result, model.monitoring_config.rules),
        "degradation_band": _pct(model.monitoring_config.rules.max_relative_drop),
    }


def _action_detail(result: MonitoringResult, rules: Rules) -> str:
    action = result.recommended_action
    drop = ""
    if action.worst_relative_drop is not None:
        drop = f"Worst relative drop {100 * action.worst_relative_drop:.1f}%"
        drop += f" ({action.basis}). " if action.basis else ". "
    return f"{drop}Runbook bands: {action_bands(rules)}."


def card_monitoring(window: MonitoringRecord, live: list[CheckResult]) -> dict[str, Any]:
    """The monitoring banner of a model's main card."""
    result = window.result
    worst = worst_finding(result)
    lead = f"Worst open finding: {worst}. " if worst else "No open findings. "
    return {
        "window": result.window,
        "link": f"monitoring/{result.window}.md",
        "failing": [check_data(c) for c in live if c.failed],
        "checked": len(live),
        "summary": lead + f"Recommended action: {result.recommended_action.action}.",
    }


def worst_finding(result: MonitoringResult) -> str | None:
    """The most severe open finding of a window, in a few words."""
    candidates: list[tuple[int, str]] = []
    for p in result.performance:
        if p.status == "degraded":
            seg = f" ({p.segment})" if p.segment else ""
            drop = f" {100 * p.relative_drop:.1f}%" if p.relative_drop is not None else ""
            candidates.append((SEVERITY_RANK[p.severity],
                               f"{p.severity}: {p.name}{seg} dropped{drop}"))
    for f in (*result.features, *result.prediction_drift):
        if f.status == "drift":
            candidates.append((SEVERITY_RANK[f.severity], f"{f.severity}: {f.feature} drift "
                               f"({f.test})"))
    return min(candidates)[1] if candidates else None
