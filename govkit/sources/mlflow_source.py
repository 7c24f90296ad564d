"""Read registered model versions and their training runs through `MlflowClient`.

I/O only: returns plain frozen data. Many versions are fetched in batches (one
`search_runs` per chunk of run ids). `mlflow` is imported inside functions so that
importing govkit stays fast.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.sources.mlflow_entities import (
    RunInfo,
    VersionInfo,
    VersionRead,
    aliases_by_version,
    dataset_inputs,
    fail,
    parse_thresholds,
    redact_uri,
    require_finite,
    signature_fields,
    threshold_tags,
    version_info,
    version_number,
)
from govkit.sources.mlflow_errors import describe, source_errors, store_error
from govkit.sources.mlflow_session import mlflow_session
from govkit.sources.mlflow_store import checked_uri

if TYPE_CHECKING:
    from mlflow import MlflowClient

THRESHOLDS_ARTIFACT = "govkit/thresholds.json"
RUN_BATCH = 100  # run ids per search_runs call; keeps the filter string short


def connect(open_uri: str) -> MlflowClient:
    """A client for a checked URI, proven by one call. Call it inside `mlflow_session`
    (bounded HTTP retries and timeouts) and its error handling."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=open_uri, registry_uri=open_uri)
    client.search_registered_models(max_results=1)
    return client


def select_versions(
    client: MlflowClient,
    model: str,
    *,
    version: str | None = None,
    alias: str | None = None,
) -> list[VersionInfo]:
    """The versions of registered model `model` to ingest: one, the aliased one, or all."""
    registered = _call(lambda: client.get_registered_model(model), f"registered model {model!r}")
    aliases = aliases_by_version(getattr(registered, "aliases", None))
    if alias is not None:
        from mlflow.exceptions import MlflowException

        try:
            return [version_info(client.get_model_version_by_alias(model, alias), aliases)]
        except MlflowException:
            known = ", ".join(sorted({a for names in aliases.values() for a in names})) or "none"
            raise fail(
                f"alias {alias!r} is not set on registered model {model!r} (aliases: {known})"
            ) from None
    if version is not None:
        mv = _call(
            lambda: client.get_model_version(model, str(version)),
            f"version {version!r} of registered model {model!r}",
            client,
            model,
        )
        return [version_info(mv, aliases)]
    found: list[Any] = []
    token = None
    while True:
        page = client.search_model_versions(f"name = '{_quote(model)}'", page_token=token)
        found.extend(page)
        token = page.token
        if not token:
            break
    infos = [version_info(mv, aliases) for mv in found]
    return sorted(infos, key=lambda v: version_number(v.version))


def read_runs(client: MlflowClient, run_ids: Sequence[str]) -> dict[str, Any]:
    """Fetch the runs with these ids in batches; deleted or missing ones are left out."""
    from mlflow.entities import ViewType

    wanted = sorted(set(run_ids))
    if not wanted:
        return {}
    experiments = _experiment_ids(client)
    runs: dict[str, Any] = {}
    for start in range(0, len(wanted), RUN_BATCH):
        chunk = wanted[start : start + RUN_BATCH]
        ids = ", ".join(f"'{_quote(r)}'" for r in chunk)
        found = client.search_runs(
            experiments,
            filter_string=f"attributes.run_id IN ({ids})",
            run_view_type=ViewType.ALL,
            max_results=len(chunk),
        )
        for run in found:
            if run.info.lifecycle_stage != "deleted":
                runs[run.info.run_id] = run
    return runs


def read_run_details(
    client: MlflowClient, tracking_uri: str, run: Any, model_path: str | None = None
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
    )


def read_signature(version: VersionInfo) -> dict[str, Any] | None:
    """Input/output schema from the version's `MLmodel`, or None if it has none."""
    from mlflow.models import get_model_info

    try:
        sig = get_model_info(f"models:/{version.name}/{version.version}").signature
    except Exception:
        return None  # not an MLflow model (e.g. registered from a bare folder)
    if sig is None:
        return None
    return {"inputs": signature_fields(sig.inputs), "outputs": signature_fields(sig.outputs)}


def read_versions(
    tracking_uri: str,
    model: str,
    *,
    version: str | None = None,
    alias: str | None = None,
    progress: Callable[[list[VersionInfo]], Iterable[VersionInfo]] | None = None,
    shown: str | None = None,
) -> list[VersionRead]:
    """Read the selected versions (all when neither `version` nor `alias` is given).

    `shown` (default `tracking_uri`) is how errors name the store, e.g. as configured.
    """
    shown = shown or tracking_uri
    open_uri = checked_uri(tracking_uri, shown)
    errors = source_errors()
    with mlflow_session(open_uri):
        try:
            return _read(open_uri, shown, model, version, alias, progress)
        except errors as exc:
            raise store_error(shown, exc) from exc


def _read(
    open_uri: str,
    shown: str,
    model: str,
    version: str | None,
    alias: str | None,
    progress: Callable[[list[VersionInfo]], Iterable[VersionInfo]] | None,
) -> list[VersionRead]:
    client = connect(open_uri)
    versions = select_versions(client, model, version=version, alias=alias)
    runs = read_runs(client, [v.run_id for v in versions if v.run_id])
    out = []
    for v in progress(versions) if progress else versions:
        run = None
        if v.run_id:
            if v.run_id not in runs:
                raise fail(
                    f"registered model {model!r} version {v.version}: its run {v.run_id} "
                    f"was deleted or is missing in {redact_uri(shown)}"
                )
            model_path = _model_path(client, v)
            run = read_run_details(client, open_uri, runs[v.run_id], model_path)
        out.append(VersionRead(shown, v, run, read_signature(v)))
    return out


def _model_path(client: MlflowClient, version: VersionInfo) -> str | None:
    """The model's folder inside its run: 'model' for runs:/<id>/model or a logged model."""
    source = version.source or ""
    if source.startswith("runs:/"):
        return source.removeprefix("runs:/").partition("/")[2].strip("/") or None
    if version.model_id:
        try:
            return str(client.get_logged_model(version.model_id).name)
        except Exception:
            return None
    return None


def _experiment_ids(client: MlflowClient) -> list[str]:
    from mlflow.entities import ViewType

    ids: list[str] = []
    token = None
    while True:
        page = client.search_experiments(view_type=ViewType.ALL, page_token=token)
        ids.extend(e.experiment_id for e in page)
        token = page.token
        if not token:
            return ids


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


def _call(fn: Any, what: str, client: Any = None, model: str | None = None) -> Any:
    from mlflow.exceptions import MlflowException

    try:
        return fn()
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_DOES_NOT_EXIST":
            raise fail(f"{what}: {describe(exc)}") from exc
        hint = ""
        if client is not None and model is not None:
            page = client.search_model_versions(f"name = '{_quote(model)}'")
            known = sorted((str(v.version) for v in page), key=version_number)
            hint = f" (versions: {', '.join(known) or 'none'})"
        raise fail(f"{what} not found{hint}") from None


def _quote(text: str) -> str:
    return text.replace("'", "\\'")


