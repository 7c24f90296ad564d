"""Read registered model versions and their training runs through `MlflowClient`.

I/O only: returns plain frozen data. Many versions are fetched in batches (one
`search_runs` per chunk of run ids). `mlflow` is imported inside functions so that
importing govkit stays fast.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.errors import InputError

if TYPE_CHECKING:
    from mlflow import MlflowClient

THRESHOLDS_ARTIFACT = "govkit/thresholds.json"
THRESHOLD_TAG_PREFIX = "govkit.threshold."
RUN_BATCH = 100  # run ids per search_runs call; keeps the filter string short


@dataclass(frozen=True)
class VersionInfo:
    name: str
    version: str
    aliases: tuple[str, ...]
    description: str | None
    tags: dict[str, str]
    created_ms: int | None
    run_id: str | None
    source: str | None
    model_id: str | None
    status: str | None


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    name: str | None
    experiment_id: str
    status: str
    start_ms: int | None
    end_ms: int | None
    tags: dict[str, str]
    params: dict[str, str]
    metrics: dict[str, float]
    histories: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = field(default_factory=dict)
    datasets: tuple[dict[str, Any], ...] = ()
    artifacts: tuple[str, ...] = ()
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class VersionRead:
    """Everything read for one registry version."""

    tracking_uri: str
    version: VersionInfo
    run: RunInfo | None
    signature: dict[str, list[dict[str, Any]]] | None


def connect(tracking_uri: str) -> MlflowClient:
    """A client for `tracking_uri`; fails clearly if the store is not there or not answering."""
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "15")
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    if tracking_uri.startswith("sqlite:///"):
        db_path = tracking_uri.removeprefix("sqlite:///").split("?")[0]
        if db_path != ":memory:" and not os.path.exists(db_path):
            raise _fail(
                f"MLflow tracking store {tracking_uri} not found: no file {db_path} "
                "(check `tracking_uri` or pass --tracking-uri)"
            )
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    try:
        client.search_registered_models(max_results=1)
    except Exception as exc:
        raise _fail(f"MLflow tracking URI {tracking_uri} is unreachable: {_short(exc)}") from exc
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
    aliases = _aliases_by_version(getattr(registered, "aliases", None))
    if alias is not None:
        versions = [v for v, names in aliases.items() if alias in names]
        if not versions:
            known = ", ".join(sorted({a for names in aliases.values() for a in names})) or "none"
            raise _fail(
                f"alias {alias!r} is not set on registered model {model!r} (aliases: {known})"
            )
        version = versions[0]
    if version is not None:
        mv = _call(
            lambda: client.get_model_version(model, str(version)),
            f"version {version!r} of registered model {model!r}",
            client,
            model,
        )
        return [_version_info(mv, aliases)]
    found: list[Any] = []
    token = None
    while True:
        page = client.search_model_versions(f"name = '{_quote(model)}'", page_token=token)
        found.extend(page)
        token = page.token
        if not token:
            break
    infos = [_version_info(mv, aliases) for mv in found]
    return sorted(infos, key=lambda v: _version_number(v.version))


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
            _finite(p.value, f"metric {key!r} of run {run_id} at step {p.step}")
        histories[key] = (tuple(int(p.step) for p in points), tuple(float(p.value) for p in points))
    for key, value in data.metrics.items():
        _finite(value, f"metric {key!r} of run {run_id}")
    files = set(_list_artifacts(client, run_id))
    if model_path and not any(f.startswith(f"{model_path}/") for f in files):
        files.update(_list_artifacts(client, run_id, model_path))
    artifacts = tuple(sorted(files))
    thresholds = _thresholds_artifact(tracking_uri, run_id, artifacts)
    for metric, bounds in _threshold_tags(data.tags, run_id).items():
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
        datasets=tuple(_datasets(run)),
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
    return {"inputs": _schema(sig.inputs), "outputs": _schema(sig.outputs)}


@contextmanager
def pinned_uri(uri: str) -> Iterator[None]:
    """Point MLflow's global tracking/registry URI at `uri`, restoring it afterwards.

    MLflow 3 resolves models logged in a run (`runs:/<id>/model`, model URIs) through the
    global URI even when a client has its own, so reads pin it for their duration.
    """
    from mlflow.tracking._model_registry import utils as registry
    from mlflow.tracking._tracking_service import utils as tracking

    saved = (tracking._tracking_uri, registry._registry_uri)
    env = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    tracking.set_tracking_uri(uri)
    registry.set_registry_uri(uri)
    try:
        yield
    finally:
        tracking.set_tracking_uri(saved[0])  # type: ignore[arg-type]
        registry._registry_uri = saved[1]
        for key, value in env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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


def _schema(schema: Any) -> list[dict[str, Any]]:
    if schema is None:
        return []
    out = []
    for spec in schema.to_dict():
        if spec.get("type") == "tensor":
            t = spec.get("tensor-spec", {})
            shape = ",".join(str(d) for d in t.get("shape", []))
            item: dict[str, Any] = {"type": f"tensor({t.get('dtype')}, [{shape}])"}
        else:
            item = {"type": str(spec.get("type"))}
        if spec.get("name") is not None:
            item["name"] = str(spec["name"])
        item["required"] = bool(spec.get("required", True))
        out.append(item)
    return out


def _version_info(mv: Any, aliases: dict[str, tuple[str, ...]]) -> VersionInfo:
    version = str(mv.version)
    own = {str(a) for a in (getattr(mv, "aliases", None) or [])}
    source = getattr(mv, "source", None)
    model_id = getattr(mv, "model_id", None)
    if not model_id and source and source.startswith("models:/m-"):
        model_id = source.removeprefix("models:/")  # sqlite stores leave model_id empty
    return VersionInfo(
        name=mv.name,
        version=version,
        aliases=tuple(sorted(own | set(aliases.get(version, ())))),
        description=mv.description or None,
        tags=dict(mv.tags or {}),
        created_ms=mv.creation_timestamp,
        run_id=mv.run_id or None,
        source=source,
        model_id=model_id,
        status=str(mv.status) if mv.status is not None else None,
    )


def _aliases_by_version(raw: Any) -> dict[str, tuple[str, ...]]:
    """Registered-model aliases as {version: (alias, ...)}; stores give a dict or a list."""
    pairs: Iterable[tuple[Any, Any]]
    pairs = raw.items() if isinstance(raw, dict) else ((a.alias, a.version) for a in raw or [])
    by_version: dict[str, set[str]] = {}
    for name, version in pairs:
        by_version.setdefault(str(version), set()).add(str(name))
    return {v: tuple(sorted(names)) for v, names in by_version.items()}


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

    where = f"artifact {THRESHOLDS_ARTIFACT} of run {run_id}"
    with tempfile.TemporaryDirectory(prefix="govkit-") as tmp:
        local = download_artifacts(
            run_id=run_id,
            artifact_path=THRESHOLDS_ARTIFACT,
            dst_path=tmp,
            tracking_uri=tracking_uri,
        )
        text = Path(local).read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(f"{where}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(raw, dict):
        raise _fail(f'{where}: expected an object like {{"auc": {{"min": 0.85}}}}')
    out: dict[str, dict[str, float]] = {}
    for metric, bounds in raw.items():
        if not isinstance(bounds, dict) or set(bounds) - {"min", "max"}:
            raise _fail(f'{where}: {metric}: expected {{"min": x, "max": y}}')
        out[str(metric)] = {
            k: _number(v, f"{where}: {metric}.{k}") for k, v in bounds.items() if v is not None
        }
    return out


def _threshold_tags(tags: dict[str, str], run_id: str) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for tag, value in sorted(tags.items()):
        if not tag.startswith(THRESHOLD_TAG_PREFIX):
            continue
        metric, _, bound = tag.removeprefix(THRESHOLD_TAG_PREFIX).rpartition(".")
        if not metric or bound not in ("min", "max"):
            raise _fail(
                f"tag {tag!r} of run {run_id}: expected govkit.threshold.<metric>.min or .max"
            )
        out.setdefault(metric, {})[bound] = _number(value, f"tag {tag!r} of run {run_id}")
    return out


def _datasets(run: Any) -> list[dict[str, Any]]:
    inputs = getattr(run, "inputs", None)
    out = []
    for di in getattr(inputs, "dataset_inputs", None) or []:
        ds = di.dataset
        context = next((t.value for t in di.tags if t.key == "mlflow.data.context"), None)
        out.append(
            {
                "name": ds.name,
                "digest": ds.digest,
                "source_type": ds.source_type,
                "source": _json_or_text(ds.source),
                "schema": _json_or_text(ds.schema),
                "profile": _json_or_text(ds.profile),
                "context": context,
            }
        )
    return sorted(out, key=lambda d: (str(d["context"]), str(d["name"]), str(d["digest"])))


def _json_or_text(raw: str | None) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def _call(fn: Any, what: str, client: Any = None, model: str | None = None) -> Any:
    from mlflow.exceptions import MlflowException

    try:
        return fn()
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_DOES_NOT_EXIST":
            raise _fail(f"{what}: {_short(exc)}") from exc
        hint = ""
        if client is not None and model is not None:
            page = client.search_model_versions(f"name = '{_quote(model)}'")
            known = sorted((str(v.version) for v in page), key=_version_number)
            hint = f" (versions: {', '.join(known) or 'none'})"
        raise _fail(f"{what} not found{hint}") from None


def _fail(message: str) -> InputError:
    return InputError.single("mlflow", message)


def _finite(value: float, what: str) -> None:
    if not math.isfinite(value):
        raise _fail(f"{what} is {value}: fix the run or log a finite value")


def _number(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _fail(f"{what}: expected a number, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise _fail(f"{what}: expected a finite number, got {value!r}")
    return number


def _quote(text: str) -> str:
    return text.replace("'", "\\'")


def _version_number(version: str) -> tuple[int, str]:
    return (int(version), "") if version.isdigit() else (1 << 62, version)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def read_versions(
    tracking_uri: str,
    model: str,
    *,
    version: str | None = None,
    alias: str | None = None,
    progress: Callable[[list[VersionInfo]], Iterable[VersionInfo]] | None = None,
) -> list[VersionRead]:
    """Read the selected versions (all when neither `version` nor `alias` is given)."""
    client = connect(tracking_uri)
    with pinned_uri(tracking_uri):
        versions = select_versions(client, model, version=version, alias=alias)
        runs = read_runs(client, [v.run_id for v in versions if v.run_id])
        out = []
        for v in progress(versions) if progress else versions:
            run = None
            if v.run_id:
                if v.run_id not in runs:
                    raise _fail(
                        f"registered model {model!r} version {v.version}: its run {v.run_id} "
                        f"was deleted or is missing in {tracking_uri}"
                    )
                model_path = _model_path(client, v)
                run = read_run_details(client, tracking_uri, runs[v.run_id], model_path)
            out.append(VersionRead(tracking_uri, v, run, read_signature(v)))
    return out
