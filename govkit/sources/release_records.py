"""What was read -> release records (the `Release` model, built part by part) and their YAML
text.

Pure: no I/O. Every value carries where it came from (`mlflow-run`, `mlflow-registry`,
`training-log`); ranges declared by a run are marked `range_source: mlflow-run` so that
hand-written ranges (card.yaml or a release) win when checks run. A record lists only the
fields it was given (`exclude_unset`); the parts govkit fills itself leave empty ones out.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from govkit.errors import InputError, Problem
from govkit.schemas.release import (
    DatasetInput,
    MetricValue,
    PredictionsRecord,
    RegistryInfo,
    Release,
    Signature,
    Training,
)
from govkit.schemas.release import RunInfo as RunRecord

if TYPE_CHECKING:
    from govkit.sources.mlflow_entities import ModelRead, RunInfo, VersionInfo, VersionRead
    from govkit.sources.training_logs import TrainingLog

M = TypeVar("M", bound=BaseModel)

_KEY_BAD = re.compile(r"[^A-Za-z0-9_.@%-]")
# Run tags shown elsewhere on the card (as provenance or metric ranges), not as tags.
_INTERNAL_TAGS = ("mlflow.", "govkit.threshold.")


def metric_key(name: str) -> str:
    """A metric name usable as a release key: 'val/loss' -> 'val_loss'."""
    return _KEY_BAD.sub("_", name)[:64] or "_"


def release_from_mlflow(
    read: VersionRead, model: ModelRead, where: str
) -> tuple[Release, list[str]]:
    """The release record of one registry version, plus warnings; `where` names it in the
    problems of a record the release schema rejects.

    The tracking URI is not recorded: it lives once in govkit.yaml, so reading the same
    store through another path changes no record.
    """
    v, run = read.version, read.run
    warnings: list[str] = []
    found = _Problems(where)
    metrics = _run_metrics(run, v.version, warnings, found) if run is not None else {}
    if read.predictions_missing is not None and run is not None:
        warnings.append(
            f"version {v.version}: run {run.run_id} has no artifact "
            f"{read.predictions_missing!r}: the release gate compares its recorded values "
            f"unpaired"
        )
    if read.signature_error is not None:
        warnings.append(
            f"version {v.version}: signature not read from models:/{model.name}/{v.version}, "
            f"recorded as unreadable: {read.signature_error}"
        )
    started = run.start_ms if run is not None and run.start_ms else v.created_ms
    date = _date(started)
    training = _training(read, model, found)
    release = found.check((), lambda: _given(Release(
        version=v.version, date=date, description=v.description, metrics=metrics,
        training=training)))
    return found.result(release), warnings


def _run_metrics(
    run: RunInfo, version: str, warnings: list[str], found: _Problems
) -> dict[str, MetricValue]:
    """The run's metrics, each with the range the run declares for it (if any)."""
    keys = {metric_key(k) for k in run.metrics}
    ranges: dict[str, dict[str, float]] = {}
    for name, bounds in sorted(run.thresholds.items()):
        if metric_key(name) not in keys:
            warnings.append(
                f"version {version}: threshold for {name!r} ignored: "
                f"run {run.run_id} logged no such metric"
            )
            continue
        ranges.setdefault(metric_key(name), {}).update(bounds)
    metrics: dict[str, MetricValue] = {}
    for name, value in sorted(run.metrics.items()):
        key = metric_key(name)
        metric = found.check(("metrics", key), _run_metric, value, ranges.get(key))
        if metric is not None:
            metrics[key] = metric
    return metrics


def _run_metric(value: float, bounds: dict[str, float] | None) -> MetricValue:
    """A metric the run logged, with the range it declares (marked as the run's)."""
    if bounds is None:
        return MetricValue(value=value, source="mlflow-run")
    return _given(MetricValue(value=value, source="mlflow-run", min=bounds.get("min"),
                              max=bounds.get("max"), range_source="mlflow-run"))


def _training(read: VersionRead, model: ModelRead, found: _Problems) -> Training | None:
    v, run = read.version, read.run
    at = ("training",)
    predictions = signature = None
    if read.predictions is not None:
        predictions = found.check((*at, "predictions"), PredictionsRecord.model_validate,
                                  read.predictions)
    if read.signature is not None:
        signature = found.check((*at, "signature"), Signature.model_validate, read.signature)
    datasets = [found.check((*at, "datasets", str(i)), DatasetInput.model_validate, d)
                for i, d in enumerate(run.datasets if run is not None else ())]
    return found.check(at, lambda: _given(Training(
        source="mlflow",
        registered_model=model.name,
        registered_model_description=model.description,
        registry=found.check((*at, "registry"), _registry, v),
        run=found.check((*at, "run"), _run, run) if run is not None else None,
        experiment_name=run.experiment_name if run is not None else None,
        params=dict(sorted(run.params.items())) if run is not None else {},
        metric_history=_histories(run.histories) if run is not None else {},
        datasets=[d for d in datasets if d is not None],
        artifacts=list(run.artifacts) if run is not None else [],
        predictions=predictions,
        signature=signature,
        signature_error=read.signature_error,
    )))


def _histories(
    histories: dict[str, tuple[tuple[int, ...], tuple[float, ...]]],
) -> dict[str, dict[str, list[float]]]:
    """Each metric's history of more than one point, as steps and values."""
    return {
        metric_key(k): {"steps": list(steps), "values": list(values)}
        for k, (steps, values) in sorted(histories.items())
        if len(values) > 1
    }


