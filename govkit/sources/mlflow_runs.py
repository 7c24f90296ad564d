"""Read training runs through `MlflowClient`: batched fetches, metric histories, artifacts
and the thresholds a run declares. I/O only; `mlflow` is imported inside functions."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.sources.mlflow_entities import (
    RunInfo,
    dataset_inputs,
    parse_thresholds,
    require_finite,
    threshold_tags,
)

if TYPE_CHECKING:
    from mlflow import MlflowClient

THRESHOLDS_ARTIFACT = "govkit/thresholds.json"
RUN_BATCH = 100  # run ids per search_runs call; keeps the filter string short


def experiments(client: MlflowClient) -> dict[str, str]:
    """Every experiment, deleted ones too: {id: name}."""
    from mlflow.entities import ViewType

    names: dict[str, str] = {}
    token = None
    while True:
        page = client.search_experiments(view_type=ViewType.ALL, page_token=token)
        names.update((str(e.experiment_id), str(e.name)) for e in page)
        token = page.token
        if not token:
            return names


def read_runs(
    client: MlflowClient, run_ids: Sequence[str], experiment_ids: Sequence[str]
) -> dict[str, Any]:
    """Fetch the runs with these ids in batches; deleted or missing ones are left out."""
    from mlflow.entities import ViewType

    wanted = sorted(set(run_ids))
    runs: dict[str, Any] = {}
    for start in range(0, len(wanted), RUN_BATCH):
        chunk = wanted[start : start + RUN_BATCH]
        ids = ", ".join(f"'{quote(r)}'" for r in chunk)
        found = client.search_runs(
            list(experiment_ids),
            filter_string=f"attributes.run_id IN ({ids})",
            run_view_type=ViewType.ALL,
            max_results=len(chunk),
        )
        for run in found:
            if run.info.lifecycle_stage != "deleted":
                runs[run.info.run_id] = run
    return runs


def read_run_details(
    client: MlflowClient,
    tracking_uri: str,
    run: Any,
    model_path: str | None = None,
    experiment_name: str | None = None,
) -> RunInfo:
    """Metric histories, datasets, artifacts and declared thresholds of one fetched run.

    `model_path` is where the registered model sits in the run ('model'); MLflow 3 keeps
    logged models outside the run's own artifacts, so they are listed separately.
    """
    info, data = run.info, run.data
    run_id = info.run_id
    histories = {}
    for key in sorted(data.metrics):
        points = sorted(client.get_metric_history(run_id, key), key=lambda m: (m.step, m.timestamp))
        for p in points:
            require_finite(p.value, f"metric {key!r} of run {run_id} at step {p.step}")
        histories[key] = (tuple(int(p.step) for p in points), tuple(float(p.value) for p in points))
    for key, value in data.metrics.items():
        require_finite(value, f"metric {key!r} of run {run_id}")
    files = set(_list_artifacts(client, run_id))
    if model_path and not any(f.startswith(f"{model_path}/") for f in files):
        files.update(_list_artifacts(client, run_id, model_path))
    artifacts = tuple(sorted(files))
    thresholds = _thresholds_artifact(tracking_uri, run_id, artifacts)
    for metric, bounds in threshold_tags(data.tags, run_id).items():
        thresholds.setdefault(metric, {}).update(bounds)
    return RunInfo(
        run_id=run_id,
        name=info.run_name,
        experiment_id=str(info.experiment_id),
        status=str(info.status),
        start_ms=info.start_time,
        end_ms=info.end_time,
        tags=dict(data.tags),
        params=dict(data.params),
        metrics={k: float(v) for k, v in data.metrics.items()},
        histories=histories,
        datasets=tuple(dataset_inputs(run)),
        artifacts=artifacts,
        thresholds=thresholds,
        experiment_name=experiment_name,
    )


def quote(text: str) -> str:
    """A value inside single quotes of an MLflow filter string."""
    return text.replace("'", "\\'")


def _list_artifacts(client: MlflowClient, run_id: str, path: str | None = None) -> list[str]:
    files = []
    for item in client.list_artifacts(run_id, path):
        if item.is_dir:
            files.extend(_list_artifacts(client, run_id, item.path))
        else:
            files.append(item.path)
    return files


def _thresholds_artifact(
    tracking_uri: str, run_id: str, artifacts: Sequence[str]
) -> dict[str, dict[str, float]]:
    if THRESHOLDS_ARTIFACT not in artifacts:
        return {}
    from mlflow.artifacts import download_artifacts

    with tempfile.TemporaryDirectory(prefix="govkit-") as tmp:
        local = download_artifacts(
            run_id=run_id,
            artifact_path=THRESHOLDS_ARTIFACT,
            dst_path=tmp,
            tracking_uri=tracking_uri,
        )
        text = Path(local).read_text(encoding="utf-8")
    return parse_thresholds(text, f"artifact {THRESHOLDS_ARTIFACT} of run {run_id}")
