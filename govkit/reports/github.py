"""Check results for GitHub Actions: workflow-command annotations and a step summary (pure).

Annotations sit at the YAML line that documents the range. GitHub shows at most 10 errors and
10 warnings per step, so the rest are counted on one plain line instead. The Markdown summary
is cut to fit GitHub's 1 MiB limit on a step's summary file.
"""

from __future__ import annotations

from pathlib import Path

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.formatting import fmt
from govkit.reports.common import clean, location, md_cell, where
from govkit.reports.text import summary
from govkit.schemas.report import LEVELS

CAP = 10  # annotations of one level per step
SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub accepts in one step's summary file
_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}
_TITLE = {"fail": "outside its documented range", "insufficient_data": "not evaluated",
          "no_range": "no documented range", "waived": "failing, waived until its expiry",
          "warn": "warning (fails with --strict)"}
_ICON = {"fail": "❌ fail", "insufficient_data": "⚠️ insufficient data",
         "no_range": "➖ no range", "pass": "✅ pass", "waived": "⏳ waived", "warn": "⚠️ warn"}


def escape_data(text: str) -> str:
    """A command's message: '%', CR and LF percent-encoded (GitHub's escapeData)."""
    out = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return clean(out)


def escape_property(text: str) -> str:
    """A command's property value: as data, plus ':' and ',' (GitHub's escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_commands(results: list[CheckResult], root: Path, cap: int = CAP,
                      repo: Path | None = None) -> str:
    lines: list[str] = []
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for r in results:
        command = _COMMAND.get(LEVELS[r.status])
        if command is None:
            continue
        if shown.get(command, 0) >= cap:
            hidden[command] = hidden.get(command, 0) + 1
            continue
        shown[command] = shown.get(command, 0) + 1
        props = [f"file={escape_property(location(r, root, repo))}"]
        if r.line:
            props.append(f"line={r.line}")
        props.append(f"title={escape_property(f'{r.id}: {_TITLE[r.status]}')}")
        lines.append(f"::{command} {','.join(props)}::{escape_data(f'{r.id}: {r.message}')}")
    for command in ("error", "warning", "notice"):
        if hidden.get(command):
            lines.append(f"govkit: {hidden[command]} more {command}(s) not annotated (GitHub "
                         f"shows {cap} per step); see the step summary or the reports")
    return "\n".join(lines)


def step_summary(results: list[CheckResult], root: Path, budget: int = SUMMARY_LIMIT,
                 repo: Path | None = None) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY in at most `budget` UTF-8 bytes ('' if none fit)."""
    head = (f"## govkit check\n\n{md_cell(summary(results))}\n\n"
            "| status | check | value | range | documented at |\n|---|---|---|---|---|\n")
    order = sorted(results, key=lambda r: STATUS_ORDER[r.status])  # stable: failures first
    rows = [f"| {_ICON[r.status]} | {md_cell(r.id)} | {md_cell(fmt(r.value))} | "
            f"{md_cell(str(r.range))} | {md_cell(where(r, root, repo))} |\n" for r in order]
    used = len(head.encode())
    kept: list[str] = []
    for index, row in enumerate(rows):
        more = len(rows) - index - 1
        tail = _cut_note(more) if more else "\n"
        if used + len(row.encode()) + len(tail.encode()) > budget:
            break
        kept.append(row)
        used += len(row.encode())
    cut = len(rows) - len(kept)
    text = head + "".join(kept) + (_cut_note(cut) if cut else "\n")
    return text if len(text.encode()) <= budget else ""


def _cut_note(count: int) -> str:
    return (f"\n{count} more check(s) not shown: a step summary is limited to 1 MiB "
            "(the JUnit, JSON and SARIF reports have every check).\n")
