"""Check results as the JSON report whose schema `govkit schema` publishes (pure: text)."""

from __future__ import annotations

import json
from pathlib import Path

from govkit.checks.results import CheckResult
from govkit.reports.common import location
from govkit.schemas.report import LEVELS, CheckReport, ReportedCheck


def report(results: list[CheckResult], root: Path, repo: Path | None) -> CheckReport:
    """`source`: the documenting file as every report names it (`reports.common.location`)."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return CheckReport.model_validate({
        "results": [ReportedCheck.model_validate({
            "id": r.id, "model": r.model, "version": r.version, "kind": r.kind,
            "window": r.window, "metric": r.metric, "label": r.label, "segment": r.segment,
            "value": r.value, "min": r.range.min, "max": r.range.max,
            "exclusive": r.range.exclusive, "range": str(r.range), "status": r.status,
            "level": LEVELS[r.status], "severity": r.severity, "message": r.message,
            "source": location(r, root, repo), "line": r.line, "dataset": r.dataset,
        }) for r in results],
        "counts": counts,
        "failed": sum(r.failed for r in results),
        "warnings": sum(r.status == "warn" for r in results),
    })


def as_json(results: list[CheckResult], root: Path, repo: Path | None) -> str:
    data = report(results, root, repo).model_dump(mode="json")
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
