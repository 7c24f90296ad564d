"""Read a registered model and the selected versions with their training runs.

I/O only: returns plain frozen data. The URI is checked before MLflow touches it
(`mlflow_store`), every MLflow call runs inside `mlflow_session`, and anything the store
raises becomes one input error naming the URI (`mlflow_errors`). Many versions are
fetched in batches (one `search_runs` per chunk of run ids). `mlflow` is imported inside
functions so that importing govkit stays fast.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from govkit.errors import MlflowInputError
from govkit.schemas.predictions import PredictionsSource
from govkit.sources.mlflow_entities import (
    ModelRead,
    RunInfo,
    VersionInfo,
    VersionRead,
    aliases_by_version,
    fail,
    prefixed,
    signature_fields,
    version_info,
    version_number,
)
from govkit.sources.mlflow_errors import describe, source_errors, store_error
from govkit.sources.mlflow_runs import (
    experiments,
    local_artifact,
    metric_histories,
    quote,
    read_run_details,
    read_runs,
    run_repository,
    run_summary,
)
from govkit.sources.mlflow_session import mlflow_session
from govkit.sources.mlflow_store import checked_uri
from govkit.sources.uri_redaction import redact_uri

if TYPE_CHECKING:
    from mlflow import MlflowClient

Progress = Callable[[list[VersionInfo]], Iterable[VersionInfo]]
T = TypeVar("T")


def read_model(
    open_uri: str,
    model: str,
    *,
    version: str | None = None,
    alias: str | None = None,
    progress: Progress | None = None,
    configured_uri: str | None = None,
    recorded: Mapping[str, Any] | None = None,
    full: bool = False,
    predictions: PredictionsSource | None = None,
) -> ModelRead:
    """Read the selected versions (all when neither `version` nor `alias` is given).

    `configured_uri` (default `open_uri`) is how errors name the store.
    When all versions are selected, `recorded` ({version: existing record}) lets the runs,
    histories, artifacts and signatures of versions whose records are current go unread,
    unless `full`. With `predictions`, each run's predictions artifact is read and summarised.
    """
    shown = configured_uri or open_uri
    selection = _Selection(version, alias, recorded or {}, full, predictions)
    return read_store(open_uri, shown, lambda client, checked: _read(
        client, checked, shown, model, selection, progress))


def read_store(open_uri: str, configured_uri: str,
               read: Callable[[MlflowClient, str], T]) -> T:
    """`read(client, open_uri)` with a client of the store, proven by one call, inside
    `mlflow_session` (bounded HTTP retries and timeouts); `open_uri` is first checked and
    made read-only (`checked_uri`). An MLflow failure, or an I/O or import failure while
    connecting, is the store's input error naming `configured_uri` (exit 2)."""
    shown = configured_uri
    open_uri = checked_uri(open_uri, shown)
    errors = source_errors()
    opening: tuple[type[BaseException], ...] = (*errors, OSError, ImportError)  # about the URI
    with mlflow_session(open_uri):
        try:
            from mlflow import MlflowClient

            client = MlflowClient(tracking_uri=open_uri, registry_uri=open_uri)
            client.search_registered_models(max_results=1)
        except opening as exc:
            raise store_error(shown, exc) from exc
        try:
            return read(client, open_uri)
        except errors as exc:
            raise store_error(shown, exc) from exc


def select_versions(
    client: MlflowClient,
    model: str,
    aliases: dict[str, tuple[str, ...]],
    *,
    version: str | None = None,
    alias: str | None = None,
) -> list[VersionInfo]:
    """The versions of registered model `model` to ingest: one, the aliased one, or all."""
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
        page = client.search_model_versions(f"name = '{quote(model)}'", page_token=token)
        found.extend(page)
        token = page.token
        if not token:
            break
    infos = [version_info(mv, aliases) for mv in found]
    return sorted(infos, key=lambda v: version_number(v.version))


