"""A release's per-segment charts (Model Card Toolkit's quantitative analysis): for each
documented metric measured in segments, overall and every segment as a row, the value marked
by its check's status, the confidence interval the release records for it (the card's 95% CI
column) as a whisker, the allowed range its check used as a band. Pure: a release and its
check results in, chart data, alt text (the finding) and caption (what is plotted) out."""

from __future__ import annotations

from typing import TypedDict

from govkit.checks.results import CheckResult
from govkit.formatting import fmt, slug
from govkit.model import ModelRecord, ReleaseRecord
from govkit.schemas.release import MetricValue
from govkit.site.interval_chart import IntervalRow, interval_svg


class SegmentChart(TypedDict):
    """One metric's chart: its rows, where it is written and what it says."""

    key: str
    title: str
    label: str
    finding: str  # the image's alt: which rows fail, else that none does
    caption: str  # shown under it: how to read it and every row's value and interval
    rows: list[IntervalRow]
    name: str


class SegmentChartItem(TypedDict):
    """A segment chart as a card shows it."""

    src: str
    finding: str
    caption: str


def segment_charts(
    model: ModelRecord, record: ReleaseRecord, checks: list[CheckResult]
) -> list[SegmentChart]:
    """Per metric that a segment of the release measures, in key order: overall (when the
    release measures it), then the segments in the release's order."""
    release = record.release
    by = {(c.metric, c.segment): c for c in checks}
    charts: list[SegmentChart] = []
    for key in sorted({k for s in release.segments for k in s.metrics}):
        measured: list[tuple[str, MetricValue, CheckResult]] = []
        overall = release.metrics.get(key)
        if overall is not None and (key, None) in by:
            measured.append(("overall", overall, by[key, None]))
        measured += [(s.name, s.metrics[key], by[key, s.name]) for s in release.segments
                     if key in s.metrics and (key, s.name) in by]
        if not measured:
            continue
        rows = [IntervalRow(name, metric.value, (metric.ci[0], metric.ci[1]) if metric.ci
                            else None,
                            check.status, check.range.min, check.range.max)
                for name, metric, check in measured]
        label = measured[0][2].label
        title = f"{label} by segment, version {release.version}"
        charts.append({"key": key, "title": title, "label": label, "rows": rows,
                       "finding": _finding(label, measured),
                       "caption": _caption(label, release.version, measured, rows),
                       "name": f"{release.version}-segments-{slug(key)}.svg"})
    return charts


def _finding(label: str, measured: list[tuple[str, MetricValue, CheckResult]]) -> str:
    failing = [(name, check) for name, _, check in measured if check.failed]
    if len(failing) == 1:
        name, check = failing[0]
        return f"{label} for {name}: {check.message}."
    if failing:
        return (f"{label} fails for {len(failing)} of {len(measured)} rows: "
                + "; ".join(f"{name} {check.message}" for name, check in failing) + ".")
    judged = [name for name, _, check in measured if check.status != "pass"]
    if judged:
        return (f"{label}: no row fails; {len(judged)} of {len(measured)} not judged "
                f"({', '.join(judged)}).")
    ranges = {str(check.range) for _, _, check in measured}
    return (f"{label} is inside the allowed range {ranges.pop()} in every row."
            if len(ranges) == 1 else f"{label} is inside its allowed range in every row.")


def _caption(label: str, version: str, measured: list[tuple[str, MetricValue, CheckResult]],
             rows: list[IntervalRow]) -> str:
    ranges = {str(check.range) for _, _, check in measured}
    band = (f"the allowed range {ranges.pop()}" if len(ranges) == 1
            else "each row's allowed range")
    said = "; ".join(
        f"{r.name} {fmt(r.value)}"
        + (f" (95% CI {fmt(r.ci[0])} – {fmt(r.ci[1])}" if r.ci else " (no interval")
        + (f", {check.status.upper() if check.failed else check.status.replace('_', ' ')})"
           if check.status != "pass" else ")")
        + (f", range {check.range}" if len(ranges) > 1 else "")
        for r, (_, _, check) in zip(rows, measured, strict=True))
    return (f"{label} of version {version}, overall and per segment: a dot marks a passing "
            f"value, a cross a failing one, a whisker the 95% confidence interval the release "
            f"records, the shaded band {band}. Values: {said}.")


def segment_chart_items(charts: list[SegmentChart], prefix: str) -> list[SegmentChartItem]:
    """What a card shows: image path relative to the page, finding (alt), caption."""
    return [{"src": prefix + c["name"], "finding": c["finding"], "caption": c["caption"]}
            for c in charts]


def segment_chart_files(base: str, charts: list[SegmentChart]) -> dict[str, bytes]:
    """The charts' SVG files under `base` (a model's versions folder), by path."""
    return {f"{base}/{c['name']}": interval_svg(
        c["title"], c["rows"], c["label"], f"{c['finding']} {c['caption']}")
        for c in charts}

