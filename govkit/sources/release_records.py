"""What was read -> release records (plain dicts in the release schema) and their YAML text.

Pure: no I/O. Every value carries where it came from (`mlflow-run`, `mlflow-registry`,
`training-log`); ranges declared by a run are marked `range_source: mlflow-run` so that
hand-written ranges (card.yaml or a release) win when checks run.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from govkit.errors import InputError, Problem
from govkit.schemas.release import Release

if TYPE_CHECKING:
    from govkit.sources.mlflow_entities import ModelRead, RunInfo, VersionInfo, VersionRead
    from govkit.sources.training_logs import TrainingLog

_KEY_BAD = re.compile(r"[^A-Za-z0-9_.@%-]")
# Run tags shown elsewhere on the card (as provenance or metric ranges), not as tags.
_INTERNAL_TAGS = ("mlflow.", "govkit.threshold.")


def metric_key(name: str) -> str:
    """A metric name usable as a release key: 'val/loss' -> 'val_loss'."""
    return _KEY_BAD.sub("_", name)[:64] or "_"


def release_from_mlflow(read: VersionRead, model: ModelRead) -> tuple[dict[str, Any], list[str]]:
    """The release record of one registry version, plus warnings.

    The tracking URI is not recorded: it lives once in govkit.yaml, so reading the same
    store through another path changes no record.
    """
    v, run = read.version, read.run
    warnings: list[str] = []
    metrics: dict[str, dict[str, Any]] = {}
    training: dict[str, Any] = {
        "source": "mlflow",
        "registered_model": model.name,
        "registered_model_description": model.description,
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
        training["experiment_name"] = run.experiment_name
        training["params"] = dict(sorted(run.params.items()))
        training["metric_history"] = {
            metric_key(k): {"steps": list(steps), "values": list(values)}
            for k, (steps, values) in sorted(run.histories.items())
            if len(values) > 1
        }
        training["datasets"] = list(run.datasets)
        training["artifacts"] = list(run.artifacts)
    if read.predictions is not None:
        training["predictions"] = read.predictions
    if read.predictions_missing is not None and run is not None:
        warnings.append(
            f"version {v.version}: run {run.run_id} has no artifact "
            f"{read.predictions_missing!r}: the release gate compares its recorded values "
            f"unpaired"
        )
    if read.signature is not None:
        training["signature"] = read.signature
    if read.signature_error is not None:
        training["signature_error"] = read.signature_error
        warnings.append(
            f"version {v.version}: signature not read from models:/{model.name}/{v.version}, "
            f"recorded as unreadable: {read.signature_error}"
        )
    started = run.start_ms if run is not None and run.start_ms else v.created_ms
    record = {
        "version": v.version,
        "date": _date(started),
        "description": v.description,
        "metrics": metrics,
        "training": _drop_empty(training),
    }
    return _drop_empty(record), warnings


def is_current(
    record: Any, v: VersionInfo, description: str | None, experiments: dict[str, str]
) -> bool:
    """Whether an existing record of registry version `v` (as the version list gives it)
    is what a full read would build, as far as the registry shows without reading the run:
    the same registry facts and timestamp, model description, run (finished, so it no
    longer changes) and experiment name, and no signature left unread."""
    training = record.get("training") if isinstance(record, dict) else None
    if not isinstance(training, dict) or training.get("source") != "mlflow":
        return False
    registry = training.get("registry")
    if not isinstance(registry, dict) or "signature_error" in training:
        return False
    # govkit's own observations (alias history, deleted mark) are not registry facts
    listed = {k: val for k, val in registry.items() if k not in ("alias_history", "deleted")}
    if listed != _registry(v):
        return False
    if training.get("registered_model_description") != description:
        return False
    run = training.get("run")
    if v.run_id is None:
        return run is None
    if not isinstance(run, dict) or run.get("id") != v.run_id or not run.get("end_time"):
        return False
    return training.get("experiment_name") == experiments.get(str(run.get("experiment_id")))


def run_matches(record: Any, run: RunInfo) -> bool:
    """Whether a record's run facts are what `run` (a `run_summary`: nothing listed or
    downloaded) says now: a finished run can still be given metrics, params and tags, so
    a record whose registry facts are current may still be out of date."""
    training = record.get("training") if isinstance(record, dict) else None
    if not isinstance(training, dict) or training.get("run") != _run(run):
        return False
    if (training.get("params") or {}) != dict(sorted(run.params.items())):
        return False
    metrics = record.get("metrics") or {}
    if not isinstance(metrics, dict) or set(metrics) != {metric_key(k) for k in run.metrics}:
        return False
    for name, value in run.metrics.items():
        entry = metrics.get(metric_key(name))
        if not isinstance(entry, dict) or entry.get("value") != value:
            return False
    for name, bounds in run.thresholds.items():
        entry = metrics.get(metric_key(name)) or {}
        if any(entry.get(k) != bounds[k] for k in bounds):
            return False
    if run.metrics and not run.histories:
        return True  # histories not read in bulk: not compared
    history = {metric_key(k): {"steps": list(steps), "values": list(values)}
               for k, (steps, values) in sorted(run.histories.items()) if len(values) > 1}
    return (training.get("metric_history") or {}) == history


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
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + dump_yaml(record)


def dump_yaml(record: dict[str, Any]) -> str:
    """`yaml.safe_dump` of `record` (sorted keys, block style), byte for byte, faster: lists
    of finite numbers that are mapping values (metric histories) are written directly
    instead of node by node through PyYAML's emitter."""
    lists: list[list[int | float]] = []
    swapped = _swap_number_lists(record, lists)
    if not lists or _TOKEN in repr(record):  # a record that mentions the placeholder
        return _dump(record)
    body = _dump(swapped)
    out: list[str] = []
    found = 0
    for line in body.splitlines(keepends=True):
        match = _PLACEHOLDER.search(line)
        if match is None:
            out.append(line)
            continue
        numbers = lists[int(match[1])]
        found += 1
        head = line[: match.start()]  # ends with the key, which has no spaces
        pad = " " * (len(head) - len(head.rsplit(" ", 1)[-1]))  # the key's column
        out.append(head + ":\n")
        out.extend(f"{pad}- {_number(v)}\n" for v in numbers)
    if found != len(lists):  # a layout this does not know: the emitter decides
        return _dump(record)
    return "".join(out)


