"""`govkit ingest`: turn MLflow registry versions or training logs into release records.

Reading happens first, for every selected version; only when all of it succeeded are
release files compared and written, so an error never leaves a file half-updated.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from govkit.errors import InputError, Problem
from govkit.schemas.release import Release
from govkit.writer import atomic_write

if TYPE_CHECKING:
    from govkit.sources.mlflow_source import VersionInfo, VersionRead
    from govkit.sources.training_logs import TrainingLog


_KEY_BAD = re.compile(r"[^A-Za-z0-9_.@%-]")
_DIFF_LINES = 20
# Run tags shown elsewhere on the card (as provenance or metric ranges), not as tags.
_INTERNAL_TAGS = ("mlflow.", "govkit.threshold.")


@dataclass
class IngestResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    # Changed on the source side but kept because --update was not given: (path, diff).
    conflicts: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """Where one govkit model's releases go and where its MLflow versions come from."""

    model_dir: Path
    registered_model: str
    tracking_uri: str  # as configured; recorded in the release files
    connect_uri: str  # what is opened: relative paths resolved against the project
    root: Path  # the folder of govkit.yaml


def resolve_target(start: Path, model: str, tracking_uri: str | None = None) -> Target:
    """Look `model` up in govkit.yaml: its folder, registered model name and tracking URI."""
    from govkit.schemas.config import Config
    from govkit.sources.project import display_path, find_config
    from govkit.validation import validate_doc
    from govkit.yamlio import load_yaml

    config_path = find_config(start).resolve()
    doc = load_yaml(config_path, display_path(config_path))
    problems: list[Problem] = []
    config = validate_doc(Config, doc, problems)
    if config is None:
        raise InputError(problems)
    entry = next((m for m in config.models if m.name == model), None)
    if entry is None:
        known = ", ".join(m.name for m in config.models) or "none"
        raise InputError.single(
            doc.path, f"no model {model!r} in govkit.yaml (models: {known})", field="models"
        )
    root = config_path.parent
    source = entry.mlflow
    uri = tracking_uri or (source and source.tracking_uri) or config.mlflow.tracking_uri
    return Target(
        model_dir=root / (entry.path or f"{config.models_dir}/{entry.name}"),
        registered_model=(source and source.registered_model) or entry.name,
        tracking_uri=uri,
        connect_uri=resolve_uri(uri, root),
        root=root,
    )


def resolve_uri(uri: str, root: Path) -> str:
    """Make a relative sqlite or file-store path absolute against the project folder."""
    if uri.startswith("sqlite:///"):
        db = uri.removeprefix("sqlite:///")
        return uri if db.startswith("/") or db.startswith(":memory:") else f"sqlite:///{root / db}"
    if "://" not in uri and ":" not in uri.split("/")[0] and not Path(uri).is_absolute():
        return str(root / uri)
    return uri


def run_ingest(
    start: Path,
    model: str,
    *,
    tracking_uri: str | None = None,
    version: str | None = None,
    alias: str | None = None,
    log_file: Path | None = None,
    update: bool = False,
) -> IngestResult:
    """`govkit ingest`: MLflow versions (all unless version/alias) or one training log."""
    target = resolve_target(start, model, tracking_uri)
    if log_file is not None:
        if version is None:
            raise InputError.single(str(log_file), "a training log needs --version V")
        return ingest_log(target.model_dir, log_file, version, update=update, root=target.root)
    return ingest_mlflow(
        target.model_dir,
        target.registered_model,
        target.tracking_uri,
        connect_uri=target.connect_uri,
        version=version,
        alias=alias,
        update=update,
    )


