"""Two consecutive versions side by side: metrics and their ranges, segments, hyperparameters,
training data and the release's own text. Pure: records and check results in, plain data out.

`diff_releases` is the engine; the compare page (`compare_context`) is one reader of it, and a
pull-request report can be another.
"""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult, Status
from govkit.formatting import fmt
from govkit.model import ModelRecord, ReleaseRecord
from govkit.site.cards import header
from govkit.site.plain import plain

DATA_FIELDS = ("description", "size", "features", "label_definition", "sources",
               "preprocessing")


class Change(TypedDict):
    change: str | None
    direction: str | None  # better or worse


class CompareRow(Change):
    """A (segment, metric) in either version: values, ranges, the newer one's status."""

    segment: str | None
    label: str
    old: str
    new: str
    old_range: str
    new_range: str
    range_changed: bool
    status: Status | None


class Pair(TypedDict):
    name: str
    old: Any
    new: Any


class ReleaseDiff(TypedDict):
    """What changed from one version to the next."""

    old: Any
    new: Any
    metrics: list[CompareRow]
    params: list[Pair]
    data: list[Pair]
    description: str | None
    changes: list[str]
    new_failing: list[str]


def _change(old: float | None, new: float | None, goal: str) -> Change:
    if old is None or new is None or new == old:
        return {"change": None, "direction": None}
    delta = new - old
    better = delta > 0 if goal == "higher" else delta < 0
    return {"change": ("+" if delta > 0 else "") + fmt(delta),
            "direction": "better" if better else "worse"}


def _metric_rows(
    model: ModelRecord, old: list[CheckResult], new: list[CheckResult]
) -> list[CompareRow]:
    """One row per (segment, metric) in either version: failing first, then aggregate first."""
    before = {(c.segment, c.metric): c for c in old}
    after = {(c.segment, c.metric): c for c in new}
    keys = sorted(before.keys() | after.keys(), key=lambda k: (k[0] is not None, k[0] or "", k[1]))
    rows: list[CompareRow] = []
    for key in keys:
        a, b = before.get(key), after.get(key)
        either = b or a
        definition = model.card.metrics.get(key[1])
        goal = definition.goal if definition else "higher"
        rows.append({
            "segment": key[0], "label": either.label if either else key[1],
            "old": fmt(a.value) if a else "–", "new": fmt(b.value) if b else "–",
            "old_range": str(a.range) if a else "–", "new_range": str(b.range) if b else "–",
            "range_changed": bool(a and b and str(a.range) != str(b.range)),
            "status": b.status if b else None,
            **_change(a.value if a else None, b.value if b else None, goal),
        })
    return sorted(rows, key=lambda r: STATUS_ORDER.get(r["status"] or "", len(STATUS_ORDER)))


def _pairs(old: dict[str, Any], new: dict[str, Any]) -> list[Pair]:
    """Keys whose values differ, with both values (missing as None)."""
    return [{"name": k, "old": old.get(k), "new": new.get(k)}
            for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]


def diff_releases(
    model: ModelRecord, old: ReleaseRecord, new: ReleaseRecord,
    old_checks: list[CheckResult], new_checks: list[CheckResult],
) -> ReleaseDiff:
    """What changed from `old` to `new`, as plain data."""
    o, n = old.release, new.release
    old_params = o.training.params if o.training else {}
    new_params = n.training.params if n.training else {}
    old_data = plain(o.training_data or model.card.training_data)
    new_data = plain(n.training_data or model.card.training_data)
    return {
        "old": plain({"version": o.version, "date": o.date, "stage": o.stage}),
        "new": plain({"version": n.version, "date": n.date, "stage": n.stage}),
        "metrics": _metric_rows(model, old_checks, new_checks),
        "params": _pairs(dict(old_params), dict(new_params)),
        "data": [row for row in _pairs(old_data, new_data) if row["name"] in DATA_FIELDS],
        "description": n.description,
        "changes": list(n.changes),
        "new_failing": sorted(c.id for c in new_checks if c.failed),
    }


class CompareContext(TypedDict):
    """Everything compare.md.j2 reads, complete when built."""

    header: str
    name: str
    card: Any
    pairs: list[ReleaseDiff]
    versions: list[str]


def compare_context(
    model: ModelRecord, by_release: dict[tuple[str, str], list[CheckResult]]
) -> CompareContext:
    """Every pair of consecutive versions, newest first."""
    records = model.releases
    checks = [by_release.get((model.name, r.release.version), []) for r in records]
    pairs = [diff_releases(model, records[i - 1], records[i], checks[i - 1], checks[i])
             for i in range(len(records) - 1, 0, -1)]
    return {
        "header": header([model.card_source] + [r.source for r in records],
                         f"{model.card.title}: compare versions"),
        "name": model.name, "card": plain(model.card), "pairs": pairs,
        "versions": [r.release.version for r in reversed(records)],
    }
