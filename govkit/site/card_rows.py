"""The rows of a model card and its version history (site/cards.py) as typed plain data."""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import Status
from govkit.site.plain import CheckData


class LiveCell(TypedDict):
    """A metric's live checks in one cell."""

    status: Status
    text: str


class MetricRow(TypedDict):
    """A documented metric of a release, with its check and its live cell."""

    check: CheckData
    live: LiveCell | None
    label: str
    value: str
    range: str
    declared: str | None
    ci: str | None
    sample_size: int | None
    source: str
    range_source: str | None


class SegmentRow(MetricRow):
    segment: str


class SegmentTable(TypedDict):
    segment: Any  # the release's segment, as plain data
    rows: list[MetricRow]


class DatasetRow(TypedDict):
    name: str | None
    context: str | None
    digest: str | None
    source: Any
    rows: Any


class HistoryCell(TypedDict):
    """A version's value of a metric, its change from the version before and its range
    when it fails (all None: the version does not measure it)."""

    value: str | None
    change: str | None
    direction: str | None
    fails: str | None


class HistoryRow(TypedDict):
    release: Any  # the release, as plain data
    cells: list[HistoryCell]
    status: Status | None
    failing: list[str]
    live: Status | None
    stage: str
    aliases: str
    role: str | None