def ingest_mlflow(
    model_dir: Path,
    registered_model: str,
    tracking_uri: str,
    *,
    connect_uri: str | None = None,
    version: str | None = None,
    alias: str | None = None,
    update: bool = False,
) -> IngestResult:
    """Read the selected registry versions (all if no version/alias) and write their releases.

    `tracking_uri` is recorded in the files as given; `connect_uri` (default: the same) is
    what is opened, e.g. a relative sqlite path resolved against the project folder.
    """
    from govkit.sources.mlflow_source import read_versions

    reads = read_versions(
        connect_uri or tracking_uri,
        registered_model,
        version=version,
        alias=alias,
        progress=_progress,
    )
    result = IngestResult()
    planned = []
    for read in reads:
        record, warnings = release_from_mlflow(read, registered_model, tracking_uri)
        result.warnings.extend(warnings)
        header = (
            f"Generated by `govkit ingest` from MLflow registered model {registered_model!r} "
            f"version {read.version.version}.\nDo not edit: hand-written facts belong in "
            "card.yaml, which always wins."
        )
        where = f"mlflow: registered model {registered_model!r} version {read.version.version}"
        planned.append((read.version.version, render_release(record, header, where)))
    _write_all(model_dir, planned, update, result)
    return result


def ingest_log(
    model_dir: Path,
    log_path: Path,
    version: str,
    *,
    date: dt.date | None = None,
    update: bool = False,
    root: Path | None = None,
) -> IngestResult:
    """Read a Keras/Lightning CSV or JSON-lines log and write it as release `version`.

    The log's path is recorded relative to `root` (the project) when it lies inside it.
    """
    from govkit.sources.training_logs import read_training_log

    log = read_training_log(log_path)
    when = date or _existing_date(model_dir / "releases" / f"{version}.yaml") or dt.date.today()
    record = release_from_log(log, version, when)
    record["training"]["log_file"] = _portable(log_path, root)
    header = f"Generated by `govkit ingest` from training log {log_path.name}.\nDo not edit."
    result = IngestResult()
    text = render_release(record, header, str(log_path))
    _write_all(model_dir, [(version, text)], update, result)
    return result


# --- building records (pure) ---------------------------------------------------------


def metric_key(name: str) -> str:
    """A metric name usable as a release key: 'val/loss' -> 'val_loss'."""
    return _KEY_BAD.sub("_", name)[:64] or "_"


def release_from_mlflow(
    read: VersionRead, registered_model: str, tracking_uri: str
) -> tuple[dict[str, Any], list[str]]:
    """The release record of one registry version, plus warnings."""
    v, run = read.version, read.run
    warnings: list[str] = []
    metrics: dict[str, dict[str, Any]] = {}
    training: dict[str, Any] = {
        "source": "mlflow",
        "tracking_uri": tracking_uri,
        "registered_model": registered_model,
        "registry": _registry(v),
    }
    if run is not None:
        for name, value in sorted(run.metrics.items()):
            metrics[metric_key(name)] = {"value": value, "source": "mlflow-run"}
        for name, bounds in sorted(run.thresholds.items()):
            entry = metrics.get(metric_key(name))
            if entry is None:
                warnings.append(
                    f"version {v.version}: threshold for {name!r} ignored: "
                    f"run {run.run_id} logged no such metric"
                )
                continue
            entry.update({k: bounds[k] for k in ("min", "max") if k in bounds})
            entry["range_source"] = "mlflow-run"
        training["run"] = _run(run)
        training["params"] = dict(sorted(run.params.items()))
        training["metric_history"] = {
            metric_key(k): {"steps": list(steps), "values": list(values)}
            for k, (steps, values) in sorted(run.histories.items())
            if len(values) > 1
        }
        training["datasets"] = list(run.datasets)
        training["artifacts"] = list(run.artifacts)
    if read.signature is not None:
        training["signature"] = read.signature
    started = run.start_ms if run is not None and run.start_ms else v.created_ms
    record = {
        "version": v.version,
        "date": _date(started),
        "description": v.description,
        "metrics": metrics,
        "training": _drop_empty(training),
    }
    return _drop_empty(record), warnings


