"""MLflow entities -> plain frozen data. Pure: no client calls, no mlflow import."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from govkit.errors import MlflowInputError
from govkit.schemas.published import hand_tags, registry_clock, without_published

THRESHOLD_TAG_PREFIX = "govkit.threshold."


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
    stage: str | None = None  # MLflow's legacy stage; None when 'None'
    updated_ms: int | None = None  # the registry's last_updated_timestamp


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
    experiment_name: str | None = None
    # step of each metric's latest point (what a run search returns without histories)
    latest_steps: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class VersionRead:
    """Everything read for one registry version."""

    tracking_uri: str
    version: VersionInfo
    run: RunInfo | None
    signature: dict[str, list[dict[str, Any]]] | None
    signature_error: str | None = None  # why the MLmodel could not be read
    predictions: dict[str, Any] | None = None  # the release's training.predictions record
    predictions_missing: str | None = None  # the configured artifact the run lacks


@dataclass(frozen=True)
class ModelRead:
    """A registered model as read now: its selected versions and every version's aliases."""

    name: str
    description: str | None
    aliases: dict[str, tuple[str, ...]]  # version -> aliases, for all versions
    versions: list[VersionRead]  # the versions read now
    # When every version was selected: all of them as listed by the registry, and those
    # whose existing records were current (not read again unless a full read was asked).
    listed: tuple[VersionInfo, ...] = ()
    current: tuple[str, ...] = ()
    # Every version in the registry now, when all were listed (ingest --all); else None.
    registered: tuple[str, ...] | None = None


def version_info(mv: Any, aliases: dict[str, tuple[str, ...]]) -> VersionInfo:
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
        description=without_published(mv.description or None),
        tags=hand_tags(dict(mv.tags or {})),
        created_ms=mv.creation_timestamp,
        run_id=mv.run_id or None,
        source=source,
        model_id=model_id,
        status=str(mv.status) if mv.status is not None else None,
        stage=_stage(getattr(mv, "current_stage", None)),
        updated_ms=registry_clock(getattr(mv, "last_updated_timestamp", None),
                                  dict(mv.tags or {})),
    )


def _stage(raw: Any) -> str | None:
    text = str(raw) if raw is not None else ""
    return text if text and text != "None" else None


def aliases_by_version(raw: Any) -> dict[str, tuple[str, ...]]:
    """Registered-model aliases as {version: (alias, ...)}; stores give a dict or a list."""
    pairs: Iterable[tuple[Any, Any]]
    pairs = raw.items() if isinstance(raw, dict) else ((a.alias, a.version) for a in raw or [])
    by_version: dict[str, set[str]] = {}
    for name, version in pairs:
        by_version.setdefault(str(version), set()).add(str(name))
    return {v: tuple(sorted(names)) for v, names in by_version.items()}


def signature_fields(schema: Any) -> list[dict[str, Any]]:
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


def dataset_inputs(run: Any) -> list[dict[str, Any]]:
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


def parse_thresholds(data: bytes, where: str) -> dict[str, dict[str, float]]:
    """`{"auc": {"min": 0.85}}` -> {"auc": {"min": 0.85}}; `where` names the artifact."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"{where}: not UTF-8 text at byte {exc.start} (save it as UTF-8)") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"{where}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(raw, dict):
        raise fail(f'{where}: expected an object like {{"auc": {{"min": 0.85}}}}')
    out: dict[str, dict[str, float]] = {}
    for metric, bounds in raw.items():
        if not isinstance(bounds, dict) or set(bounds) - {"min", "max"}:
            raise fail(f'{where}: {metric}: expected {{"min": x, "max": y}}')
        out[str(metric)] = {
            k: to_number(v, f"{where}: {metric}.{k}") for k, v in bounds.items() if v is not None
        }
    return out


def threshold_tags(tags: dict[str, str], run_id: str) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for tag, value in sorted(tags.items()):
        if not tag.startswith(THRESHOLD_TAG_PREFIX):
            continue
        metric, _, bound = tag.removeprefix(THRESHOLD_TAG_PREFIX).rpartition(".")
        if not metric or bound not in ("min", "max"):
            raise fail(
                f"tag {tag!r} of run {run_id}: expected govkit.threshold.<metric>.min or .max"
            )
        out.setdefault(metric, {})[bound] = to_number(value, f"tag {tag!r} of run {run_id}")
    return out


def fail(message: str, hint: str = "") -> MlflowInputError:
    return MlflowInputError.single("mlflow", message, hint=hint)


def prefixed(error: MlflowInputError, prefix: str) -> MlflowInputError:
    """The same problems, each message starting with `prefix` (e.g. which version)."""
    return MlflowInputError([replace(p, message=f"{prefix}: {p.message}") for p in error.problems])


def require_finite(value: float, what: str) -> None:
    if not math.isfinite(value):
        raise fail(f"{what} is {value}", hint="fix the run or log a finite value")


def to_number(value: Any, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise fail(f"{what}: expected a number, got {value!r}") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise fail(f"{what}: expected a finite number, got {value!r}")
    return number


def version_number(version: str) -> tuple[int, str]:
    return (int(version), "") if version.isdigit() else (1 << 62, version)


def _json_or_text(raw: str | None) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw
