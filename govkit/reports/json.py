"""Check results as JSON (pure: returns text)."""

from __future__ import annotations

import json

from govkit.checks import CheckResult


def as_json(results: list[CheckResult]) -> str:
    data = [
        {"id": r.id, "model": r.model, "version": r.version, "metric": r.metric,
         "label": r.label, "segment": r.segment, "value": r.value, "min": r.range.min,
         "max": r.range.max, "status": r.status, "message": r.message,
         "source": r.source, "line": r.line, "kind": r.kind, "window": r.window,
         "dataset": r.dataset}
        for r in results
    ]
    return json.dumps({"results": data, "failed": sum(r.failed for r in results),
                       "warnings": sum(r.status == "warn" for r in results)},
                      indent=2, sort_keys=True)
