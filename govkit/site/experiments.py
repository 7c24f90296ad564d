"""Experiment logs as page contexts (plain data): runs side by side, the parameters that
differ, each metric's best run, which run became which registered version, the decision
record and the log's owner and freshness checks. Pure."""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.model import ExperimentRecord, Project
from govkit.schemas.experiment import ExperimentRun, NestedRun
from govkit.site.card_parts import ExperimentLink
from govkit.site.cards import header
from govkit.site.plain import CheckData, check_data, plain

PAGE_DIR = "experiments"
LOWER_WORDS = ("loss", "error", "rmse", "mae", "mse", "latency")


def page_path(name: str) -> str:
    return f"{PAGE_DIR}/{name}.md"


def direction(project: Project, record: ExperimentRecord, metric: str) -> tuple[str, str]:
    """("higher"|"lower", where it comes from): the card's goal, else assumed from the name."""
    model = project.model(record.entry.model) if record.entry.model else None
    definition = model.card.metrics.get(metric) if model else None
    if definition is not None and model is not None:
        return definition.goal, "from the card"
    lower = any(word in metric.lower() for word in LOWER_WORDS)
    return ("lower" if lower else "higher"), "assumed from the name"


class ModelLink(TypedDict):
    title: str
    link: str


class Version(TypedDict):
    model: str
    version: str
    link: str | None


class RegisteredVersion(Version):
    other_model: bool


class Run(TypedDict):
    run_id: str
    name: str
    start: str | None
    status: str | None
    user: str | None
    nested: int
    registered: list[RegisteredVersion]


class Differing(TypedDict):
    name: str
    by_run: list[str | None]


class Common(TypedDict):
    name: str
    value: str


class Value(TypedDict):
    value: float | None
    from_nested: str | None  # the nested run it comes from


class Cell(Value):
    best: bool


class MetricRow(TypedDict):
    name: str
    goal: str
    direction_source: str
    cells: list[Cell]
    best: Cell | None
    best_run: str | None


class Child(TypedDict):
    name: str
    run_id: str
    status: str | None
    params: list[str | None]
    metrics: list[float | None]


class Sweep(TypedDict):
    parent: str
    count: int
    differing: list[Differing]
    metrics: list[str]
    children: list[Child]


class ExperimentContext(TypedDict):
    """Everything experiment.md.j2 reads, complete when built."""

    header: str
    name: str
    log: Any
    log_source: str
    decision: Any
    decision_source: str | None
    model: ModelLink | None
    runs: list[Run]
    registered_model: str | None
    other_models: list[str]
    differing: list[Differing]
    common: list[Common]
    metrics: list[MetricRow]
    sweeps: list[Sweep]
    checks: list[CheckData]
    warnings: list[CheckData]


def experiment_context(project: Project, record: ExperimentRecord,
                       results: list[CheckResult]) -> ExperimentContext:
    log = record.log
    runs = log.runs
    sources = [record.log_source]
    if record.decision is not None and record.decision_source:
        sources.append(record.decision_source)
    ordered = sorted(results, key=lambda r: (STATUS_ORDER[r.status], r.id))
    own = _registered_name(project, record)
    return {
        "header": header(sources, f"Experiment log: {log.experiment}"),
        "name": record.name,
        "log": plain(log),
        "log_source": record.log_source,
        "decision": plain(record.decision) if record.decision else None,
        "decision_source": record.decision_source,
        "model": _model_link(project, record),
        "runs": [_run(project, r, own) for r in runs],
        "registered_model": own,
        "other_models": sorted({v.model for r in runs for v in r.registered if v.model != own}),
        "differing": _differing([r.params for r in runs]),
        "common": _common([r.params for r in runs]),
        "metrics": _metrics(project, record, runs),
        "sweeps": [_sweep(r) for r in runs if r.nested],
        "checks": [check_data(r) for r in ordered],
        "warnings": [check_data(r) for r in ordered if r.status in ("fail", "warn")],
    }


def _model_link(project: Project, record: ExperimentRecord) -> ModelLink | None:
    model = project.model(record.entry.model) if record.entry.model else None
    if model is None:
        return None
    return {"title": model.card.title, "link": f"../models/{model.name}/index.md"}


def _registered_name(project: Project, record: ExperimentRecord) -> str | None:
    """The registered model of the log's model (govkit.yaml mlflow.registered_model, else its
    name); None when the log names no model."""
    model = project.model(record.entry.model) if record.entry.model else None
    if model is None:
        return None
    entry = model.entry
    return (entry.mlflow.registered_model if entry and entry.mlflow else None) or model.name


