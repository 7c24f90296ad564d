"""Training curves of a release (metric histories from MLflow or a training log): one SVG per
metric, labelled as the card labels it, with the documented range shaded. Pure."""

from __future__ import annotations

from typing import TypedDict

from govkit.checks.results import NOT_DOCUMENTED, CheckResult, DocumentedRange, metric_label
from govkit.formatting import fmt, slug
from govkit.model import ModelRecord, ReleaseRecord
from govkit.site.charts import curve_metrics, curve_svg


class Curve(TypedDict):
    """A metric's training curve: the chart's inputs, its file name and what it says."""

    key: str
    title: str
    finding: str  # the image's alt: the last value against the range
    caption: str  # shown under it: the points
    desc: str  # the SVG's description: both
    steps: list[float]
    values: list[float]
    low: float | None
    high: float | None
    name: str


class CurveItem(TypedDict):
    title: str
    src: str
    finding: str
    caption: str


def training_curves(
    model: ModelRecord, record: ReleaseRecord, checks: list[CheckResult]
) -> list[Curve]:
    """Per metric with a history: label, title, caption, file name and the chart's inputs.
    The range is the one the release's check used, else the card's default."""
    training = record.release.training
    if training is None:
        return []
    version = record.release.version
    ranges = {c.metric: c.range for c in checks if c.segment is None}
    curves: list[Curve] = []
    for key in curve_metrics(training.metric_history):
        history = training.metric_history[key]
        steps, values = list(history["steps"]), list(history["values"])
        label = metric_label(model.card, key)
        rng = ranges.get(key) or DocumentedRange.of(model.card.metrics.get(key), "card") \
            or NOT_DOCUMENTED
        low, high = rng.min, rng.max
        last = values[-1]
        inside = not rng.below(last) and not rng.above(last)
        verdict = f" (allowed range {rng})" if not rng.defined else (
            f", {'inside' if inside else 'outside'} the allowed range {rng}")
        title = f"{label} during training of version {version}"
        # no heading per curve: the alt and the caption each name it
        points = (f"{len(values)} points from step {fmt(steps[0])} to {fmt(steps[-1])}; "
                  f"first {fmt(values[0])}, lowest {fmt(min(values))}, highest "
                  f"{fmt(max(values))}.")
        curves.append({"key": key, "title": title,
                       "finding": f"{title}: last {fmt(last)}{verdict}.",
                       "caption": f"{title}: {points}",
                       "desc": f"{title}: last {fmt(last)}{verdict}. {points}", "steps": steps,
                       "values": values, "low": low, "high": high,
                       "name": f"{version}-training-{slug(key)}.svg"})
    return curves


def curve_items(curves: list[Curve], prefix: str) -> list[CurveItem]:
    """What a card page shows: title, image path relative to the page, finding (alt),
    caption."""
    return [{"title": c["title"], "src": prefix + c["name"], "finding": c["finding"],
             "caption": c["caption"]} for c in curves]


def curve_files(base: str, curves: list[Curve]) -> dict[str, bytes]:
    return {f"{base}/{c['name']}": curve_svg(c["title"], c["steps"], c["values"], c["low"],
                                             c["high"], c["desc"]) for c in curves}
