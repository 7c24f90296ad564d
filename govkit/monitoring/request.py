"""One monitoring request: what to compare and how, resolved once (by `govkit monitor` from
its flags and govkit.yaml) and handed to either engine (local: `engine.compute_result`;
Spark: `spark.profile` + `compare_profiles.compare`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from govkit.monitoring.feature_drift import FeatureSpec
from govkit.monitoring.roles import Roles
from govkit.schemas.rules import Rules

Proxies = Mapping[str, tuple[str, str, str | None]]  # metric -> (column, statistic, stands for)


@dataclass(frozen=True)
class Windows:
    """Where the two windows come from, as the result names them, and the window's end."""

    reference: str | None = None
    current: str | None = None
    as_of: dt.datetime | None = None  # freshness is judged at this time


@dataclass(frozen=True)
class MonitoringRequest:
    model: str
    window: str
    features: FeatureSpec = None  # None: every column that has no role
    roles: Roles = field(default_factory=Roles)  # as resolved; the engine adds pending, proxies
    proxies: Proxies = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)
    baseline: Mapping[str, float] = field(default_factory=dict)
    segment_baselines: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    windows: Windows = field(default_factory=Windows)
    progress: bool | None = None
