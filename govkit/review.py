"""What changed between two states of a project, for a pull-request review (pure: no I/O).

The engine behind `govkit diff`: versions and windows added or removed, metric values and
status flips, documented ranges tightened or loosened (a loosened range needs an owner's
approval), serving aliases moved, hand-written text changed. It receives the check results
of both states; it runs no checks itself.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Literal

from govkit.checks import STATUS_ORDER, CheckResult, Range
from govkit.model import ModelRecord, Project, ReleaseRecord
from govkit.schemas.card import MetricDefinition
from govkit.schemas.release import MetricValue

Verdict = Literal["loosened", "tightened"]


@dataclass(frozen=True)
class MetricChange:
    id: str  # check id in HEAD
    model: str
    base_version: str  # the version it is compared with (a new version: BASE's latest)
    version: str
    segment: str | None
    metric: str
    label: str
    old: float | None
    new: float | None
    old_status: str
    new_status: str

    @property
    def flipped(self) -> bool:
        return self.old_status != self.new_status

    @property
    def change(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def relative(self) -> float | None:
        return None if self.change is None or not self.old else self.change / abs(self.old)


@dataclass(frozen=True)
class RangeChange:
    model: str
    scope: str  # "card" or the release version
    segment: str | None
    metric: str
    old: Range | None
    new: Range | None
    verdict: Verdict
    source: str  # the file that documents it now (or did, when removed)
    line: int | None
    note: str = ""

    @property
    def loosened(self) -> bool:
        return self.verdict == "loosened"


@dataclass(frozen=True)
class TextChange:
    model: str
    scope: str
    field: str  # dotted path in the file
    source: str
    line: int | None
    ops: tuple[tuple[str, str], ...]  # ("=" | "-" | "+", words)


@dataclass(frozen=True)
class AliasMove:
    model: str
    alias: str
    old: str | None
    new: str | None


@dataclass
class ModelDiff:
    name: str
    state: Literal["added", "removed", "changed", "unchanged"]
    owners: list[str]
    versions_added: list[str] = field(default_factory=list)
    versions_removed: list[str] = field(default_factory=list)
    windows_added: list[str] = field(default_factory=list)
    windows_removed: list[str] = field(default_factory=list)
    aliases: list[AliasMove] = field(default_factory=list)
    metrics: list[MetricChange] = field(default_factory=list)
    ranges: list[RangeChange] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)


@dataclass
class ProjectDiff:
    base: str
    head: str
    models: list[ModelDiff]

    @property
    def loosened(self) -> list[RangeChange]:
        return [c for m in self.models for c in m.ranges if c.loosened]

    @property
    def new_failures(self) -> list[MetricChange]:
        return [c for m in self.models for c in m.metrics
                if c.new_status == "fail" and c.old_status != "fail"]


def compare(base: Project, head: Project, base_results: list[CheckResult],
            head_results: list[CheckResult], labels: tuple[str, str] = ("BASE", "HEAD"),
            ) -> ProjectDiff:
    old = {m.name: m for m in base.models}
    new = {m.name: m for m in head.models}
    names = [m.name for m in head.models] + sorted(set(old) - set(new))
    models = [_model(old.get(n), new.get(n), base_results, head_results) for n in names]
    return ProjectDiff(labels[0], labels[1], models)


def _model(old: ModelRecord | None, new: ModelRecord | None, base_results: list[CheckResult],
           head_results: list[CheckResult]) -> ModelDiff:
    either = new or old
    assert either is not None
    diff = ModelDiff(either.name, "changed", [o.name for o in either.card.owners])
    old_versions = _versions(old)
    new_versions = _versions(new)
    diff.versions_added = [v for v in new_versions if v not in old_versions]
    diff.versions_removed = [v for v in old_versions if v not in new_versions]
    old_windows = [w.result.window for w in old.monitoring] if old else []
    new_windows = [w.result.window for w in new.monitoring] if new else []
    diff.windows_added = [w for w in new_windows if w not in old_windows]
    diff.windows_removed = [w for w in old_windows if w not in new_windows]
    if old is None or new is None:
        diff.state = "added" if old is None else "removed"
        return diff
    diff.aliases = _aliases(old, new)
    base_mine = [r for r in base_results if r.model == old.name]
    head_mine = [r for r in head_results if r.model == new.name]
    diff.metrics = _metrics(old, base_mine, head_mine, diff.versions_added)
    diff.ranges = _ranges(old, new, base_mine, head_mine, diff.versions_added)
    diff.text = _texts(old, new)
    if not any((diff.versions_added, diff.versions_removed, diff.windows_added,
                diff.windows_removed, diff.aliases, diff.metrics, diff.ranges, diff.text)):
        diff.state = "unchanged"
    return diff


def _versions(model: ModelRecord | None) -> list[str]:
    return [r.release.version for r in model.releases] if model else []


def _aliases(old: ModelRecord, new: ModelRecord) -> list[AliasMove]:
    before, after = _alias_map(old), _alias_map(new)
    return [AliasMove(new.name, a, before.get(a), after.get(a))
            for a in sorted(set(before) | set(after)) if before.get(a) != after.get(a)]


def _alias_map(model: ModelRecord) -> dict[str, str]:
    out: dict[str, str] = {}
    for record in model.releases:
        registry = record.release.training.registry if record.release.training else None
        for alias in registry.aliases if registry else []:
            out[alias] = record.release.version
    return out


def _key(r: CheckResult) -> tuple[str, str | None, str]:
    """A check's identity across versions: kind, segment, metric."""
    return (r.window or r.kind, r.segment, r.metric)


