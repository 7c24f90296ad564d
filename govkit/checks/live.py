"""Live metrics of a monitoring window against the documented ranges. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

from govkit.checks.metrics import _metric_at, documented_range, evaluate
from govkit.checks.results import (
    NOT_DOCUMENTED,
    CheckResult,
    DocumentedRange,
    Status,
    WindowSubject,
    metric_label,
)
from govkit.formatting import fmt, slug
from govkit.model import ModelRecord, MonitoringRecord, Where
from govkit.schemas.monitoring import MonitoringResult, PerformanceMetric
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
    # the interval's end on the range's side (a value on an exclusive minimum left it below)
    optimistic = live.ci_high if rng.below(live.value) else live.ci_low
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


# Words that qualify a metric's data split, not what it measures; names that mean the same.
_QUALIFIERS = frozenset({"val", "valid", "validation", "test", "eval", "holdout", "live"})
_SAME = {"roc_auc": "auc", "auc_roc": "auc", "rocauc": "auc", "auroc": "auc", "acc": "accuracy"}


def _stem(name: str) -> str:
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w and w not in _QUALIFIERS]
    joined = "_".join(words)
    return _SAME.get(joined, joined)


@dataclass(frozen=True)
class Unmapped:
    """A live metric compared with nothing: its name matches no documented metric."""

    live: str
    documented: str | None  # the documented metric it looks like (None: no likely one)
    known: tuple[str, ...]  # every documented metric of the release

    def mapping(self, model: ModelRecord) -> dict[str, str]:
        """govkit.yaml `monitoring.metrics` of the model with this live metric mapped."""
        return {**model.monitoring_config.metrics, self.live: self.documented or "CARD_METRIC"}

    def text(self, model: ModelRecord, *, block: bool = False) -> str:
        """What to say: both sides and the YAML to add (`block`: as a YAML block)."""
        mapped = ", ".join(f"{k}: {v}" for k, v in self.mapping(model).items())
        yaml = (f"models:\n  - name: {model.name}\n    monitoring:\n      metrics: {{{mapped}}}"
                if block else f"models: - name: {model.name}  monitoring: metrics: {{{mapped}}}")
        known = ", ".join(self.known)
        side = (f"it looks like the card's {self.documented}, which is not measured live"
                if self.documented else f"the documented metrics are {known}")
        said = (f"live metric {self.live} matches no documented metric and is compared with "
                f"nothing ({side}); if it measures ")
        said += self.documented or "one of them"
        return f"{said}, map it in govkit.yaml:{chr(10) if block else ' '}{yaml}"


def unmapped(model: ModelRecord, result: MonitoringResult) -> list[Unmapped]:
    """Live metrics compared with nothing: those whose name looks like a documented metric
    that is not measured live under its own name (roc_auc ~ val_auc), or every live metric
    when none is compared at all. Live metrics the card simply does not document (accuracy
    beside a card of AUC only) are not named."""
    version = result.model_version
    record = (model.release(version) if version else None) or model.latest
    documented = set(model.card.metrics) | (set(record.release.metrics) if record else set())
    if not documented:
        return []
    names = sorted({p.name for p in result.performance if p.value is not None})
    compared = {model.card_metric(n) for n in names} & documented
    alone = [n for n in names if model.card_metric(n) not in documented]
    known = tuple(sorted(documented))
    out = []
    for name in alone:
        like = [d for d in known if d not in compared and _stem(d) == _stem(name)]
        if like:
            out.append(Unmapped(name, like[0], known))
    if not compared and not out:
        out = [Unmapped(name, None, known) for name in alone]
    return out


def check_unmapped(model: ModelRecord, window: MonitoringRecord, entry: Where) -> list[CheckResult]:
    """A warning (a failure under --strict) per live metric compared with nothing, located at
    the model's entry in govkit.yaml, where the mapping goes."""
    record = model.window_release(window)
    return [CheckResult(
        id=f"{model.name}/live/{window.result.window}/unmapped/{u.live}",
        model=model.name, version=record.release.version if record else "", metric=u.live,
        label=u.live, segment=None, value=None, range=NOT_DOCUMENTED, status="warn",
        message=u.text(model), source=entry.source, line=entry.line, kind="monitoring",
        window=window.result.window, subject=WindowSubject(model.name, window.result.window),
    ) for u in unmapped(model, window.result)]
