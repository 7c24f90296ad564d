"""A project diff as Markdown for a pull-request comment, or JSON for bots (pure: text)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from govkit.checks.results import DocumentedRange
from govkit.formatting import fmt
from govkit.reports.common import md_cell
from govkit.review.records import (
    DatasetDiff,
    ItemChange,
    MetricChange,
    ModelDiff,
    ProjectDiff,
    RangeChange,
    SegmentChange,
    SettingChange,
    TextChange,
)

CONTEXT = 5  # words kept on each side of a change
MAX_WORDS = 60  # per text change


def _owners(models: Iterable[ModelDiff]) -> str:
    """Who must approve: each model's owners, for the warning banner."""
    return "; ".join(f"{md_cell(m.name)}: {md_cell(', '.join(m.owners) or 'no owner')}"
                     for m in models)


def as_markdown(diff: ProjectDiff) -> str:
    lines = [f"## govkit diff: {md_cell(diff.base)} → {md_cell(diff.head)}", ""]
    loosened = diff.loosened
    if loosened:
        owners = _owners(m for m in diff.models if any(c.loosened for c in m.ranges))
        lines += [f"> ⚠️ **{len(loosened)} documented range(s) loosened: an owner's approval "
                  f"is needed** ({owners}).", ""]
    lost = diff.coverage_lost
    if lost:
        lines += [f"> ⚠️ **{len(lost)} governance-profile requirement(s) lost evidence: an "
                  "owner's approval is needed.**", ""]
    gone = diff.segments_lost
    if gone:
        owners = _owners(m for m in diff.models if any(c.lost for c in m.segments))
        lines += [f"> ⚠️ **{len(gone)} release segment(s) removed, their checks with them: an "
                  f"owner's approval is needed** ({owners}).", ""]
    settings = diff.loosened_settings
    if settings:
        owners = _owners(m for m in diff.models if any(c.loosened for c in m.settings))
        lines += [f"> ⚠️ **{len(settings)} setting(s) loosened or changed that decide "
                  f"verdicts: an owner's approval is needed** ({owners or 'project'}).", ""]
    if diff.settings:
        lines += _settings(diff.settings)
    flips = diff.new_failures
    if flips:
        lines += [f"> ❌ **{len(flips)} check(s) now fail.**", ""]
    quiet = [m.name for m in diff.models if m.state == "unchanged"]
    for model in diff.models:
        if model.state != "unchanged":
            lines += _model(model)
    for dataset in diff.datasets:
        if dataset.state != "unchanged":
            lines += _dataset(dataset)
    if quiet:
        lines += ["Unchanged: " + ", ".join(md_cell(n) for n in quiet), ""]
    if len(lines) == 2:
        lines += ["No model or data dictionary changed.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _model(m: ModelDiff) -> list[str]:
    title = {"added": " (new model)", "removed": " (removed)"}.get(m.state, "")
    out = [f"### {md_cell(m.name)}{title}", ""]
    facts = [(label, values) for label, values in (
        ("Versions added", m.versions_added), ("Versions removed", m.versions_removed),
        ("Monitoring windows added", m.windows_added),
        ("Monitoring windows removed", m.windows_removed)) if values]
    out += [f"- {label}: " + ", ".join(md_cell(v) for v in values) for label, values in facts]
    out += [f"- Alias {md_cell(a.alias)}: {md_cell(a.old or 'none')} → "
            f"{md_cell(a.new or 'none')}" for a in m.aliases]
    if facts or m.aliases:
        out.append("")
    if m.metrics:
        out += ["**Metrics**", "", "| check | old | new | change | status |",
                "|---|---|---|---|---|"]
        out += [_metric_row(c) for c in m.metrics] + [""]
    if m.ranges:
        out += ["**Documented ranges**", "", "| where | metric | old | new | verdict |",
                "|---|---|---|---|---|"]
        out += [_range_row(c) for c in m.ranges] + [""]
    if m.segments:
        out += ["**Release segments**", "", "| where | release | segment | change |",
                "|---|---|---|---|"]
        out += [_segment_row(c) for c in m.segments] + [""]
    if m.coverage:
        out += ["**Governance profile coverage**", "", "| requirement | old | new | verdict |",
                "|---|---|---|---|"]
        out += [f"| {md_cell(c.label)} (`{md_cell(c.id)}`) | {c.old} | {c.new} | "
                + (f"⚠️ **lost evidence**: {md_cell(c.message)}" if c.lost else "gained evidence")
                + " |" for c in m.coverage] + [""]
    if m.settings:
        out += _settings(m.settings)
    if m.text:
        out += ["**Hand-written text**", ""] + [_text_item(c) for c in m.text] + [""]
    if m.operations:
        out += ["**Alerts and runbooks**", "", *_items(m.operations)]
    return out


def _dataset(d: DatasetDiff) -> list[str]:
    title = {"added": " (new)", "removed": " (removed)"}.get(d.state, "")
    out = [f"### Data dictionary {md_cell(d.name)}{title}", ""]
    return out + (_items(d.entries) if d.entries else [])


def _items(changes: list[ItemChange]) -> list[str]:
    """One row per alert, runbook or dictionary entry added, removed or changed."""
    out = ["| where | item | change | details |", "|---|---|---|---|"]
    for c in changes:
        where = f"{c.source}:{c.line}" if c.line else c.source
        item = f"{c.kind} {c.subject}"
        details = "; ".join(f"{md_cell(f)}: {md_cell(_short(a))} → {md_cell(_short(b))}"
                            for f, a, b in c.details)
        if c.note:
            details = "; ".join(filter(None, (md_cell(c.note), details)))
        change = {"removed": "**removed**"}.get(c.change, c.change)
        out.append(f"| {md_cell(where)} | {md_cell(item)} | {change} | {details or '–'} |")
    return [*out, ""]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _metric_row(c: MetricChange) -> str:
    name = c.id.removeprefix(f"{c.model}/")
    if c.base_version != c.version:
        name += f" (vs {c.base_version})"
    change = "–"
    if c.change == 0:
        change = "0"
    elif c.change is not None:
        change = _signed(c.change)
        if c.relative is not None:
            change += f" ({_signed(c.relative * 100, 1)}%)"
    old, new = md_cell(c.old_status), md_cell(c.new_status)
    status = f"{old} → **{new}**" if c.flipped else new
    return (f"| {md_cell(name)} | {md_cell(fmt(c.old))} | {md_cell(fmt(c.new))} | "
            f"{md_cell(change)} | {status} |")


def _signed(value: float, decimals: int | None = None) -> str:
    text = f"{abs(value):.{decimals}f}" if decimals is not None else fmt(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def _range_row(c: RangeChange) -> str:
    where = f"{c.source}:{c.line}" if c.line else c.source
    metric = c.metric + (f" [{c.segment}]" if c.segment else "")
    scope = "" if c.scope == "card" else f"{c.scope} "
    verdict = ("⚠️ **loosened**: needs an owner's approval" if c.loosened else "tightened")
    if c.note:
        verdict += f" ({md_cell(c.note)})"
    return (f"| {md_cell(where)} | {md_cell(scope + metric)} | {md_cell(_range(c.old))} | "
            f"{md_cell(_range(c.new))} | {verdict} |")


def _segment_row(c: SegmentChange) -> str:
    where = f"{c.source}:{c.line}" if c.line else c.source
    metrics = md_cell(", ".join(c.metrics) or "no metric")
    change = (f"⚠️ **removed** ({metrics} no longer checked): needs an owner's approval"
              if c.lost else f"added ({metrics})")
    if c.note:
        change += f" ({md_cell(c.note)})"
    return (f"| {md_cell(where)} | {md_cell(c.version)} | {md_cell(c.segment)} | "
            f"{change} |")


def _settings(changes: list[SettingChange]) -> list[str]:
    out = ["**Settings that decide verdicts**", "", "| where | setting | old | new | verdict |",
           "|---|---|---|---|---|"]
    for c in changes:
        where = f"{c.source}:{c.line}" if c.line else c.source
        verdict = {"loosened": "⚠️ **loosened**: needs an owner's approval",
                   "changed": "⚠️ **changed** (no order): needs an owner's approval"}.get(
                       c.verdict, "tightened")
        out.append(f"| {md_cell(where)} | {md_cell(c.field)} | {md_cell(c.old)} | "
                   f"{md_cell(c.new)} | {verdict} |")
    return [*out, ""]


def _range(rng: DocumentedRange | None) -> str:
    return str(rng) if rng is not None and rng.defined else "none"


def _text_item(c: TextChange) -> str:
    where = f"{c.source}:{c.line}" if c.line else c.source
    return f"- {md_cell(c.field)} ({md_cell(where)}): {short_diff(c.ops)}"


def short_diff(ops: tuple[tuple[str, str], ...]) -> str:
    """Removed words struck through, added words bold, unchanged runs cut to some context."""
    parts: list[str] = []
    budget = MAX_WORDS
    for index, (tag, text) in enumerate(ops):
        words = text.split()
        if tag == "=":
            first, last = index == 0, index == len(ops) - 1
            if len(words) > 2 * CONTEXT or ((first or last) and len(words) > CONTEXT):
                head = [] if first else words[:CONTEXT]
                tail = [] if last else words[-CONTEXT:]
                words = [*head, "…", *tail]
        words = words[:max(budget, 0)]
        budget -= len(words)
        if not words:
            parts.append("…")
            break
        cell = md_cell(" ".join(words))
        parts.append({"-": f"~~{cell}~~", "+": f"**{cell}**"}.get(tag, cell))
    return " ".join(parts) if parts else "(emptied)"


def as_json(diff: ProjectDiff) -> str:
    data = {
        "base": diff.base, "head": diff.head,
        "loosened": len(diff.loosened), "new_failures": len(diff.new_failures),
        "coverage_lost": len(diff.coverage_lost),
        "loosened_settings": len(diff.loosened_settings),
        "segments_lost": len(diff.segments_lost),
        "settings": [_plain(c) for c in diff.settings],
        "models": [_plain(m) for m in diff.models],
        "datasets": [_plain(d) for d in diff.datasets],
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _plain(obj: Any) -> Any:
    if isinstance(obj, DocumentedRange):
        return {"min": obj.min, "max": obj.max, "exclusive": obj.exclusive, "text": str(obj)}
    if isinstance(obj, MetricChange):
        return {**_fields(obj), "flipped": obj.flipped, "change": obj.change,
                "relative": obj.relative}
    if isinstance(obj, RangeChange):
        return {**_fields(obj), "loosened": obj.loosened}
    if isinstance(obj, SettingChange):
        return {**_fields(obj), "loosened": obj.loosened}
    if isinstance(obj, SegmentChange):
        return {**_fields(obj), "lost": obj.lost}
    if isinstance(obj, TextChange):
        return {**_fields(obj), "ops": [list(op) for op in obj.ops]}
    if isinstance(obj, ItemChange):
        return {**_fields(obj), "details": [{"field": f, "old": a, "new": b}
                                            for f, a, b in obj.details]}
    if hasattr(obj, "__dataclass_fields__"):
        return _fields(obj)
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def _fields(obj: Any) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in obj.__dataclass_fields__}
