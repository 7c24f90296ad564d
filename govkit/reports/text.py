"""Check results as a terminal table, a summary line and FILE:LINE failures (pure: text)."""

from __future__ import annotations

from pathlib import Path

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.formatting import fmt, one_line
from govkit.reports.common import where

_COLUMNS = ("model", "version", "metric", "value", "range", "status")


def table(results: list[CheckResult]) -> str:
    """One row per check, failures first, then warnings (each group in the checks' order)."""
    ordered = sorted(results, key=lambda r: STATUS_ORDER[r.status])
    rows = [
        tuple(one_line(cell) for cell in (
            r.model or (f"dataset {r.dataset}" if r.dataset else r.kind),
            f"{r.version} live {r.window}" if r.window else r.version or "–",
            r.label + (f" [{r.segment}]" if r.segment else ""), fmt(r.value),
            str(r.range) if r.range.defined or r.dataset is None else "–",
            r.status.upper() if r.status in ("fail", "warn") else r.status))
        for r in ordered
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(_COLUMNS)]
    lines = ["  ".join(h.upper().ljust(w) for h, w in zip(_COLUMNS, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def failures(results: list[CheckResult], root: Path, repo: Path | None) -> str:
    """`FILE:LINE: id: message` per failed check, FILE as every report names it."""
    return "\n".join(f"{where(r, root, repo)}: {r.id}: {r.message}"
                     for r in results if r.failed)


def warnings(results: list[CheckResult], root: Path, repo: Path | None) -> str:
    """`FILE:LINE: id: message` per warning (a failure only under --strict)."""
    return "\n".join(f"{where(r, root, repo)}: {r.id}: {r.message}"
                     for r in results if r.status == "warn")


SCOPES = {"all": "all versions", "serving": "serving versions", "latest": "latest versions"}


def summary(results: list[CheckResult], scope: str | None = None) -> str:
    """'N checks: a pass, b fail, ...', with the versions it covers when `scope` is given
    (`build` checks every version; `check` the serving ones unless told otherwise)."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = [f"{counts.get(s, 0)} {s.replace('_', ' ')}"
             for s in ("pass", "fail", "warn", "waived", "no_range", "insufficient_data")
             if counts.get(s)]
    total = f"{len(results)} checks: " + ", ".join(parts) if results else "0 checks"
    return f"{total} ({SCOPES[scope]})" if scope else total
