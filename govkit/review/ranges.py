"""Documented ranges across two states: tightened or loosened, as they apply."""

from __future__ import annotations

from typing import Any

from govkit.checks.results import CheckResult, DocumentedRange, applicable
from govkit.model import ModelRecord, ReleaseRecord
from govkit.review.records import RangeChange, Verdict
from govkit.schemas.card import MetricDefinition
from govkit.schemas.release import MetricValue


def classify(old: DocumentedRange | None, new: DocumentedRange | None) -> Verdict | None:
    """Lower minimum, higher maximum, a bound removed or made inclusive: loosened."""
    old = old if old is not None and old.defined else None
    new = new if new is not None and new.defined else None
    if old is None or new is None:
        return None if old is new else ("loosened" if new is None else "tightened")
    sides = [_side(old.min, new.min, old.exclusive, new.exclusive, -1),
             _side(old.max, new.max, old.exclusive, new.exclusive, 1)]
    if "loosened" in sides:
        return "loosened"
    return "tightened" if "tightened" in sides else None


def _side(old: float | None, new: float | None, old_x: bool, new_x: bool,
          outward: int) -> Verdict | None:
    if old is None and new is None:
        return None
    if old is None or new is None:
        return "loosened" if new is None else "tightened"
    if old != new:
        return "loosened" if (new - old) * outward > 0 else "tightened"
    if old_x != new_x:
        return "loosened" if old_x else "tightened"
    return None


def range_changes(old: ModelRecord, new: ModelRecord,
                  pairs: list[tuple[CheckResult, CheckResult]]) -> list[RangeChange]:
    """The card's ranges, ranges written in releases of both states, and each new version's
    ranges against BASE's latest (`pairs`: BASE check, HEAD check)."""
    changes: list[RangeChange] = []
    for key in sorted(set(old.card.metrics) | set(new.card.metrics)):
        before, after = old.card.metrics.get(key), new.card.metrics.get(key)
        verdict = classify(_card_range(before), _card_range(after))
        if verdict:
            doc = new.card_doc if after else old.card_doc
            changes.append(RangeChange(new.name, "card", None, key, _card_range(before),
                                       _card_range(after), verdict,
                                       new.card_source if after else old.card_source,
                                       doc.line_of(("metrics", key, "min"))))
    olds = {r.release.version: r for r in old.releases}
    for record in new.releases:
        if record.release.version in olds:
            changes += _release_ranges(old, new, olds[record.release.version], record)
    in_card = {c.metric for c in changes if c.scope == "card"}
    for b, h in pairs:
        if h.version == b.version or (h.source == new.card_source and h.metric in in_card):
            continue  # same version: compared above; the card's own change: reported once
        verdict = classify(b.range, h.range)
        if verdict:
            changes.append(RangeChange(new.name, h.version, h.segment, h.metric, b.range,
                                       h.range, verdict, h.source, h.line,
                                       f"new version against {b.version}"))
    return changes


def _card_range(d: MetricDefinition | None) -> DocumentedRange | None:
    return DocumentedRange.of(d, "card")


def _release_ranges(old: ModelRecord, new: ModelRecord, before: ReleaseRecord,
                    after: ReleaseRecord) -> list[RangeChange]:
    """Ranges written in a release present in both states, compared as they apply."""
    out = []
    for loc, segment, key in _metric_locs(before) | _metric_locs(after):
        was, now = _metric_at(before, segment, key), _metric_at(after, segment, key)
        if _written(was) == _written(now):
            continue
        rng_old = _applied(was, old.card.metrics.get(key))
        rng_new = _applied(now, new.card.metrics.get(key))
        verdict = classify(rng_old, rng_new)
        if verdict:
            record = after if now else before
            out.append(RangeChange(new.name, after.release.version, segment, key, rng_old,
                                   rng_new, verdict, record.source, record.doc.line_of(loc)))
    return sorted(out, key=lambda c: (c.segment or "", c.metric))


def _metric_locs(record: ReleaseRecord) -> set[tuple[tuple[str | int, ...], str | None, str]]:
    locs: set[tuple[tuple[str | int, ...], str | None, str]] = {
        (("metrics", k), None, k) for k in record.release.metrics}
    for i, seg in enumerate(record.release.segments):
        locs |= {(("segments", i, "metrics", k), seg.name, k) for k in seg.metrics}
    return locs


def _metric_at(record: ReleaseRecord, segment: str | None, key: str) -> MetricValue | None:
    if segment is None:
        return record.release.metrics.get(key)
    seg = next((s for s in record.release.segments if s.name == segment), None)
    return seg.metrics.get(key) if seg else None


def _written(m: MetricValue | None) -> tuple[Any, ...] | None:
    return (m.min, m.max, m.exclusive, m.range_source) if m else None


def _applied(m: MetricValue | None, d: MetricDefinition | None) -> DocumentedRange | None:
    """The range that applies to a release metric (`checks.results.applicable`)."""
    card = _card_range(d)
    if m is None and not (card and card.defined):
        return None  # neither writes a range
    return applicable(DocumentedRange.of(m), card)
