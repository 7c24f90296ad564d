"""The engine's typed request from flat keywords, for tests that vary one or two of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from govkit.monitoring import engine
from govkit.monitoring.request import MonitoringRequest, Windows
from govkit.monitoring.roles import Roles
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.rules import Rules


def request(
    *, model: str, window: str, features: Any = None, predictions: str | None = None,
    labels: str | None = None, segments: Sequence[str] = (),
    baseline: Mapping[str, float] | None = None,
    segment_baselines: Mapping[str, Mapping[str, float]] | None = None,
    rules: Rules | None = None, reference_path: str | None = None,
    current_path: str | None = None, progress: bool | None = None, ids: Sequence[str] = (),
    timestamp: str | None = None, as_of: dt.datetime | None = None,
    reference_predictions: str | None = None,
    proxies: Mapping[str, tuple[str, str, str | None]] | None = None,
) -> MonitoringRequest:
    return MonitoringRequest(
        model=model, window=window, features=features,
        roles=Roles(predictions, labels, tuple(segments), tuple(ids), timestamp,
                    reference_predictions),
        proxies=proxies or {}, rules=rules or Rules(), baseline=baseline or {},
        segment_baselines=segment_baselines or {},
        windows=Windows(reference_path, current_path, as_of), progress=progress)


def compute_result(reference: Any, current: Any, **flat: Any) -> MonitoringResult:
    return engine.compute_result(reference, current, request(**flat))
