"""`govkit monitor`: reference + current window -> a monitoring result file in the project."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.errors import InputError, Problem
from govkit.schemas.config import MonitoringConfig
from govkit.schemas.monitoring import MonitoringResult
from govkit.site.writer import atomic_write
from govkit.sources.project import MONITORING_DIR, ModelRecord, display_path, load_project

if TYPE_CHECKING:
    import pyarrow as pa

    from govkit.monitoring.profile import ReferenceProfile

LIVE_METRICS = ("accuracy", "precision", "recall", "roc_auc")


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
    save_profile: Path | None = None
    evidently: Path | None = None
    progress: bool | None = None


@dataclass
class MonitorOutcome:
    path: Path
    result: MonitoringResult
    written: bool


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


def baseline(model: ModelRecord) -> dict[str, float]:
    """Live metric -> value documented on the latest release (the seed's baseline)."""
    if model.latest is None:
        return {}
    metrics = model.latest.release.metrics
    out = {}
    for name in LIVE_METRICS:
        key = model.card_metric(name)
        if key in metrics:
            out[name] = metrics[key].value
    return out


def run_monitor(start: Path, request: MonitorRequest) -> MonitorOutcome:
    project = load_project(start)
    model = next((m for m in project.models if m.name == request.model), None)
    if model is None:
        known = ", ".join(m.name for m in project.models)
        raise InputError.single(project.config_doc.path, f"unknown model '{request.model}'",
                                hint=f"declared models: {known}")
    config = (model.entry.monitoring if model.entry else None) or MonitoringConfig()
    window = window_label(request)
    try:
        result = _compute(model, config, request, window)
    except _MONITORING_ERRORS as exc:
        raise _input_error(exc, request) from None
    path = model.folder / MONITORING_DIR / f"{window}.json"
    data = result.to_json().encode()
    written = not (path.is_file() and path.read_bytes() == data)
    if written:
        atomic_write(path, data)
    return MonitorOutcome(path, result, written)


def _compute(
    model: ModelRecord, config: MonitoringConfig, request: MonitorRequest, window: str
) -> MonitoringResult:
    import pyarrow as pa

    from govkit.monitoring.engine import build_reference_profile, compute_result
    from govkit.monitoring.evidently_import import import_evidently_report
    from govkit.monitoring.profile import profile_to_json

    if request.evidently is not None:
        report = json.loads(request.evidently.read_text(encoding="utf-8"))
        return import_evidently_report(report, model=model.name, window=window,
                                       current_path=display_path(request.evidently),
                                       rules=config.rules)
    if request.reference is None or request.current is None:
        raise InputError.single("govkit monitor", "--reference and --current are required",
                                hint="or pass --import REPORT.json")
    predictions = request.predictions or config.predictions
    labels = request.labels or config.labels
    segments = list(request.segments or config.segments)
    features = list(request.features or config.features or []) or None
    reference = _read_reference(request.reference)
    if request.save_profile is not None:
        if not isinstance(reference, pa.Table):
            raise InputError.single(str(request.reference), "is already a profile",
                                    hint="pass the reference data to --save-profile")
        profile = build_reference_profile(
            reference, features=features, predictions=predictions, labels=labels,
            segments=segments, rules=config.rules, path=display_path(request.reference))
        atomic_write(request.save_profile, profile_to_json(profile).encode())
    current = _read_current(request.current)
    return compute_result(
        reference, current, model=model.name, window=window, features=features,
        predictions=predictions, labels=labels, segments=segments,
        baseline=baseline(model), rules=config.rules,
        reference_path=display_path(request.reference),
        current_path=display_path(request.current), progress=request.progress,
    )


def _read_reference(path: Path) -> pa.Table | ReferenceProfile:
    from govkit.monitoring.profile import load_profile
    from govkit.sources.datasets import read_table

    return load_profile(path) if path.suffix == ".json" else read_table(path)


def _read_current(path: Path) -> pa.Table | Path:
    """A directory of Parquet files is read in batches by the engine; a file at once."""
    from govkit.sources.datasets import read_table

    return path if path.is_dir() else read_table(path)


# MonitoringInputError, bad JSON/CSV/Parquet (pyarrow's ArrowInvalid) are all ValueErrors.
_MONITORING_ERRORS: tuple[type[Exception], ...] = (ValueError, OSError)


def _input_error(exc: Exception, request: MonitorRequest) -> InputError:
    path = getattr(exc, "path", None) or getattr(exc, "filename", None)
    column = getattr(exc, "column", None)
    hint = getattr(exc, "hint", None) or ""
    message = getattr(exc, "message", None) or str(exc).splitlines()[0]
    field = f"column {column}" if column else ""
    where = display_path(Path(path)) if path and not str(path).startswith("<") else str(
        path or request.current or request.evidently or "input")
    return InputError([Problem(where, None, field, message, hint)])