def _pairs(base: list[CheckResult], head: list[CheckResult], old: ModelRecord,
           added: list[str]) -> list[tuple[CheckResult, CheckResult]]:
    """Same check id in both states; a new version's checks against BASE's latest."""
    by_id = {r.id: r for r in base}
    pairs = [(by_id[r.id], r) for r in head if r.id in by_id]
    latest = old.latest.release.version if old.latest else None
    previous = {_key(r): r for r in base if r.kind == "release" and r.version == latest}
    pairs += [(previous[_key(r)], r) for r in head if r.kind == "release"
              and r.version in added and _key(r) in previous]
    return pairs


def _metrics(old: ModelRecord, base: list[CheckResult], head: list[CheckResult],
             added: list[str]) -> list[MetricChange]:
    changes = [
        MetricChange(h.id, h.model, b.version, h.version, h.segment, h.metric, h.label,
                     b.value, h.value, b.status, h.status)
        for b, h in _pairs(base, head, old, added)
        if b.value != h.value or b.status != h.status
    ]
    # status flips first (to a failure first of all), then in HEAD's order
    return sorted(changes, key=lambda c: (not c.flipped, STATUS_ORDER[c.new_status]
                                          if c.flipped else 0))


def classify(old: Range | None, new: Range | None) -> Verdict | None:
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


def _ranges(old: ModelRecord, new: ModelRecord, base: list[CheckResult],
            head: list[CheckResult], added: list[str]) -> list[RangeChange]:
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
    in_card = {c.metric for c in changes}
    for b, h in _pairs(base, head, old, added):
        if h.version == b.version or (h.source == new.card_source and h.metric in in_card):
            continue  # same version: compared above; the card's own change: reported once
        verdict = classify(b.range, h.range)
        if verdict:
            changes.append(RangeChange(new.name, h.version, h.segment, h.metric, b.range,
                                       h.range, verdict, h.source, h.line,
                                       f"new version against {b.version}"))
    return changes


def _card_range(d: MetricDefinition | None) -> Range | None:
    return Range(d.min, d.max, "card", d.exclusive) if d else None


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


def _applied(m: MetricValue | None, d: MetricDefinition | None) -> Range | None:
    """The range that applies to a release metric (hand-written > card > run-declared)."""
    own = Range(m.min, m.max, m.range_source, m.exclusive) if m else None
    if own and own.defined and m is not None and m.range_source == "hand-written":
        return own
    card = _card_range(d)
    return card if card and card.defined else own


def _texts(old: ModelRecord, new: ModelRecord) -> list[TextChange]:
    skip = {"metrics"}
    out = _text_changes(new, "card", _flatten(old.card.model_dump(exclude=skip)),
                        _flatten(new.card.model_dump(exclude=skip)), new.card_source,
                        new.card_doc.line_of)
    olds = {r.release.version: r for r in old.releases}
    release_skip: Any = {"metrics": True, "training": True, "version": True, "date": True,
                         "segments": {"__all__": {"metrics"}}}
    for record in new.releases:
        before = olds.get(record.release.version)
        if before is not None:
            was = _flatten(before.release.model_dump(exclude=release_skip))
            now = _flatten(record.release.model_dump(exclude=release_skip))
            out += _text_changes(new, record.release.version, was, now, record.source,
                                 record.doc.line_of)
    return out


def _text_changes(model: ModelRecord, scope: str, was: dict[str, tuple[str, tuple]],
                  now: dict[str, tuple[str, tuple]], source: str, line_of: Any,
                  ) -> list[TextChange]:
    out = []
    for path in list(now) + [p for p in was if p not in now]:
        a, b = was.get(path, ("", ()))[0], now.get(path, ("", ()))[0]
        if a != b:
            loc = (now.get(path) or was[path])[1]
            out.append(TextChange(model.name, scope, path, source, line_of(loc),
                                  word_diff(a, b)))
    return out


def _flatten(data: Any, loc: tuple[str | int, ...] = ()) -> dict[str, tuple[str, tuple]]:
    """Text fields by dotted path; a list of plain values is one text, items joined by '·'."""
    if isinstance(data, dict):
        out: dict[str, tuple[str, tuple]] = {}
        for key, value in data.items():
            out |= _flatten(value, (*loc, key))
        return out
    if isinstance(data, list) and all(not isinstance(v, dict | list) for v in data):
        text = " · ".join(str(v) for v in data)
        return {_dotted(loc): (text, loc)} if text else {}
    if isinstance(data, list):
        out = {}
        for index, value in enumerate(data):
            out |= _flatten(value, (*loc, index))
        return out
    if data is None or isinstance(data, bool | int | float):
        return {}
    return {_dotted(loc): (str(data), loc)}


def _dotted(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Word-level edit script: runs of kept ('='), removed ('-') and added ('+') words."""
    a, b = old.split(), new.split()
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", " ".join(b[j1:j2])))
    return tuple(ops)
