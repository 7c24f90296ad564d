"""Read training runs through `MlflowClient`: batched fetches, metric histories, artifacts
and the thresholds a run declares. I/O only; `mlflow` is imported inside functions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.output.files import temporary_folder
from govkit.schemas.published import CARD_ARTIFACT
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
BULK_LIMIT = 250_000  # points per bulk history query; a batch that reaches it is re-read


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


def run_repository(run: Any) -> Any:
    """The artifact repository of a fetched run, straight from its artifact URI: listing
    and downloading through it costs no extra run lookup per call (MlflowClient's do)."""
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    return get_artifact_repository(run.info.artifact_uri)


def metric_histories(client: MlflowClient, runs: Sequence[Any]) -> dict[str, dict[str, list[Any]]]:
    """{run id: {metric: points}} in one query per metric and batch of runs, where the store
    offers MLflow's bulk history read (sqlite and other SQL stores); empty otherwise, and
    for any batch that may have been cut at the query's limit: those are read run by run."""
    store = getattr(getattr(client, "_tracking_client", None), "store", None)
    bulk = getattr(store, "get_metric_history_bulk", None)
    if bulk is None:
        return {}
    by_key: dict[str, list[str]] = {}
    for run in runs:
        for key in run.data.metrics:
            by_key.setdefault(key, []).append(run.info.run_id)
    out: dict[str, dict[str, list[Any]]] = {}
    for key, ids in sorted(by_key.items()):
        for start in range(0, len(ids), RUN_BATCH):
            chunk = ids[start : start + RUN_BATCH]
            found = bulk(chunk, key, BULK_LIMIT)
            if len(found) >= BULK_LIMIT:
                continue
            for run_id in chunk:
                out.setdefault(run_id, {})[key] = []
            for point in found:
                out[point.run_id][key].append(point)  # a Metric with its run id
    return out


def read_run_details(
    client: MlflowClient,
    run: Any,
    model_path: str | None = None,
    experiment_name: str | None = None,
    *,
    repo: Any = None,
    histories: dict[str, list[Any]] | None = None,
) -> RunInfo:
    """Metric histories, datasets, artifacts and declared thresholds of one fetched run.

    `model_path` is where the registered model sits in the run ('model'); MLflow 3 keeps
    logged models outside the run's own artifacts, so they are listed separately. `repo`
    is the run's artifact repository (`run_repository`) and `histories` what
    `metric_histories` read for the run; each metric missing there is read on its own.
    """
    info, data = run.info, run.data
    run_id = info.run_id
    repo = repo if repo is not None else run_repository(run)
    known = histories or {}
    out = {}
    for key in sorted(data.metrics):
        raw = known[key] if key in known else client.get_metric_history(run_id, key)
        points = sorted(raw, key=lambda m: (m.step, m.timestamp))
        for p in points:
            require_finite(p.value, f"metric {key!r} of run {run_id} at step {p.step}")
        out[key] = (tuple(int(p.step) for p in points), tuple(float(p.value) for p in points))
    for key, value in data.metrics.items():
        require_finite(value, f"metric {key!r} of run {run_id}")
    files = set(_list_files(repo)) - {CARD_ARTIFACT}  # govkit's own (publish mlflow)
    if model_path and not any(f.startswith(f"{model_path}/") for f in files):
        files.update(_list_artifacts(client, run_id, model_path))  # a logged model's files
    artifacts = tuple(sorted(files))
    thresholds = _thresholds_artifact(repo, run_id, artifacts)
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
        histories=out,
        datasets=tuple(dataset_inputs(run)),
        artifacts=artifacts,
        thresholds=thresholds,
        experiment_name=experiment_name,
    )


def run_summary(run: Any, histories: dict[str, list[Any]] | None) -> RunInfo:
    """What a fetched run says without listing or downloading anything: its info, tags,
    params, latest metrics and, when `histories` (the bulk read) has every metric, their
    histories (else none: they are not compared). Artifacts, datasets and an artifact's
    thresholds are left out."""
    info, data = run.info, run.data
    out = {}
    known = histories or {}
    if all(key in known for key in data.metrics):
        for key in sorted(data.metrics):
            points = sorted(known[key], key=lambda m: (m.step, m.timestamp))
            out[key] = (tuple(int(p.step) for p in points), tuple(float(p.value) for p in points))
    return RunInfo(
        run_id=info.run_id, name=info.run_name, experiment_id=str(info.experiment_id),
        status=str(info.status), start_ms=info.start_time, end_ms=info.end_time,
        tags=dict(data.tags), params=dict(data.params),
        metrics={k: float(v) for k, v in data.metrics.items()}, histories=out,
        thresholds=threshold_tags(data.tags, info.run_id),
        latest_steps={m.key: int(m.step) for m in getattr(data, "_metric_objs", None) or []},
    )


def quote(text: str) -> str:
    """A value inside single quotes of an MLflow filter string."""
    return text.replace("'", "\\'")


def _list_files(repo: Any, path: str | None = None) -> list[str]:
    files = []
    for item in repo.list_artifacts(path):
        if item.is_dir:
            files.extend(_list_files(repo, item.path))
        else:
            files.append(item.path)
    return files


def _list_artifacts(client: MlflowClient, run_id: str, path: str | None = None) -> list[str]:
    files = []
    for item in client.list_artifacts(run_id, path):
        if item.is_dir:
            files.extend(_list_artifacts(client, run_id, item.path))
        else:
            files.append(item.path)
    return files


def _thresholds_artifact(
    repo: Any, run_id: str, artifacts: Sequence[str]
) -> dict[str, dict[str, float]]:
    if THRESHOLDS_ARTIFACT not in artifacts:
        return {}
    with local_artifact(repo, THRESHOLDS_ARTIFACT) as local:
        data = local.read_bytes()
    return parse_thresholds(data, f"artifact {THRESHOLDS_ARTIFACT} of run {run_id}")


@contextmanager
def local_artifact(repo: Any, path: str) -> Iterator[Path]:
    """A local path of one artifact file: in place for a store on this disk (MLflow's local
    repository), else downloaded into a temporary folder removed afterwards."""
    root = getattr(repo, "artifact_dir", None)
    if isinstance(root, str) and Path(root).is_dir():
        yield Path(root, path)
        return
    with temporary_folder("govkit-") as tmp:
        yield Path(repo.download_artifacts(path, dst_path=str(tmp)))