def release_from_log(log: TrainingLog, version: str, date: dt.date) -> dict[str, Any]:
    """The release record for a plain training log file."""
    return _drop_empty(
        {
            "version": version,
            "date": date,
            "metrics": {
                metric_key(k): {"value": v, "source": "training-log"}
                for k, v in log.final_metrics.items()
            },
            "training": {
                "source": log.format,
                "log_file": log.path,
                "metric_history": {
                    metric_key(k): {"steps": list(s.steps), "values": list(s.values)}
                    for k, s in sorted(log.histories.items())
                    if len(s.values) > 1
                },
            },
        }
    )


def render_release(record: dict[str, Any], header: str, where: str) -> str:
    """Deterministic YAML text of a record: sorted keys, repr floats, a comment header.

    The record is validated against the release schema first; `where` names its origin.
    """
    try:
        Release.model_validate(record)
    except ValidationError as exc:
        raise InputError(
            [
                Problem(where, None, ".".join(str(p) for p in err["loc"]), err["msg"])
                for err in exc.errors()
            ]
        ) from None
    body = yaml.safe_dump(record, sort_keys=True, allow_unicode=True, default_flow_style=False)
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + body


def _registry(v: VersionInfo) -> dict[str, Any]:
    return _drop_empty(
        {
            "version": v.version,
            "aliases": list(v.aliases),
            "description": v.description,
            "tags": dict(sorted(v.tags.items())),
            "created": _iso(v.created_ms),
            "model_id": v.model_id,
            "source": v.source if _is_uri(v.source) else None,
            "status": v.status,
        }
    )


def _run(run: Any) -> dict[str, Any]:
    duration = None
    if run.start_ms is not None and run.end_ms is not None:
        duration = round((run.end_ms - run.start_ms) / 1000, 3)
    return _drop_empty(
        {
            "id": run.run_id,
            "name": run.name,
            "experiment_id": run.experiment_id,
            "start_time": _iso(run.start_ms),
            "end_time": _iso(run.end_ms),
            "duration_s": duration,
            "user": run.tags.get("mlflow.user"),
            "git_commit": run.tags.get("mlflow.source.git.commit"),
            "source_name": run.tags.get("mlflow.source.name"),
            "status": run.status,
            "tags": {k: v for k, v in sorted(run.tags.items()) if not k.startswith(_INTERNAL_TAGS)},
        }
    )


def _is_uri(source: str | None) -> bool:
    # Local absolute paths differ per machine; keep only portable URIs like models:/m-1.
    return bool(source) and ":/" in str(source) and not str(source).startswith("file:")


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    stamp = dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _date(ms: int | None) -> dt.date:
    if ms is None:
        raise InputError.single(
            "mlflow", "no run start time and no registry creation time to date the release"
        )
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC).date()


def _portable(path: Path, root: Path | None) -> str:
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return path.name if path.is_absolute() else path.as_posix()


def _existing_date(path: Path) -> dt.date | None:
    """A log carries no date of its own; keep the one already recorded so re-runs match."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    value = data.get("date") if isinstance(data, dict) else None
    return value if isinstance(value, dt.date) else None


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != {} and v != []}


# --- comparing and writing -------------------------------------------------------------


def _write_all(
    model_dir: Path, planned: list[tuple[str, str]], update: bool, result: IngestResult
) -> None:
    releases = model_dir / "releases"
    for version, text in planned:
        path = releases / f"{version}.yaml"
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            result.unchanged.append(path)
        elif old is not None and not update:
            result.conflicts.append((path, short_diff(old, text, str(path))))
        else:
            atomic_write(path, text.encode("utf-8"))
            result.written.append(path)


def short_diff(old: str, new: str, name: str) -> str:
    """A unified diff of at most 20 lines (more are summarised)."""
    lines = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            f"{name} (on disk)",
            f"{name} (from source)",
            n=1,
            lineterm="",
        )
    )
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... {len(lines) - _DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def _progress(items: list[VersionInfo]) -> Iterable[VersionInfo]:
    """A tqdm bar on stderr for many versions, only when stderr is a terminal."""
    if len(items) < 2 or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="ingest", unit="version", file=sys.stderr)
