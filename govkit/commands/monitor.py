"""`govkit monitor`: reference + current window -> a monitoring result file in the project."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from govkit.errors import InputError, MonitoringInputError, Problem
from govkit.formatting import display_path
from govkit.model import ModelRecord, ReleaseRecord
from govkit.monitoring.request import MonitoringRequest, Windows
from govkit.monitoring.roles import Roles
from govkit.output.writer import write_if_changed
from govkit.schemas.config import MonitoringConfig
from govkit.schemas.monitoring import Layers, MonitoringResult
from govkit.schemas.release import MetricValue
from govkit.sources.files import max_bytes, previous_bytes
from govkit.sources.project import MONITORING_DIR, load_project

if TYPE_CHECKING:
    import pyarrow as pa

    from govkit.monitoring.engine import BatchSource, Window
    from govkit.schemas.monitoring import LabelJoin
    from govkit.schemas.profile import ReferenceProfile


@dataclass
class MonitorRequest:
    model: str
    reference: Path | None = None
    current: Path | None = None
    window: str | None = None
    predictions: str | None = None
    labels: str | None = None
    segments: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    timestamp: str | None = None
    reference_predictions: str | None = None
    labels_from: Path | None = None
    join_key: str | None = None
    save_profile: Path | None = None
    evidently: Path | None = None
    progress: bool | None = None
    version: str | None = None
    engine: str = "local"
    spark_master: str | None = None
    spark_sources: tuple[str, str] | None = None  # --reference/--current as typed (table, URI)


@dataclass
class MonitorOutcome:
    path: Path
    result: MonitoringResult
    written: bool
    warnings: list[str]  # live metrics compared with nothing, with the mapping to add


def unmapped_warnings(model: ModelRecord, result: MonitoringResult) -> list[str]:
    """Live metrics whose names match no documented metric: both sides, the YAML to add;
    and labels that joined no window row."""
    from govkit.checks.live import unmapped

    out = [u.text(model, block=True) for u in unmapped(model, result)]
    lj = result.label_join
    if lj is not None and lj.matched_rows == 0:
        out.append(f"{lj.file}: {no_labels_joined(lj)}: check the labels file and --join-key "
                   f"{lj.key} (its {lj.labels_rows} label(s) match no window key)")
    return out


def no_labels_joined(lj: LabelJoin) -> str:
    return (f"performance not evaluated (0 of {lj.window_rows} window rows joined labels on "
            f"{lj.key!r})")


def window_label(request: MonitorRequest) -> str:
    if request.window:
        label = request.window
    else:
        source = request.current or request.evidently
        label = source.stem if source else "window"
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", label):
        raise InputError.single("--window", f"{label!r} is not a safe window label",
                                hint="pass --window 2024-06-01 (letters, digits, . _ -)")
    return label


def window_period(label: str) -> tuple[dt.date, dt.date] | None:
    """First and last day of a window labelled 2024-02-01, 2024-W05 or 2024-02 (else None)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
            day = dt.date.fromisoformat(label)
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", label):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
            first = dt.date(int(m[1]), int(m[2]), 1)
            following = (first + dt.timedelta(days=32)).replace(day=1)
            return first, following - dt.timedelta(days=1)
    except ValueError:
        return None
    return None


def _column(flag: str | None, configured: str | None) -> str | None:
    """A flag overrides govkit.yaml; an empty flag (--predictions '') switches the column off."""
    return configured if flag is None else (flag or None)


def _columns(flags: tuple[str, ...], configured: list[str]) -> list[str]:
    return list(configured) if not flags else [f for f in flags if f]


def pinned_release(
    model: ModelRecord, version: str | None, window: str
) -> tuple[ReleaseRecord | None, str | None]:
    """The release a window scored: --version, else the release `govkit ingest` saw behind
    the serving alias on the window's first day, else the latest release dated on or before
    that day, else (label not a date) the latest release. The basis says which rule."""
    if version is not None:
        record = model.release(version)
        if record is None:
            known = ", ".join(r.release.version for r in model.releases) or "none"
            raise InputError.single("--version", f"model {model.name} has no release {version!r}",
                                    hint=f"released versions: {known}")
        return record, "--version"
    if not model.releases:
        return None, None
    period = window_period(window)
    if period is None:
        return model.latest, "latest release (the window label is not a date)"
    holder = model.alias_holder_on(model.serving_alias, period[0])
    if holder is not None:
        return holder, (f"alias {model.serving_alias} on {period[0]}, as govkit ingest "
                        "observed it")
    record = model.serving_on(period[0])
    if record is None:
        first = min(model.releases, key=lambda r: r.release.date).release
        raise InputError.single(
            "--window", f"no release of {model.name} is dated on or before {period[0]} "
            f"(the first, {first.version}, is dated {first.date})",
            hint="pass --version VERSION to say which model scored this window")
    return record, f"latest release dated on or before {period[0]}"


