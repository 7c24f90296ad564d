"""A release's documented metrics against their ranges. Pure: no I/O."""

from __future__ import annotations

import math

from govkit.checks.results import (
    CheckResult,
    DocumentedRange,
    Status,
    VersionSubject,
    applicable,
    card_range,
    metric_label,
    release_range,
)
from govkit.formatting import fmt, slug
from govkit.model import ModelRecord, ReleaseRecord, Where
from govkit.schemas.release import MetricValue


def documented_range(
    model: ModelRecord, record: ReleaseRecord, key: str, loc: tuple[str | int, ...]
) -> DocumentedRange:
    """The range that applies to metric `key` of a release (its value at `loc`)."""
    return applicable(release_range(record, loc), card_range(model, key))


def _metric_at(record: ReleaseRecord, loc: tuple[str | int, ...]) -> MetricValue | None:
    release = record.release
    if loc[0] == "segments":
        return release.segments[int(loc[1])].metrics.get(str(loc[3]))
    return release.metrics.get(str(loc[1]))


def evaluate(value: float | None, rng: DocumentedRange) -> tuple[Status, str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "insufficient_data", "no value"
    if not rng.defined:
        return "no_range", "no allowed range documented"
    if rng.below(value):
        return "fail", f"{fmt(value)} is below the allowed range {rng}"
    if rng.above(value):
        return "fail", f"{fmt(value)} is above the allowed range {rng}"
    return "pass", f"{fmt(value)} is within {rng}"


def check_release(model: ModelRecord, record: ReleaseRecord) -> list[CheckResult]:
    release = record.release
    results = [
        _result(model, record, key, metric, None, ("metrics", key))
        for key, metric in sorted(release.metrics.items())
    ]
    results += [_unmeasured(model, record, key)
                for key in sorted(model.card.metrics) if key not in release.metrics]
    for index, segment in enumerate(release.segments):
        for key, metric in sorted(segment.metrics.items()):
            loc = ("segments", index, "metrics", key)
            results.append(_result(model, record, key, metric, segment.name, loc))
    return results


def _result(
    model: ModelRecord, record: ReleaseRecord, key: str, metric: MetricValue,
    segment: str | None, loc: tuple[str | int, ...],
) -> CheckResult:
    rng = documented_range(model, record, key, loc)
    status, message = evaluate(metric.value, rng)
    at = rng.where or Where(record.source, None)
    seg = f"segment/{slug(segment)}/" if segment else ""
    return CheckResult(
        id=f"{model.name}/{record.release.version}/{seg}{key}",
        model=model.name,
        version=record.release.version,
        metric=key,
        label=metric_label(model.card, key, metric),
        segment=segment,
        value=metric.value,
        range=rng,
        status=status,
        message=message,
        source=at.source,
        line=at.line or record.doc.line_of(loc),
        subject=VersionSubject(model.name, record.release.version),
    )


NOT_MEASURED = "not measured in this release"


def _unmeasured(model: ModelRecord, record: ReleaseRecord, key: str) -> CheckResult:
    """A metric the card documents and the release never measured: a warning (GK002), a
    failure under --strict, located at the card's range (else its definition)."""
    rng = documented_range(model, record, key, ("metrics", key))
    line = model.card_doc.line_of(("metrics", key))
    return CheckResult(
        id=f"{model.name}/{record.release.version}/{key}",
        model=model.name, version=record.release.version, metric=key,
        label=metric_label(model.card, key), segment=None, value=None, range=rng,
        status="insufficient_data",
        message=f"documented on the card but {NOT_MEASURED} (log it in the training run, "
                "or remove it from the card)",
        source=(rng.where or Where(model.card_source, line)).source,
        line=(rng.where.line if rng.where else None) or line,
        subject=VersionSubject(model.name, record.release.version),
    )