def _run(project: Project, run: ExperimentRun, own: str | None) -> Run:
    return {"run_id": run.run_id, "name": run.name or run.run_id[:8],
            "start": (run.start or "")[:10] or None, "status": run.status, "user": run.user,
            "nested": len(run.nested),
            "registered": [{**_version(project, v.model, v.version),
                            "other_model": own is not None and v.model != own}
                           for v in run.registered]}


def _version(project: Project, registered: str, version: str) -> Version:
    """A registry version, linked to its card when a documented model records it."""
    for model in project.models:
        entry = model.entry
        name = (entry.mlflow.registered_model if entry and entry.mlflow else None) or model.name
        if name == registered and model.release(version) is not None:
            return {"model": registered, "version": version,
                    "link": f"../models/{model.name}/versions/{version}.md"}
    return {"model": registered, "version": version, "link": None}


def _differing(params: list[dict[str, str]]) -> list[Differing]:
    keys = sorted({k for p in params for k in p})
    return [{"name": k, "by_run": [p.get(k) for p in params]} for k in keys
            if len({p.get(k) for p in params}) > 1]


def _common(params: list[dict[str, str]]) -> list[Common]:
    keys = sorted({k for p in params for k in p})
    return [{"name": k, "value": params[0][k]} for k in keys
            if len(params) > 0 and len({p.get(k) for p in params}) == 1]


def _best_indices(values: list[float | None], goal: str) -> list[int]:
    """Indices of the best value: every run that reaches it (a tie is shown as a tie)."""
    known = [v for v in values if v is not None]
    if not known:
        return []
    top = max(known) if goal == "higher" else min(known)
    return [i for i, v in enumerate(values) if v == top]


def _metrics(project: Project, record: ExperimentRecord,
             runs: list[ExperimentRun]) -> list[MetricRow]:
    keys = sorted({k for r in runs for k in r.metrics}
                  | {k for r in runs for n in r.nested for k in n.metrics})
    rows: list[MetricRow] = []
    for key in keys:
        goal, said = direction(project, record, key)
        values = [_cell(run, key, goal) for run in runs]
        best = _best_indices([c["value"] for c in values], goal)
        cells: list[Cell] = [{**v, "best": i in best} for i, v in enumerate(values)]
        names = ", ".join(_run_name(runs[i]) for i in best)
        rows.append({"name": key, "goal": goal, "direction_source": said, "cells": cells,
                     "best": cells[best[0]] if best else None,
                     "best_run": (f"{names} (tied)" if len(best) > 1 else names) or None})
    return rows


def _cell(run: ExperimentRun, key: str, goal: str) -> Value:
    """The run's own value, else the best of its nested runs (said so)."""
    if key in run.metrics:
        return {"value": run.metrics[key], "from_nested": None}
    values = [n.metrics[key] for n in run.nested if key in n.metrics]
    if not values:
        return {"value": None, "from_nested": None}
    value = max(values) if goal == "higher" else min(values)
    child = next(n for n in run.nested if n.metrics.get(key) == value)
    return {"value": value, "from_nested": child.name or child.run_id[:8]}


def _run_name(run: ExperimentRun) -> str:
    return run.name or run.run_id[:8]


def _sweep(run: ExperimentRun) -> Sweep:
    children: list[NestedRun] = run.nested
    keys = sorted({k for n in children for k in n.metrics})
    return {
        "parent": _run_name(run), "count": len(children),
        "differing": _differing([n.params for n in children]),
        "metrics": keys,
        "children": [{"name": n.name or n.run_id[:8], "run_id": n.run_id, "status": n.status,
                      "params": [n.params.get(d["name"]) for d in
                                 _differing([c.params for c in children])],
                      "metrics": [n.metrics.get(k) for k in keys]} for n in children],
    }


def card_experiments(project: Project, model_name: str, results: dict[str, list[CheckResult]],
                     base: str) -> list[ExperimentLink]:
    """The experiment logs of a model, for its card (`base`: the card's folder prefix)."""
    return [{"title": e.log.experiment, "link": f"{base}../../{page_path(e.name)}",
             "warnings": sum(r.status in ("warn", "fail") for r in results.get(e.name, []))}
            for e in project.experiments if e.entry.model == model_name]
