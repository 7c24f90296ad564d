"""The segment x metric grid of one monitoring window: each cell a live metric of a segment
with its range check (icon and word, so it reads without colour) and value. Pure."""

from __future__ import annotations

from typing import TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult, Status
from govkit.formatting import fmt
from govkit.model import ModelRecord
from govkit.schemas.monitoring import MonitoringResult
from govkit.site.labels import live_label

_FLAGGED = {"degraded": "degraded", "possible_degradation": "possible degradation"}


def _rank(status: Status) -> int:
    return STATUS_ORDER[status]


class Cell(TypedDict):
    status: Status | None
    value: str
    flag: str | None


class Row(TypedDict):
    segment: str
    sample_size: int | None
    baseline: str
    cells: list[Cell]
    status: Status | None  # the worst of its cells'


class Grid(TypedDict):
    metrics: list[str]
    rows: list[Row]
    failing: int


def segment_grid(
    model: ModelRecord, result: MonitoringResult, live: list[CheckResult]
) -> Grid | None:
    """Rows: overall, then each segment, those with a failing cell first. Columns: every
    metric measured in a segment. None without segments."""
    if not result.segments:
        return None
    names = sorted({n for s in result.segments for n in s.metrics})
    checks = {(c.segment, c.metric): c for c in live}
    decisions = {(p.segment, p.name): p.status for p in result.performance}
    overall = {p.name: p.value for p in result.performance if p.segment is None}

    def cells(segment: str | None, values: dict[str, float | None]) -> list[Cell]:
        out: list[Cell] = []
        for name in names:
            check = checks.get((segment, model.card_metric(name)))
            decision = decisions.get((segment, name), "")
            out.append({"status": check.status if check else None,
                        "value": fmt(values.get(name)) if values.get(name) is not None
                        else "–",
                        "flag": _FLAGGED.get(decision)})
        return out

    def row(segment: str, size: int | None, baseline: str, shown: list[Cell]) -> Row:
        worst = sorted((s for s in (c["status"] for c in shown) if s is not None), key=_rank)
        return {"segment": segment, "sample_size": size, "baseline": baseline,
                "cells": shown, "status": worst[0] if worst else None}

    rows: list[Row] = []
    if overall:
        rows.append(row("all rows", result.current.rows, "overall", cells(None, overall)))
    for s in result.segments:
        key = f"{s.column}={s.value}"
        rows.append(row(f"{s.column} = {s.value}", s.sample_size,
                        s.baseline_source or "no baseline", cells(key, s.metrics)))
    return {"metrics": [live_label(model, n) for n in names],
            "rows": sorted(rows, key=lambda r: STATUS_ORDER.get(r["status"] or "",
                                                                len(STATUS_ORDER))),
            "failing": sum(c["status"] == "fail" for r in rows for c in r["cells"])}
