"""Live metrics of a monitoring window against the documented ranges. Pure: no I/O."""

from __future__ import annotations

from govkit.checks.metrics import _metric_at, documented_range, evaluate
from govkit.checks.results import CheckResult, DocumentedRange, Status, WindowSubject, metric_label
from govkit.formatting import fmt, slug
from govkit.model import ModelRecord, MonitoringRecord, Where
from govkit.schemas.monitoring import PerformanceMetric
from govkit.schemas.release import documented_segment


def live_status(live: PerformanceMetric, rng: DocumentedRange) -> tuple[Status, str]:
    """A live metric against its documented range, deciding on the interval, not the point:
    a value outside the range fails only when its whole interval is outside too; a metric
    that was not evaluated is never a pass."""
    n = f"n = {live.sample_size}"
    if live.status in ("not_evaluated", "insufficient_data") or live.value is None:
        why = live.reason or "too few labelled rows"
        return "insufficient_data", f"not evaluated: {why} ({n})"
    status, message = evaluate(live.value, rng)
    if live.ci_low is None or live.ci_high is None:
        return status, f"live {message} ({n})"
    ci = (f"{100 * (live.confidence or 0.95):g}% interval {fmt(live.ci_low)} – "
          f"{fmt(live.ci_high)}, {n}")
    if status != "fail":
        return status, f"live {message} ({ci})"
    # inclusive, as it always was: a value equal to an exclusive minimum counts as above it here
    below = DocumentedRange(rng.min, None, "").below(live.value)
    optimistic = live.ci_high if below else live.ci_low
    if evaluate(optimistic, rng)[0] == "fail":
        return "fail", f"live {message} ({ci})"
    return "insufficient_data", (f"live {message}, but its {ci} reaches into the range: "
                                 "not yet significant")


def check_window(model: ModelRecord, window: MonitoringRecord) -> list[CheckResult]:
    """Live metrics of one window against the documented ranges of the release it scored
    (recorded in the result; the latest release for results that do not record one)."""
    record = model.window_release(window)
    if record is None:
        return []
    results = []
    release = record.release
    for index, live in enumerate(window.result.performance):
        key = model.card_metric(live.name)
        loc: tuple[str | int, ...] = ("metrics", key)
        seg = documented_segment(release.segments, live.segment) if live.segment else None
        if seg is not None and key in release.segments[seg].metrics:
            loc = ("segments", seg, "metrics", key)  # the segment documents its own range
        elif key not in release.metrics and key not in model.card.metrics:
            continue  # not a documented metric of this model
        rng = documented_range(model, record, key, loc)
        status, message = live_status(live, rng)
        at = rng.where or Where(window.source, None)
        part = f"segment/{slug(live.segment)}/" if live.segment else ""
        results.append(CheckResult(
            id=f"{model.name}/live/{window.result.window}/{part}{key}",
            model=model.name, version=record.release.version, metric=key,
            label=metric_label(model.card, key, _metric_at(record, loc)),
            segment=live.segment, value=live.value, range=rng, status=status,
            message=message, source=at.source,
            line=at.line or window.doc.line_of(("performance", index)),
            kind="monitoring", window=window.result.window, severity=live.severity,
            subject=WindowSubject(model.name, window.result.window),
        ))
    return results
