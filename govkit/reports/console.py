"""What `govkit check` prints: the lines of each `--format`, in order, each to stdout or stderr."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from govkit.reports.text import failures, summary, table, warnings

if TYPE_CHECKING:
    from govkit.checks.results import CheckResult, GateResult

Printed = list[tuple[str, bool]]  # (text, to stderr)


def check_output(results: list[CheckResult], versions: list[str], fmt: str, root: Path,
                 repo: Path | None, scope: str = "serving") -> Printed:
    """The check run as a table (with the versions checked, warnings and failures), the JSON
    report or GitHub annotations; outside the table the versions go to stderr. Totals name
    the versions they cover (`scope`), as `build`'s do."""
    checked = "Versions checked:\n" + "\n".join(f"  {line}" for line in versions)
    total = summary(results, scope)
    # JSON, GitHub and gate reports are imported when asked for: ~4 ms the table does not use
    if fmt == "json":
        from govkit.reports.json import as_json
        return [(checked, True), (as_json(results, root, repo).rstrip("\n"), False)]
    if fmt == "github":
        from govkit.reports.github import workflow_commands
        notes = workflow_commands(results, root, repo=repo)
        return [(checked, True), (notes + "\n" + total if notes else total, False)]
    out: Printed = [(table(results), False), ("", False), (checked, False), (total, False)]
    warned = warnings(results, root, repo)
    if warned:
        out.append(("\nWarnings (not failures; --strict fails on them):\n" + warned, True))
    failed = failures(results, root, repo)
    if failed:
        out.append(("\nFailed checks:\n" + failed, True))
    return out


def gate_output(results: list[CheckResult], gate: GateResult, fmt: str, root: Path,
                repo: Path | None) -> Printed:
    """The release gate: GitHub annotations of the candidate's checks, then the gate as JSON
    or a table."""
    from govkit.reports import gate as gate_report
    from govkit.reports.github import workflow_commands

    out: Printed = []
    if fmt == "github":
        notes = workflow_commands(results, root, repo=repo)
        if notes:
            out.append((notes, False))
    out.append(((gate_report.as_json(gate, root, repo) if fmt == "json" else
                 gate_report.as_table(gate)).rstrip("\n"), False))
    return out
