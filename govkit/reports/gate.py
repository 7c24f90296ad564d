"""The release gate's verdict, metric by metric and segment by segment, as a terminal table
or JSON (pure: text)."""

from __future__ import annotations

import json
from pathlib import Path

from govkit.checks.results import Comparison, GateResult
from govkit.formatting import fmt
from govkit.reports.common import location
from govkit.reports.text import summary

_COLUMNS = ("metric", "segment", "candidate", "serving", "difference", "margin", "test",
            "p", "p (Holm)", "verdict", "why")


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "−" if value < 0 else "") + fmt(abs(value))


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2g}" if value < 0.001 else f"{value:.3f}"


def _verdict(c: Comparison) -> str:
    return {"regression": "REGRESSION", "pass": "pass"}.get(c.verdict, "not compared")


def as_table(gate: GateResult) -> str:
    serving = f"{gate.serving} ({gate.against})" if gate.serving else \
        f"nothing ({gate.against} not found): ranges only"
    rows = [(c.label, c.segment or "(all)", fmt(c.candidate), fmt(c.serving),
             _signed(c.difference), fmt(c.margin), c.test, _p(c.p_value), _p(c.p_adjusted),
             _verdict(c), c.basis)
            for c in gate.comparisons]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(_COLUMNS)]
    lines = [f"release gate: {gate.model} {gate.candidate} against {serving}", ""]
    lines.append("  ".join(h.upper().ljust(w) for h, w in zip(_COLUMNS, widths, strict=True)))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    tested = sum(c.p_value is not None for c in gate.comparisons)
    lines += ["", f"p: one-sided, H0 = not worse than the margin; Holm over {tested} tested "
              "rows; a row fails at Holm p < 0.05 (point estimates: a drop beyond the margin)",
              f"documented ranges: {summary(gate.checks)}",
              f"verdict: {'PASS' if gate.passed else 'FAIL'}"]
    return "\n".join(line.rstrip() for line in lines)


def as_json(gate: GateResult, root: Path, repo: Path | None) -> str:
    """`source`: the documenting file as every report names it (`reports.common.location`)."""
    data = {
        "model": gate.model, "candidate": gate.candidate, "serving": gate.serving,
        "against": gate.against, "passed": gate.passed,
        "ranges": [{"id": r.id, "status": r.status, "value": r.value, "range": str(r.range),
                    "source": location(r, root, repo), "line": r.line} for r in gate.checks],
        "metrics": [{"metric": c.metric, "label": c.label, "segment": c.segment,
                     "candidate": c.candidate, "serving": c.serving,
                     "difference": c.difference, "margin": c.margin, "stderr": c.stderr,
                     "z": c.z, "test": c.test, "p": c.p_value, "p_holm": c.p_adjusted,
                     "verdict": c.verdict, "basis": c.basis}
                    for c in gate.comparisons],
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
