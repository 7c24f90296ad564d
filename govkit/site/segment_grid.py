"""The segment x metric grid of one monitoring window: each cell a live metric of a segment
with its range check (icon and word, so it reads without colour) and value. Pure."""

from __future__ import annotations

from typing import Any

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.formatting import fmt
from govkit.model import ModelRecord
from govkit.schemas.monitoring import MonitoringResult
from govkit.site.labels import live_label

_FLAGGED = {"degraded": "degraded", "possible_degradation": "possible degradation"}


def segment_grid(
    model: ModelRecord, result: MonitoringResult, live: list[CheckResult]
) -> dict[str, Any] | None:
    """Rows: overall, then each segment, those with a failing cell first. Columns: every
    metric measured in a segment. None without segments."""
    if not result.segments:
        return None
    names = sorted({n for s in result.segments for n in s.metrics})
    checks = {(c.segment, c.metric): c for c in live}
    decisions = {(p.segment, p.name): p.status for p in result.performance}
    overall = {p.name: p.value for p in result.performance if p.segment is None}

    def cells(segment: str | None, values: dict[str, float | None]) -> list[dict[str, Any]]:
        out = []
        for name in names:
            check = checks.get((segment, model.card_metric(name)))
            decision = decisions.get((segment, name), "")
            out.append({"status": check.status if check else None,
                        "value": fmt(values.get(name)) if values.get(name) is not None
                        else "–",
                        "flag": _FLAGGED.get(decision)})
        return out

    rows: list[dict[str, Any]] = []
    if overall:
        rows.append({"segment": "all rows", "sample_size": result.current.rows,
                     "baseline": "overall", "cells": cells(None, overall)})
    for s in result.segments:
        key = f"{s.column}={s.value}"
        rows.append({"segment": f"{s.column} = {s.value}", "sample_size": s.sample_size,
                     "baseline": s.baseline_source or "no baseline",
                     "cells": cells(key, s.metrics)})

    for row in rows:
        row["status"] = min((c["status"] for c in row["cells"] if c["status"]),
                            key=STATUS_ORDER.__getitem__, default=None)
    return {"metrics": [live_label(model, n) for n in names],
            "rows": sorted(rows, key=lambda r: STATUS_ORDER.get(r["status"], len(STATUS_ORDER))),
            "failing": sum(c["status"] == "fail" for r in rows for c in r["cells"])}
