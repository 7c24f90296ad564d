"""Each documented metric across versions and across monitoring windows, as chart data with
alt text (the finding, one sentence) and a caption (the values). Pure: check results in,
values out.

The charts read the check results (values, ranges, statuses) the build computed once, so a
point is marked failing exactly when its check failed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from govkit.checks.results import CheckResult, metric_label
from govkit.formatting import fmt, slug
from govkit.model import MODELS_PAGE_DIR, ModelRecord

Series = tuple[str, list[float | None], list[bool]]


class Trend(TypedDict):
    """A metric's chart: its inputs, where it is written and what it says."""

    key: str
    kind: str  # versions or windows
    title: str
    x: list[str]
    series: list[Series]
    low: float | None
    high: float | None
    file: str
    src: str
    finding: str  # the image's alt: the verdict on the latest point
    caption: str  # shown under it: every value, so the finding is not read twice


class TrendItem(TypedDict):
    """A chart as the history page shows it."""

    title: str
    src: str
    finding: str
    caption: str
    kind: str
    key: str


def _point(check: CheckResult | None) -> tuple[float | None, bool]:
    return (check.value, check.failed) if check else (None, False)


def _said(name: str, value: float | None, failed: bool) -> str:
    return f"{name} {fmt(value)}{' (FAIL)' if failed else ''}"


def _finding(label: str, kind: str, xs: list[str], series: list[Series],
             latest: CheckResult) -> str:
    """The verdict on the latest point, the sentence a reader of the chart wants first."""
    i = max((j for j in range(len(xs)) if any(ys[j] is not None for _, ys, _ in series)),
            default=len(xs) - 1)
    at = f"{'version' if kind == 'versions' else 'window'} {xs[i]}"
    failing = [_said(name, ys[i], False) for name, ys, bad in series
               if bad[i] and ys[i] is not None]
    if failing:
        return (f"{label} fails in {at}: {', '.join(failing)} outside the allowed range "
                f"{latest.range}.")
    if not any(ys[i] is not None for _, ys, _ in series):
        return f"{label}: no value measured in {at}."
    if latest.range.defined:
        return f"{label} passes in {at}: every value inside the allowed range {latest.range}."
    return f"{label} in {at}: no allowed range documented."


def version_trends(
    model: ModelRecord, by_release: dict[tuple[str, str], list[CheckResult]]
) -> list[Trend]:
    """Per documented metric: overall and each segment in each version, oldest first."""
    versions = [r.release.version for r in model.releases]
    checks = {(c.version, c.metric, c.segment): c for v in versions
              for c in by_release.get((model.name, v), [])}
    return _trends(model, "versions", versions, checks, "by version", "as documented for {}")


def window_trends(
    model: ModelRecord, by_window: dict[tuple[str, str], list[CheckResult]]
) -> list[Trend]:
    """Per documented metric measured live: overall and each segment in each window."""
    windows = [w.result.window for w in model.monitoring]
    checks = {(str(c.window), c.metric, c.segment): c for w in windows
              for c in by_window.get((model.name, w), [])}
    return _trends(model, "windows", windows, checks, "in production by monitoring window",
                   "of version {}")


def _trends(
    model: ModelRecord, kind: str, xs: list[str],
    checks: dict[tuple[str, str, str | None], CheckResult], what: str, whose: str,
) -> list[Trend]:
    trends = []
    for key in sorted({k for _, k, _ in checks}):
        segments = sorted({s for _, k, s in checks if k == key}, key=lambda s: (s is not None, s))
        series: list[Series] = []
        for segment in segments:
            points = [_point(checks.get((x, key, segment))) for x in xs]
            series.append((segment or "overall", [p[0] for p in points], [p[1] for p in points]))
        latest = next(checks[x, key, s] for x in reversed(xs) for s in segments
                      if (x, key, s) in checks)
        # a service SLO or business KPI is no card metric: its check carries the card's label
        label = latest.label if key.startswith(("service/", "business/")) \
            else metric_label(model.card, key)
        shown = "; ".join(
            f"{x}: " + ", ".join(_said(name, ys[i], bad[i]) for name, ys, bad in series
                                 if ys[i] is not None)
            for i, x in enumerate(xs) if any(ys[i] is not None for _, ys, _ in series))
        rng = f"allowed range {latest.range}, {whose.format(latest.version)}"
        trends.append(_trend(model, key, kind, f"{label} {what}", xs, series, latest,
                             _finding(label, kind, xs, series, latest),
                             f"All values ({rng}): {shown}." if shown
                             else f"No value measured ({rng})."))
    return trends


def _trend(
    model: ModelRecord, key: str, kind: str, title: str, x: list[str], series: list[Series],
    latest: CheckResult, finding: str, caption: str,
) -> Trend:
    name = f"{slug(key)}-{kind}.svg"
    return {"key": key, "kind": kind, "title": title, "x": x, "series": series,
            "low": latest.range.min, "high": latest.range.max,
            "file": f"{MODELS_PAGE_DIR}/{model.name}/charts/{name}", "src": f"charts/{name}",
            "finding": finding, "caption": caption}


def render_trends(
    trends: list[Trend], draw: Callable[..., bytes]
) -> tuple[list[TrendItem], dict[str, bytes]]:
    """Page items (title, image path, finding, caption) and the chart files, by path; the
    SVG's description says both."""
    items: list[TrendItem] = []
    files: dict[str, bytes] = {}
    for t in trends:
        files[t["file"]] = draw(t["title"], t["x"], t["series"], t["low"], t["high"],
                                "version" if t["kind"] == "versions" else "monitoring window",
                                f"{t['finding']} {t['caption']}")
        items.append({"title": t["title"], "src": t["src"], "finding": t["finding"],
                      "caption": t["caption"], "kind": t["kind"], "key": t["key"]})
    return items, files