class _Problems:
    """What the release schema rejected while a record was built, all reported at once."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.found: list[Problem] = []

    def check(self, loc: tuple[str, ...], build: Callable[..., M], *args: Any) -> M | None:
        """`build(*args)`, or None with its validation errors kept as problems at `loc`."""
        try:
            return build(*args)
        except ValidationError as exc:
            self.found.extend(
                Problem(self.where, None, ".".join(str(p) for p in (*loc, *err["loc"])),
                        err["msg"])
                for err in exc.errors()
            )
            return None

    def result(self, built: M | None) -> M:
        if self.found or built is None:
            raise InputError(self.found)
        return built


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
    if listed != _recorded(_registry(v)):
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
    if not isinstance(training, dict) or training.get("run") != _recorded(_run(run)):
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
    if run.metrics and not run.histories:  # no bulk histories (an HTTP store)
        return _latest_steps_match(training.get("metric_history") or {}, run)
    history = {metric_key(k): {"steps": list(steps), "values": list(values)}
               for k, (steps, values) in sorted(run.histories.items()) if len(values) > 1}
    return (training.get("metric_history") or {}) == history


def _latest_steps_match(recorded: dict[str, Any], run: RunInfo) -> bool:
    """Without the histories, each metric's latest step (from the run search) against the
    last recorded step: a history appended after the record, even with the same last value,
    moves it. A metric recorded as one point is current only at step 0 (where `log_metric`
    puts it); at any other step its history is read again."""
    if not isinstance(recorded, dict):
        return False
    for name, step in run.latest_steps.items():
        history = recorded.get(metric_key(name))
        steps = history.get("steps") if isinstance(history, dict) else None
        if steps:
            if max(steps) != step:
                return False
        elif step != 0:
            return False
    return True


def release_from_log(log: TrainingLog, version: str, date: dt.date, log_file: str,
                     where: str) -> Release:
    """The release record for a plain training log file, recorded as `log_file`."""
    found = _Problems(where)
    series = {k: (s.steps, s.values) for k, s in log.histories.items()}
    return found.result(found.check((), lambda: _given(Release(
        version=version,
        date=date,
        metrics={
            metric_key(k): MetricValue(value=v, source="training-log")
            for k, v in log.final_metrics.items()
        },
        # every field given, an empty history too: what earlier records of a log wrote
        training=Training(
            source=log.format, log_file=log_file, metric_history=_histories(series)),
    ))))


def release_text(release: Release, header: str) -> str:
    """Deterministic YAML text of a record: sorted keys, repr floats, a comment header."""
    return _comment(header) + dump_yaml(release_data(release))


def release_data(release: Release) -> dict[str, Any]:
    """The fields a record was given, as YAML writes them. Steps are whole numbers: the
    schema reads every history list as floats, a release file writes steps as `- 3`."""
    data = _recorded(release)
    for series in (data.get("training") or {}).get("metric_history", {}).values():
        if "steps" in series:
            series["steps"] = [int(x) if x.is_integer() else x for x in series["steps"]]
    return data


def _render_read(record: dict[str, Any], header: str, where: str) -> str:
    """The text of a record read from a release file, as read (validated first)."""
    found = _Problems(where)
    found.result(found.check((), lambda: Release.model_validate(record)))
    return _comment(header) + dump_yaml(record)


def _comment(header: str) -> str:
    return "".join(f"# {line}\n" for line in header.splitlines())


def _recorded(model: BaseModel) -> dict[str, Any]:
    """The fields `model` was given, as a record read back from YAML has them."""
    return model.model_dump(mode="python", by_alias=True, exclude_unset=True)


def _given(model: M) -> M:
    """`model` with its empty fields (None, {}, []) unset: a record leaves them out."""
    given = {name for name, value in model if value is not None and value != {} and value != []}
    return model.model_construct(given & model.model_fields_set, **dict(model))


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
        if _render_read(record, header, where) != text:
            return None
    except InputError:  # no longer a valid release
        return None
    apply_state(record["training"]["registry"], state)
    return _render_read(record, header, where)


def registry_with_state(registry: RegistryInfo, state: dict[str, Any]) -> RegistryInfo:
    """`registry` with its aliases, alias history and deleted mark from `state` (left out
    when empty), as `apply_state` does to a record read from a file."""
    from govkit.sources.registry_state import FIELDS

    data = registry.model_dump(exclude_unset=True, exclude=set(FIELDS))
    data.update({key: state[key] for key in FIELDS if state[key]})
    return RegistryInfo.model_validate(data)


def _registry(v: VersionInfo) -> RegistryInfo:
    return _given(RegistryInfo(
        version=v.version,
        aliases=list(v.aliases),
        description=v.description,
        tags=dict(sorted(v.tags.items())),
        created=_iso(v.created_ms),
        updated=_iso(v.updated_ms),
        model_id=v.model_id,
        source=v.source if _is_uri(v.source) else None,
        status=v.status,
        stage=v.stage,
    ))


def _run(run: RunInfo) -> RunRecord:
    duration = None
    if run.start_ms is not None and run.end_ms is not None:
        duration = round((run.end_ms - run.start_ms) / 1000, 3)
    return _given(RunRecord(
        id=run.run_id,
        name=run.name,
        experiment_id=run.experiment_id,
        start_time=_iso(run.start_ms),
        end_time=_iso(run.end_ms),
        duration_s=duration,
        user=run.tags.get("mlflow.user"),
        git_commit=run.tags.get("mlflow.source.git.commit"),
        source_name=run.tags.get("mlflow.source.name"),
        status=run.status,
        tags={k: v for k, v in sorted(run.tags.items()) if not k.startswith(_INTERNAL_TAGS)},
    ))


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