def baselines(
    model: ModelRecord, record: ReleaseRecord | None
) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Live metric -> documented value on the scored release, overall and per release segment
    (a segment documents only the metrics it lists; the rest fall back to overall)."""
    from govkit.monitoring.performance import METRICS

    if record is None:
        return {}, {}
    release = record.release

    def live(metrics: dict[str, MetricValue]) -> dict[str, float]:
        keys = {name: model.card_metric(name) for name in METRICS}
        return {name: metrics[key].value for name, key in keys.items() if key in metrics}

    segments = {seg.name: live(seg.metrics) for seg in release.segments}
    return live(release.metrics), {name: values for name, values in segments.items() if values}


def run_monitor(start: Path, request: MonitorRequest) -> MonitorOutcome:
    project = load_project(start)
    model = project.model(request.model)
    if model is None:
        known = ", ".join(m.name for m in project.models)
        raise InputError.single(project.config_doc.path, f"unknown model '{request.model}'",
                                hint=f"declared models: {known}")
    window = window_label(request)
    limit = max_bytes(project.config.limits.max_file_mb)
    record, basis = pinned_release(model, request.version, window)
    try:
        result = _compute(model, record, model.monitoring_config, request, window, limit)
    except MonitoringInputError as exc:
        raise _shown(exc) from None
    if record is not None:
        result.model_version, result.version_basis = record.release.version, basis
    path = model.folder / MONITORING_DIR / f"{window}.json"
    result.layers = _observed_layers(previous_bytes(path))
    written = write_if_changed(path, result.to_json().encode())
    return MonitorOutcome(path, result, written, unmapped_warnings(model, result))


def _observed_layers(before: bytes | None) -> Layers | None:
    """The service and business layers `govkit observe` read for this window before: the
    drift and performance are recomputed, the layers are not, so they are kept."""
    if before is None:
        return None
    try:
        return MonitoringResult.model_validate_json(before).layers
    except ValidationError:  # a file govkit did not write: replaced whole
        return None


def _compute(
    model: ModelRecord, record: ReleaseRecord | None, config: MonitoringConfig,
    request: MonitorRequest, window: str, limit: int,
) -> MonitoringResult:
    import pyarrow as pa

    from govkit.monitoring.engine import build_reference_profile, compute_result
    from govkit.monitoring.evidently_import import import_evidently_report
    from govkit.monitoring.profile import profile_to_json
    from govkit.sources.datasets import read_json_report

    if request.evidently is not None and request.engine == "spark":
        raise InputError.single("--import", "is not available with --engine spark",
                                hint="import the report with the local engine (the default)")
    if request.evidently is not None:
        report = read_json_report(request.evidently, limit)
        return import_evidently_report(report, model=model.name, window=window,
                                       current_path=display_path(request.evidently),
                                       rules=config.rules)
    if request.reference is None or request.current is None:
        raise InputError.single("govkit monitor", "--reference and --current are required",
                                hint="or pass --import REPORT.json")
    predictions = _column(request.predictions, config.predictions)
    labels = _column(request.labels, config.labels)
    segments = _columns(request.segments, config.segments)
    ids = _columns(request.ids, config.ids)
    timestamp = _column(request.timestamp, config.timestamp)
    reference_predictions = _column(request.reference_predictions, config.reference_predictions)
    features = _columns(request.features, config.features or []) or None
    overall, per_segment = baselines(model, record)
    period = window_period(window)
    as_of = None
    if period is not None:  # freshness at the end of the window's last day
        end = period[1] + dt.timedelta(days=1)
        as_of = dt.datetime(end.year, end.month, end.day, tzinfo=dt.UTC)
    shown = (display_path(request.reference), display_path(request.current))
    if request.engine == "spark":
        from govkit.commands.monitor_spark import SparkWindows, compute_spark

        _spark_unsupported(request, config)
        shown = request.spark_sources or (str(request.reference), str(request.current))
    asked = MonitoringRequest(
        model=model.name, window=window, features=features,
        roles=Roles(predictions, labels, tuple(segments), tuple(ids), timestamp,
                    reference_predictions),
        proxies={k: (p.column, p.statistic, p.stands_for) for k, p in config.proxies.items()},
        rules=config.rules, baseline=overall, segment_baselines=per_segment,
        windows=Windows(shown[0], shown[1], as_of), progress=request.progress)
    if request.engine == "spark":
        return compute_spark(asked, SparkWindows(shown[0], shown[1], request.save_profile,
                                                 request.spark_master), limit=limit)
    reference = _read_reference(request.reference, limit, config)
    profile = None
    if request.save_profile is not None:
        reference = _whole(reference)
        if not isinstance(reference, pa.Table):
            raise InputError.single(str(request.reference), "is already a profile",
                                    hint="pass the reference data to --save-profile")
        profile = build_reference_profile(
            reference, features=features, predictions=predictions, labels=labels,
            segments=segments, rules=config.rules, path=display_path(request.reference),
            ids=ids, timestamp=timestamp)
    current = _read_current(request.current)
    label_join = None
    if request.labels_from is not None:
        current, label_join = _with_labels(current, request, labels)
    result = compute_result(reference, current, asked)
    result.label_join = label_join
    if label_join is not None and label_join.matched_rows == 0:
        for metric in result.performance:
            metric.reason = no_labels_joined(label_join)
    if profile is not None and request.save_profile is not None:  # only once all went well
        write_if_changed(request.save_profile, profile_to_json(profile).encode())
    return result


def _spark_unsupported(request: MonitorRequest, config: MonitoringConfig) -> None:
    """What the profile engine does not compute is refused, never silently left out."""
    flags = {"--import": request.evidently, "--labels-from": request.labels_from,
             "--reference-predictions": request.reference_predictions}
    for flag, value in flags.items():
        if value:
            raise InputError.single(flag, "is not available with --engine spark",
                                    hint="use the local engine (the default) for it")
    if config.proxies or config.reference_predictions:
        what = "proxies" if config.proxies else "reference_predictions"
        raise InputError.single("govkit.yaml", f"monitoring.{what} is not computed by the "
                                "Spark engine", hint="use the local engine for this model")


def _with_labels(current: Window | BatchSource, request: MonitorRequest,
                 labels: str | None) -> tuple[pa.Table, LabelJoin]:
    """Labels that arrived after the window was scored, joined on --join-key, checked as
    binary labels here so that an error names the labels file, not the window."""
    import numpy as np

    from govkit.monitoring.performance import LabelError, binary_labels
    from govkit.sources.datasets import DatasetBatches, join_labels

    if request.join_key is None or labels is None:
        raise InputError.single("--labels-from", "needs --join-key and a labels column",
                                hint="pass --join-key user_id --labels churned")
    if isinstance(current, DatasetBatches):
        raise InputError.single("--labels-from", "joins labels into a window file, not a "
                                "folder read in batches", hint="pass one Parquet or CSV file")
    assert request.labels_from is not None and request.current is not None
    joined, coverage = join_labels(_whole(current), request.labels_from, request.join_key,
                                   labels, str(request.current))
    coverage.file = display_path(request.labels_from)  # as the window paths are shown
    given = joined.column(labels).drop_null()
    try:
        binary_labels(np.asarray(given.to_numpy()))
    except LabelError as exc:
        raise MonitoringInputError(str(exc), path=coverage.file, column=labels,
                                   hint="binary metrics need labels 0/1 or true/false") from exc
    return joined, coverage


def _read_reference(path: Path, limit: int, config: MonitoringConfig
                    ) -> Window | ReferenceProfile:
    """Reference data, or a profile saved by either engine (a Spark window profile is
    converted to the local engine's reference profile)."""
    from govkit.monitoring.window_profile import as_reference_profile
    from govkit.schemas.profile import ReferenceProfile
    from govkit.sources.datasets import open_window, read_reference_profile

    if path.suffix != ".json":
        return open_window(path)
    saved = read_reference_profile(path, limit)
    return saved if isinstance(saved, ReferenceProfile) else as_reference_profile(
        saved, config.rules)


def _read_current(path: Path) -> Window | BatchSource:
    """A directory of Parquet files is read in batches by the engine; a Parquet file column
    by column as the statistics need them; a CSV file at once."""
    from govkit.sources.datasets import DatasetBatches, open_window

    return DatasetBatches(path) if path.is_dir() else open_window(path)


def _whole(window: Any) -> Any:
    """A window read column by column, as one table (for a profile or a join)."""
    from govkit.monitoring.engine import ColumnSource

    return window.read(window.schema.names) if isinstance(window, ColumnSource) else window


def _shown(exc: MonitoringInputError) -> InputError:
    """The same problem with its file shown relative to the working directory."""
    path = exc.path
    where = display_path(Path(path)) if path and not path.startswith("<") else (path or "input")
    return InputError([Problem(where, p.line, p.field, p.message, p.hint)
                       for p in exc.problems])
