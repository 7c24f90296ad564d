"""What `govkit init --from-mlflow` reads: every registered model of a store and the
metrics its versions' runs logged. Read-only (the store is opened through `read_store`)."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from govkit.sources.mlflow_entities import aliases_by_version
from govkit.sources.mlflow_runs import experiments, read_runs
from govkit.sources.mlflow_source import read_store, select_versions

if TYPE_CHECKING:
    from mlflow import MlflowClient


@dataclass(frozen=True)
class RegisteredMetrics:
    """One registered model: its versions and the last value of each metric their runs
    logged (finite values only, one per version that logged the metric)."""

    name: str
    description: str | None
    versions: tuple[str, ...]
    metrics: dict[str, tuple[float, ...]]
    not_finite: tuple[str, ...] = ()  # metrics logged only as NaN or infinity
    no_run: tuple[str, ...] = ()  # versions without a run, or whose run was deleted


def read_registered(open_uri: str, configured_uri: str,
                    only: Collection[str] = ()) -> tuple[list[RegisteredMetrics], list[str]]:
    """The registered models named in `only` (all when empty), sorted by name, and the names
    of every registered model of the store."""
    return read_store(open_uri, configured_uri, lambda client, _: _read(client, set(only)))


def _read(client: MlflowClient, only: set[str]) -> tuple[list[RegisteredMetrics], list[str]]:
    models: list[Any] = []
    token = None
    while True:
        page = client.search_registered_models(page_token=token)
        models.extend(page)
        token = page.token
        if not token:
            break
    names = sorted(experiments(client))
    out = []
    for registered in sorted(models, key=lambda m: str(m.name)):
        name = str(registered.name)
        if only and name not in only:
            continue
        aliases = aliases_by_version(getattr(registered, "aliases", None))
        versions = select_versions(client, name, aliases)
        runs = read_runs(client, [v.run_id for v in versions if v.run_id], names)
        metrics: dict[str, list[float]] = {}
        for v in versions:
            run = runs.get(v.run_id or "")
            for key, value in sorted(run.data.metrics.items()) if run is not None else ():
                finite = isinstance(value, int | float) and math.isfinite(value)
                metrics.setdefault(str(key), []).extend([float(value)] if finite else [])
        out.append(RegisteredMetrics(
            name, getattr(registered, "description", None) or None,
            tuple(v.version for v in versions),
            {k: tuple(vals) for k, vals in sorted(metrics.items()) if vals},
            tuple(k for k, vals in sorted(metrics.items()) if not vals),
            tuple(v.version for v in versions if (v.run_id or "") not in runs)))
    return out, sorted(str(m.name) for m in models)
