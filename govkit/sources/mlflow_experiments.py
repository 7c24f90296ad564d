"""Read one MLflow experiment for its experiment log: every run with its parameters and
final metrics, sweeps (runs tagged `mlflow.parentRunId`) folded into their top-level run,
and the registry versions each run became. Read-only, like `mlflow_source`."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from govkit.sources.mlflow_entities import fail, version_number
from govkit.sources.mlflow_source import read_store

if TYPE_CHECKING:
    from mlflow import MlflowClient

PARENT_TAG = "mlflow.parentRunId"
NOTE_TAG = "mlflow.note.content"


def read_experiment(open_uri: str, name: str,
                    configured_uri: str | None = None) -> dict[str, Any]:
    """The experiment `name` as a plain record in the experiment-log schema."""
    return read_store(open_uri, configured_uri or open_uri,
                      lambda client, _open_uri: _read(client, name))


def _read(client: MlflowClient, name: str) -> dict[str, Any]:
    from mlflow.entities import ViewType

    experiment = client.get_experiment_by_name(name)
    if experiment is None or experiment.lifecycle_stage == "deleted":
        known = sorted(str(e.name) for e in client.search_experiments())
        raise fail(f"no experiment {name!r}", "use one of: " + (", ".join(known) or "none"))
    runs: list[Any] = []
    token = None
    while True:
        page = client.search_runs([experiment.experiment_id], run_view_type=ViewType.ACTIVE_ONLY,
                                  max_results=1000, page_token=token)
        runs.extend(page)
        token = page.token
        if not token:
            break
    registered = _registered(client, {r.info.run_id for r in runs})
    return fold_runs(str(experiment.name), str(experiment.experiment_id),
                     (experiment.tags or {}).get(NOTE_TAG), [_plain(r) for r in runs],
                     registered)


def _registered(client: MlflowClient, run_ids: set[str]) -> dict[str, list[dict[str, str]]]:
    """run id -> the registry versions made from it (every registered model)."""
    out: dict[str, list[dict[str, str]]] = {}
    token = None
    while True:
        page = client.search_model_versions(max_results=1000, page_token=token)
        for mv in page:
            if mv.run_id in run_ids:
                out.setdefault(str(mv.run_id), []).append(
                    {"model": str(mv.name), "version": str(mv.version)})
        token = page.token
        if not token:
            break
    for versions in out.values():
        versions.sort(key=lambda v: (v["model"], version_number(v["version"])))
    return out


def _plain(run: Any) -> dict[str, Any]:
    info, data = run.info, run.data
    metrics = {}
    for key, value in sorted(data.metrics.items()):
        if not math.isfinite(float(value)):
            raise fail(f"run {info.run_id}: metric {key!r} is {value}",
                       "log finite metric values")
        metrics[str(key)] = float(value)
    return {
        "run_id": str(info.run_id), "name": info.run_name or None, "status": info.status,
        "user": info.user_id or None, "start_ms": info.start_time, "end_ms": info.end_time,
        "parent": data.tags.get(PARENT_TAG),
        "params": {str(k): str(v) for k, v in sorted(data.params.items())},
        "metrics": metrics,
    }


def fold_runs(name: str, experiment_id: str, note: str | None, runs: list[dict[str, Any]],
              registered: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """Top-level runs oldest first; each nested run (at any depth) under its top-level run.
    A run whose parent is missing (deleted) counts as top-level. Pure."""
    by_id = {r["run_id"]: r for r in runs}

    def top(run: dict[str, Any]) -> dict[str, Any]:
        seen = {run["run_id"]}
        while run.get("parent") in by_id and run["parent"] not in seen:
            run = by_id[run["parent"]]
            seen.add(run["run_id"])
        return run

    order = sorted(runs, key=lambda r: (r["start_ms"] or 0, r["name"] or "", r["run_id"]))
    tops: dict[str, dict[str, Any]] = {}
    for run in order:
        root = top(run)
        entry = tops.setdefault(root["run_id"], _record(root, registered))
        if root is not run:
            child = {k: run[k] for k in ("run_id", "name", "status", "params", "metrics")}
            entry["nested"].append({k: v for k, v in child.items() if v not in (None, {})})
            for version in registered.get(run["run_id"], []):
                entry["registered"].append(version)
    starts = [r["start_ms"] for r in runs if r["start_ms"]]
    out: dict[str, Any] = {"experiment": name, "experiment_id": experiment_id,
                           "runs": list(tops.values())}
    if note:
        out["description"] = note
    if starts:
        out["last_run"] = _utc(max(starts))[:10]
    return out


def _record(run: dict[str, Any], registered: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    out = {k: run[k] for k in ("run_id", "name", "status", "user", "params", "metrics")}
    out["start"] = _utc(run["start_ms"]) if run["start_ms"] else None
    out["end"] = _utc(run["end_ms"]) if run["end_ms"] else None
    out["registered"] = list(registered.get(run["run_id"], []))
    out["nested"] = []
    return {k: v for k, v in out.items() if v is not None}


def _utc(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

