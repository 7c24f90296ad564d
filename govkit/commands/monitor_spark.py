"""`govkit monitor --engine spark`: both windows profiled on Spark, compared from profiles."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.errors import InputError
from govkit.schemas.config import MonitoringConfig
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.window_profile import WindowProfile
from govkit.site.writer import write_if_changed

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

    from govkit.commands.monitor import MonitorRequest


def _unsupported(request: MonitorRequest, config: MonitoringConfig) -> None:
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


@dataclass(frozen=True)
class SparkRoles:
    features: list[str] | None
    predictions: str | None
    labels: str | None
    segments: list[str]
    ids: list[str]
    timestamp: str | None


def compute_spark(
    request: MonitorRequest, config: MonitoringConfig, roles: SparkRoles, *, model: str,
    window: str, baseline: Mapping[str, float],
    segment_baselines: Mapping[str, Mapping[str, float]], limit: int,
) -> MonitoringResult:
    # pyspark warns that it does not yet support pandas 3 when its ML modules load; the
    # engine passes no data through pandas, so the warning would only mislead
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark(\.|$)")
        return _compute(request, config, roles, model=model, window=window, baseline=baseline,
                        segment_baselines=segment_baselines, limit=limit)


def _compute(
    request: MonitorRequest, config: MonitoringConfig, roles: SparkRoles, *, model: str,
    window: str, baseline: Mapping[str, float],
    segment_baselines: Mapping[str, Mapping[str, float]], limit: int,
) -> MonitoringResult:
    from govkit.monitoring import spark as engine
    from govkit.monitoring.compare_profiles import compare, undecided_columns
    from govkit.monitoring.window_profile import profile_json
    from govkit.sources.spark_tables import read_window, read_window_profile, spark_session

    _unsupported(request, config)
    ref_src, cur_src = request.spark_sources or (str(request.reference), str(request.current))
    saved = ref_src.endswith(".json")
    if saved and request.save_profile is not None:
        raise InputError.single(ref_src, "is already a profile",
                                hint="pass the reference data to --save-profile")
    reference = read_window_profile(Path(ref_src), limit) if saved else None
    spark = spark_session(request.spark_master)

    pending: list[str] = []

    frames: dict[str, DataFrame] = {}

    def window_profile(source: str, flag: str, ref: WindowProfile | None) -> WindowProfile:
        frame = frames[flag] = read_window(spark, source, flag)
        labels = roles.labels if ref is not None else None  # performance: current only
        if ref is None and roles.labels and roles.labels not in frame.columns:
            pending.append(roles.labels)  # in neither window: a typo, unless the current has it
        elif labels and labels not in frame.columns:
            if pending:
                raise InputError.single(flag, f"label column {labels!r} is in neither window",
                                        hint="pass --labels with the label column")
            pending.append(labels)  # labels arrive later
            labels = None
        return engine.profile(
            frame, features=roles.features, predictions=roles.predictions, labels=labels,
            segments=roles.segments, ids=[*roles.ids, *([roles.labels] if roles.labels else [])],
            timestamp=roles.timestamp, reference=ref, rules=config.rules, source=source)

    if reference is None:
        reference = window_profile(ref_src, "--reference", None)
    current = window_profile(cur_src, "--current", reference)
    exact: dict[str, float] = {}
    undecided = undecided_columns(reference, current, config.rules)
    if undecided and "--reference" in frames:  # the sketch must not decide: D exactly
        exact = engine.exact_ks_statistics(frames["--reference"], frames["--current"],
                                           undecided)
    result = compare(reference, current, model=model, window=window, rules=config.rules,
                     baseline=baseline, segment_baselines=segment_baselines,
                     reference_path=ref_src, current_path=cur_src, exact_ks=exact)
    result.labels_pending = roles.labels if current.performance is None and pending else None
    if request.save_profile is not None:  # only once all went well
        write_if_changed(request.save_profile, profile_json(reference).encode())
    return result
