"""The rows of a monitoring window's page (site/monitoring.py) as typed plain data."""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.site.plain import CheckData


class FindingRow(TypedDict):
    """A drift test of a feature or of the predictions."""

    feature: str
    kind: str
    test: str
    statistic: str
    p_value: str
    effect: str
    thresholds: str
    status: str
    severity: str


class LayerRow(TypedDict):
    """One monitoring layer (infrastructure, model, business) of a window: its worst status
    and what failed."""

    layer: str
    status: str
    checked: int
    detail: str
    said: str  # the status and the failing checks, in one line (the card's banner)
    todo: str | None  # anchor of the business what-to-do steps, when a KPI is bad


class LayerCheckRow(TypedDict):
    """A service SLO or business KPI check with what `govkit observe` read for it."""

    check: CheckData
    layer: str
    value: str
    query: str
    samples: int | str
    against: str | None


class Chart(TypedDict):
    feature: str
    file: str
    test: str
    title: str
    finding: str  # the image's alt: which tests found drift
    caption: str  # shown under it: the shares per bin


class PerformanceRow(TypedDict):
    """A live metric: value, interval, baseline, test, decision and its range check."""

    metric: Any  # the window's metric, as plain data
    label: str
    value: str
    baseline: str
    interval: str
    drop: str
    p_value: str
    decision: str
    reason: str
    n: int | str
    check: CheckData | None


class Estimated(TypedDict):
    name: str
    value: str
    measured: str
    interval: str
    rows: int | None


class WindowRow(TypedDict):
    """A window of the model's history."""

    window: str
    link: str
    version: str
    rows: int | str
    severity: str
    action: str
    degraded: int
    possible: int
    not_evaluated: int
    drifted: int