def read_signature(
    version: VersionInfo, own_file: str | None = None, repo: Any = None
) -> tuple[dict[str, Any] | None, str | None]:
    """(input/output schema from the version's `MLmodel`, None) or (None, why not read).

    A model logged without a signature is (None, None): that is normal, not an error.
    `own_file` is the MLmodel's path among the artifacts of the run the version was
    registered from, read through the run's `repo` when given; otherwise, or when that
    fails, the registry resolves `models:/NAME/VERSION` and explains any failure.
    """
    from mlflow.exceptions import MlflowException
    from mlflow.models import get_model_info

    if own_file is not None and repo is not None:
        done, signature = _signature_from(repo, own_file)
        if done:
            return signature, None
    try:
        sig = get_model_info(f"models:/{version.name}/{version.version}").signature
    except MlflowException as exc:
        return None, _without_temp_dirs(describe(exc))
    except Exception as exc:  # a malformed MLmodel fails inside MLflow in many ways
        return None, _without_temp_dirs(f"{type(exc).__name__}: {describe(exc)}")
    if sig is None:
        return None, None
    return {"inputs": signature_fields(sig.inputs), "outputs": signature_fields(sig.outputs)}, None


@dataclass(frozen=True)
class _Selection:
    version: str | None
    alias: str | None
    recorded: Mapping[str, Any]
    full: bool
    predictions: PredictionsSource | None = None


def _read(
    client: MlflowClient,
    open_uri: str,
    shown: str,
    model: str,
    selection: _Selection,
    progress: Progress | None,
) -> ModelRead:
    registered = _call(lambda: client.get_registered_model(model), f"registered model {model!r}")
    description = getattr(registered, "description", None) or None
    aliases = aliases_by_version(getattr(registered, "aliases", None))
    versions = select_versions(
        client, model, aliases, version=selection.version, alias=selection.alias
    )
    names = experiments(client)
    listed: tuple[VersionInfo, ...] = ()
    current: tuple[str, ...] = ()
    if selection.version is None and selection.alias is None:
        listed = tuple(versions)
    runs = read_runs(client, [v.run_id for v in versions if v.run_id], sorted(names))
    if listed:
        current = tuple(
            v for v in _current(client, versions, selection.recorded, description, names, runs)
            if _predictions_current(client, selection.recorded[v], selection.predictions))
        if not selection.full:
            versions = [v for v in versions if v.version not in current]
            wanted = {v.run_id for v in versions}
            runs = {k: run for k, run in runs.items() if k in wanted}
    histories = metric_histories(client, list(runs.values()))
    out = []
    for v in progress(versions) if progress else versions:
        where = f"registered model {model!r} version {v.version}"
        run = None
        repo = None
        if v.run_id:
            if v.run_id not in runs:
                raise fail(
                    f"{where}: its run {v.run_id} was deleted or is missing in {redact_uri(shown)}"
                )
            found = runs[v.run_id]
            repo = run_repository(found)
            try:
                run = read_run_details(client, found, _model_path(client, v),
                                       names.get(str(found.info.experiment_id)),
                                       repo=repo, histories=histories.get(v.run_id))
            except MlflowInputError as exc:
                raise prefixed(exc, where) from None
        signature, why = read_signature(v, _own_model_file(v, run), repo)
        summary, missing = _predictions(selection.predictions, run, runs.get(v.run_id or ""))
        out.append(VersionRead(shown, v, run, signature, why, summary, missing))
    every = selection.version is None and selection.alias is None
    registered = tuple(v.version for v in listed) if every else None
    return ModelRead(model, description, aliases, out, listed, current, registered)


def _predictions_current(client: MlflowClient, record: Any,
                         source: PredictionsSource | None) -> bool:
    """Whether a record has what the configured predictions source would add: their
    summary read with the same columns, or a run that still lacks the table (it may have
    been logged after the run finished and the record was written: its folder is listed,
    one call, for the records without predictions)."""
    from govkit.sources.release_predictions import read_with

    training = record.get("training") if isinstance(record, dict) else None
    if source is None or not isinstance(training, dict):
        return True
    summary = training.get("predictions")
    if isinstance(summary, dict):
        return bool(summary.get("artifact") == source.artifact
                    and summary.get("columns") == read_with(source))
    if source.artifact in (training.get("artifacts") or []):
        return False
    run = training.get("run")
    run_id = run.get("id") if isinstance(run, dict) else None
    if not run_id:
        return True
    folder = source.artifact.rpartition("/")[0] or None
    listed = _call(lambda: client.list_artifacts(run_id, folder), f"run {run_id} artifacts")
    return source.artifact not in {item.path for item in listed}


