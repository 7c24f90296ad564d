"""`govkit monitor --engine spark`: both windows profiled on Spark, compared from profiles."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.errors import InputError
from govkit.monitoring.request import MonitoringRequest
from govkit.output.writer import write_if_changed
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.window_profile import WindowProfile

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


@dataclass(frozen=True)
class SparkWindows:
    """The two windows as given (a Parquet path or a table name; a saved profile `.json` as
    reference), where to save the reference profile, and the Spark master."""

    reference: str
    current: str
    save_profile: Path | None = None
    master: str | None = None


def compute_spark(request: MonitoringRequest, windows: SparkWindows, *,
                  limit: int) -> MonitoringResult:
    # pyspark warns that it does not yet support pandas 3 when its ML modules load; the
    # engine passes no data through pandas, so the warning would only mislead
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark(\.|$)")
        return _compute(request, windows, limit=limit)


def _compute(request: MonitoringRequest, windows: SparkWindows, *,
             limit: int) -> MonitoringResult:
    from govkit.monitoring import spark as engine
    from govkit.monitoring.compare_profiles import compare, undecided_columns
    from govkit.monitoring.window_profile import profile_json
    from govkit.sources.spark_tables import read_window, read_window_profile, spark_session

    roles, rules = request.roles, request.rules
    ref_src, cur_src = windows.reference, windows.current
    saved = ref_src.endswith(".json")
    if saved and windows.save_profile is not None:
        raise InputError.single(ref_src, "is already a profile",
                                hint="pass the reference data to --save-profile")
    reference = read_window_profile(Path(ref_src), limit) if saved else None
    spark = spark_session(windows.master)

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
        features = request.features
        return engine.profile(
            frame, features=list(features) if features is not None else None,
            predictions=roles.predictions, labels=labels, segments=list(roles.segments),
            ids=[*roles.ids, *([roles.labels] if roles.labels else [])],
            timestamp=roles.timestamp, reference=ref, rules=rules, source=source)

    if reference is None:
        reference = window_profile(ref_src, "--reference", None)
    current = window_profile(cur_src, "--current", reference)
    exact: dict[str, float] = {}
    undecided = undecided_columns(reference, current, rules)
    if undecided and "--reference" in frames:  # the sketch must not decide: D exactly
        exact = engine.exact_ks_statistics(frames["--reference"], frames["--current"],
                                           undecided)
    result = compare(reference, current, model=request.model, window=request.window,
                     rules=rules, baseline=request.baseline,
                     segment_baselines=request.segment_baselines,
                     reference_path=ref_src, current_path=cur_src, exact_ks=exact,
                     as_of=request.windows.as_of)
    result.labels_pending = roles.labels if current.performance is None and pending else None
    if windows.save_profile is not None:  # only once all went well
        write_if_changed(windows.save_profile, profile_json(reference).encode())
    return result
