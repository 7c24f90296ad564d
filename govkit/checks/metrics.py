"""A release's documented metrics against their ranges. Pure: no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass

from govkit.checks.results import CheckResult, Range, Status, metric_label
from govkit.formatting import fmt, slug
from govkit.model import ModelRecord, ReleaseRecord
from govkit.schemas.card import MetricDefinition
from govkit.schemas.release import MetricValue


def effective_range(
    metric: MetricValue | None, definition: MetricDefinition | None
) -> tuple[Range, str]:
    """Hand-written release range > card range > range declared by the training run."""
    own = (Range(metric.min, metric.max, metric.range_source, metric.exclusive) if metric
           else Range(None, None, ""))
    card = (Range(definition.min, definition.max, "card", definition.exclusive) if definition
            else Range(None, None, ""))
    if own.defined and metric is not None and metric.range_source == "hand-written":
        return own, "release"
    if card.defined:
        return card, "card"
    return own, "release"


@dataclass(frozen=True)
class Documented:
    """A metric's allowed range and the file and line that document it."""

    range: Range
    source: str | None
    line: int | None


def documented_range(
    model: ModelRecord, record: ReleaseRecord, key: str, loc: tuple[str | int, ...]
) -> Documented:
    """Range of metric `key` of a release (its value at `loc`), with where it is written."""
    metric = _metric_at(record, loc)
    rng, where = effective_range(metric, model.card.metrics.get(key))
    if not rng.defined:
        return Documented(rng, None, None)
    bound = "min" if rng.min is not None else "max"
    if where == "card":
        return Documented(rng, model.card_source, model.card_doc.line_of(("metrics", key, bound)))
    return Documented(rng, record.source, record.doc.line_of((*loc, bound)))


def _metric_at(record: ReleaseRecord, loc: tuple[str | int, ...]) -> MetricValue | None:
    release = record.release
    if loc[0] == "segments":
        return release.segments[int(loc[1])].metrics.get(str(loc[3]))
    return release.metrics.get(str(loc[1]))


def evaluate(value: float | None, rng: Range) -> tuple[Status, str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "insufficient_data", "no value"
    if not rng.defined:
        return "no_range", "no allowed range documented"
    if rng.min is not None and (value <= rng.min if rng.exclusive else value < rng.min):
        return "fail", f"{fmt(value)} is below the allowed range {rng}"
    if rng.max is not None and (value >= rng.max if rng.exclusive else value > rng.max):
        return "fail", f"{fmt(value)} is above the allowed range {rng}"
    return "pass", f"{fmt(value)} is within {rng}"


def check_release(model: ModelRecord, record: ReleaseRecord) -> list[CheckResult]:
    release = record.release
    results = [
        _result(model, record, key, metric, None, ("metrics", key))
        for key, metric in sorted(release.metrics.items())
    ]
    for index, segment in enumerate(release.segments):
        for key, metric in sorted(segment.metrics.items()):
            loc = ("segments", index, "metrics", key)
            results.append(_result(model, record, key, metric, segment.name, loc))
    return results


def _result(
    model: ModelRecord, record: ReleaseRecord, key: str, metric: MetricValue,
    segment: str | None, loc: tuple[str | int, ...],
) -> CheckResult:
    doc = documented_range(model, record, key, loc)
    status, message = evaluate(metric.value, doc.range)
    seg = f"segment/{slug(segment)}/" if segment else ""
    return CheckResult(
        id=f"{model.name}/{record.release.version}/{seg}{key}",
        model=model.name,
        version=record.release.version,
        metric=key,
        label=metric_label(model.card, key, metric),
        segment=segment,
        value=metric.value,
        range=doc.range,
        status=status,
        message=message,
        source=doc.source or record.source,
        line=doc.line or record.doc.line_of(loc),
    )