def _predictions(source: PredictionsSource | None, run: RunInfo | None,
                 fetched: Any) -> tuple[dict[str, Any] | None, str | None]:
    """The run's predictions summary, or the artifact it lacks (None, None: not configured)."""
    if source is None or run is None:
        return None, None
    if source.artifact not in run.artifacts:
        return None, source.artifact
    from govkit.sources.predictions import read_run_predictions
    from govkit.sources.release_predictions import summary

    table = read_run_predictions(fetched, source)
    return summary(table, source, run.run_id), None


def _current(client: MlflowClient, versions: list[VersionInfo], recorded: Mapping[str, Any],
             description: str | None, names: dict[str, str],
             runs: dict[str, Any]) -> tuple[str, ...]:
    """The versions whose records are what a full read would build, as far as the registry
    and the fetched `runs` (histories in bulk where the store can) show."""
    from govkit.sources.release_records import is_current, run_matches

    candidates = [v for v in versions if v.version in recorded
                  and is_current(recorded[v.version], v, description, names)]
    histories = metric_histories(
        client, [runs[v.run_id] for v in candidates if v.run_id in runs])
    return tuple(
        v.version for v in candidates
        if v.run_id is None or (v.run_id in runs and run_matches(
            recorded[v.version], run_summary(runs[v.run_id], histories.get(v.run_id))))
    )


def _own_model_file(version: VersionInfo, run: RunInfo | None) -> str | None:
    """'model/MLmodel' when the version is `runs:/<its run>/model` and the run itself
    holds that file (not an MLflow 3 logged model kept elsewhere)."""
    source = version.source or ""
    if run is None or version.model_id or not source.startswith(f"runs:/{run.run_id}/"):
        return None
    path = source.removeprefix(f"runs:/{run.run_id}/").strip("/")
    name = f"{path}/MLmodel" if path else "MLmodel"
    return name if name in run.artifacts else None


def _signature_from(repo: Any, path: str) -> tuple[bool, dict[str, Any] | None]:
    """(True, the signature or None) of an MLmodel read from the run's repository, or
    (False, None) when it cannot be read: the registry's reading then names the failure."""
    from mlflow.models import Model

    try:
        with local_artifact(repo, path) as local:
            sig = Model.load(str(local)).signature
        if sig is None:
            return True, None
        fields = {"inputs": signature_fields(sig.inputs), "outputs": signature_fields(sig.outputs)}
    except Exception:  # a malformed MLmodel fails inside MLflow in many ways
        return False, None
    return True, fields


def _without_temp_dirs(text: str) -> str:
    """MLflow reads the MLmodel from a fresh temp folder: keep its name out of records."""
    pattern = re.escape(tempfile.gettempdir()) + r"[/\\][^/\\'\"\s]+[/\\]"
    return re.sub(pattern, "", text)


def _model_path(client: MlflowClient, version: VersionInfo) -> str | None:
    """The model's folder inside its run: 'model' for runs:/<id>/model or a logged model."""
    source = version.source or ""
    if source.startswith("runs:/"):
        return source.removeprefix("runs:/").partition("/")[2].strip("/") or None
    if version.model_id:
        from mlflow.exceptions import MlflowException

        try:
            return str(client.get_logged_model(version.model_id).name)
        except MlflowException:
            return None
    return None


def _call(fn: Any, what: str, client: Any = None, model: str | None = None) -> Any:
    from mlflow.exceptions import MlflowException

    try:
        return fn()
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_DOES_NOT_EXIST":
            raise fail(f"{what}: {describe(exc)}") from exc
        hint = ""
        if client is not None and model is not None:
            page = client.search_model_versions(f"name = '{quote(model)}'")
            known = sorted((str(v.version) for v in page), key=version_number)
            hint = f" (versions: {', '.join(known) or 'none'})"
        raise fail(f"{what} not found{hint}") from None