_TOKEN = "govkitnumberlist7f3a"
_PLACEHOLDER = re.compile(rf": {_TOKEN}(\d+)\n\Z")
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")  # plain, one line, not y/n/null


def _dump(record: Any) -> str:
    return yaml.safe_dump(record, sort_keys=True, allow_unicode=True, default_flow_style=False)


def _swap_number_lists(value: Any, lists: list[list[int | float]]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if (isinstance(item, list) and item and isinstance(key, str)
                    and _SIMPLE_KEY.fullmatch(key) and all(_plain_number(x) for x in item)):
                lists.append(item)
                out[key] = f"{_TOKEN}{len(lists) - 1}"
            else:
                out[key] = _swap_number_lists(item, lists)
        return out
    if isinstance(value, list):
        return [_swap_number_lists(item, lists) for item in value]
    return value


def _plain_number(x: Any) -> bool:
    return type(x) is int or (type(x) is float and math.isfinite(x))


def _number(x: int | float) -> str:
    """As PyYAML's SafeRepresenter writes a finite int or float."""
    if type(x) is int:
        return str(x)
    text = repr(x).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text


def mlflow_origin(text: str) -> tuple[str, str, dict[str, Any]] | None:
    """(registered model, registry version, registry fields) of a release file ingested
    from MLflow."""
    try:
        record = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    training = record.get("training") if isinstance(record, dict) else None
    if not isinstance(training, dict) or training.get("source") != "mlflow":
        return None
    registry = training.get("registry") or {}
    if not isinstance(registry, dict) or "version" not in registry:
        return None
    return str(training.get("registered_model")), str(registry["version"]), registry


def with_registry_state(text: str, state: dict[str, Any], where: str) -> str | None:
    """`text` with only its registry aliases, alias history and deleted mark replaced, or
    None when the file is not exactly what govkit writes for its content (edited by hand:
    rewriting it would lose the edit)."""
    from govkit.sources.registry_state import apply_state

    lines = text.splitlines(keepends=True)
    count = next((i for i, line in enumerate(lines) if not line.startswith("# ")), len(lines))
    header = "".join(line[2:] for line in lines[:count]).removesuffix("\n")
    record = yaml.safe_load(text)
    try:
        if render_release(record, header, where) != text:
            return None
    except InputError:  # no longer a valid release
        return None
    apply_state(record["training"]["registry"], state)
    return render_release(record, header, where)


def _registry(v: VersionInfo) -> dict[str, Any]:
    return _drop_empty(
        {
            "version": v.version,
            "aliases": list(v.aliases),
            "description": v.description,
            "tags": dict(sorted(v.tags.items())),
            "created": _iso(v.created_ms),
            "updated": _iso(v.updated_ms),
            "model_id": v.model_id,
            "source": v.source if _is_uri(v.source) else None,
            "status": v.status,
            "stage": v.stage,
        }
    )


def _run(run: RunInfo) -> dict[str, Any]:
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


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != {} and v != []}
