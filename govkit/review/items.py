"""Alerts, runbooks and data dictionary entries across two states: added, removed, changed.

Each item is compared as a few plain fields (text, numbers exact), so a reviewer sees e.g.
`severity P1 -> P3` or `max 120 -> 200`; a default alert (made from a documented bound) is
reported when it appears or goes, not when its threshold follows the range (the range table
shows that).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from govkit.model import DatasetRecord, ModelRecord, Project
from govkit.review.records import DatasetDiff, ItemChange

Kind = Literal["alert", "runbook", "entry"]
# subject -> (fields, source, line, note, line of each field where known)
Items = dict[str, tuple[dict[str, str], str, int | None, str, dict[str, int | None]]]


def operation_changes(old: ModelRecord, new: ModelRecord) -> list[ItemChange]:
    """Alerts, then runbooks, in HEAD's order (removed ones last)."""
    return (_changes("alert", _alerts(old), _alerts(new))
            + _changes("runbook", _runbooks(old), _runbooks(new)))


def dataset_changes(base: Project, head: Project) -> list[DatasetDiff]:
    old = {d.name: d for d in base.datasets}
    new = {d.name: d for d in head.datasets}
    out = []
    for name in [d.name for d in head.datasets] + sorted(set(old) - set(new)):
        before, after = _entries(old.get(name)), _entries(new.get(name))
        entries = _changes("entry", before, after)
        diff = DatasetDiff(name, "changed" if entries else "unchanged", entries)
        if name not in old or name not in new:
            diff.state = "added" if name in new else "removed"
        out.append(diff)
    return out


def _changes(kind: Kind, old: Items, new: Items) -> list[ItemChange]:
    out = []
    for subject in [*new, *(s for s in old if s not in new)]:
        if subject not in old or subject not in new:
            change: Literal["added", "removed"] = "added" if subject in new else "removed"
            _, source, line, note, _ = (new if subject in new else old)[subject]
            out.append(ItemChange(kind, subject, change, source, line, note=note))
        else:
            was, now = old[subject][0], new[subject][0]
            details = tuple((f, was.get(f, "none"), now.get(f, "none"))
                            for f in sorted(set(was) | set(now)) if was.get(f) != now.get(f))
            if details:
                _, source, line, note, lines = new[subject]
                line = lines.get(details[0][0]) or line  # at the first changed field
                out.append(ItemChange(kind, subject, "changed", source, line, details, note))
    return out


def _alerts(model: ModelRecord) -> Items:
    out: Items = {}
    for a in model.ops.alerts:
        fields = {"severity": a.alert.severity, "watches": a.watches,
                  "owner": a.owner.name if a.owner else "none"}
        if not a.default:
            fields |= {"fires when": f"{a.op} {_text(a.threshold)}",
                       **_dump(a.alert, exclude={"id", "severity", "owner"})}
        note = "default alert from the documented range" if a.default else ""
        out[a.id] = (fields, a.where.source, a.where.line, note, {})
    return out


def _runbooks(model: ModelRecord) -> Items:
    return {a.id: (_dump(a.runbook, exclude={"alert"}), a.runbook_at.source, a.runbook_at.line,
                   "", {})
            for a in model.ops.alerts if a.runbook is not None and a.runbook_at is not None}


def _entries(record: DatasetRecord | None) -> Items:
    if record is None:
        return {}
    out: Items = {}
    for i, f in enumerate(record.dictionary.features):
        fields = _dump(f, exclude={"name"})
        lines = {k: record.doc.lines.get(("features", i, k)) for k in fields}
        out[f.name] = (fields, record.source, record.doc.line_of(("features", i)), "", lines)
    return out


def _dump(model: Any, exclude: set[str]) -> dict[str, str]:
    """A schema object's set fields as text, one per top-level field."""
    data = model.model_dump(mode="json", exclude=exclude, exclude_none=True, by_alias=True)
    return {k: _text(v) for k, v in data.items() if v not in ([], {})}


def _text(value: Any) -> str:
    """Exact: a number keeps every digit, so no change hides behind rounding (1440.0 is 1440)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
