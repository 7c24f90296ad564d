"""Live metric names (`roc_auc`) as the card labels them ("AUC-ROC"), on every page. Pure."""

from __future__ import annotations

from govkit.checks.results import metric_label
from govkit.model import ModelRecord
from govkit.schemas.monitoring import MonitoringResult, PerformanceMetric


def live_label(model: ModelRecord, name: str) -> str:
    """A live metric's label: the card's label of the metric it measures (govkit.yaml
    `monitoring.metrics` maps one to the other), else its own name."""
    return metric_label(model.card, model.card_metric(name))


def where(model: ModelRecord, p: PerformanceMetric) -> str:
    return live_label(model, p.name) + (f" ({p.segment})" if p.segment else "")


def relabel(model: ModelRecord, result: MonitoringResult, text: str | None) -> str | None:
    """A sentence `govkit monitor` stored that starts with a metric as it names it (`name
    (segment S)`, monitoring/evaluation.py), with the card's label instead."""
    if not text:
        return text
    raw = {p.name + (f" (segment {p.segment})" if p.segment else ""): p
           for p in result.performance}
    for name in sorted(raw, key=len, reverse=True):
        if text == name or text.startswith(name + " "):
            return where(model, raw[name]) + text[len(name):]
    return text
