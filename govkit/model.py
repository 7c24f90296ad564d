"""The loaded project as typed records: what every stage after the loaders reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govkit.schemas.alerts import Alert, Runbook, Waiver
from govkit.schemas.card import Card, Person
from govkit.schemas.config import Config, ModelEntry, MonitoringConfig
from govkit.schemas.incidents import Incident
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.release import Release

Loc = tuple[str | int, ...]
MODELS_PAGE_DIR = "models"


def dotted(loc: Loc) -> str:
    """`('metrics', 'auc', 'min')` -> `metrics.auc.min`; list indexes as `[0]`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class YamlDoc:
    """A parsed YAML or JSON file: its data plus the 1-based line of each value by path."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


@dataclass
class ReleaseRecord:
    release: Release
    doc: YamlDoc
    source: str  # path relative to the project root, posix


@dataclass
class MonitoringRecord:
    result: MonitoringResult
    doc: YamlDoc
    source: str


@dataclass(frozen=True)
class Where:
    """A file (relative to the project root) and a line in it."""

    source: str
    line: int | None


@dataclass
class IncidentRecord:
    incident: Incident
    where: Where


@dataclass
class AlertRecord:
    """An alert with everything resolved: threshold, owner, runbook, incidents."""

    alert: Alert  # as written, or the default govkit made for a documented bound
    default: bool
    watches: str  # what it watches, e.g. 'AUC-ROC' or 'PSI (sessions_30d)'
    threshold: float
    op: str  # comparison of the watched value with the threshold that fires: < <= > >=
    range: str  # the documented range or rule, e.g. '> 0.85' or 'PSI ≥ 0.2'
    where: Where  # where the alert is written (a default alert: its documented bound)
    threshold_at: Where | None  # where the threshold is written (None: govkit's default)
    owner: Person | None
    bound: str | None = None  # 'min' or 'max' of a metric alert
    runbook: Runbook | None = None  # the team's reviewed runbook, if written
    runbook_at: Where | None = None
    incidents: list[IncidentRecord] = field(default_factory=list)  # oldest first
    values: dict[str, str] = field(default_factory=dict)  # what its {placeholders} become

    @property
    def id(self) -> str:
        return self.alert.id


@dataclass
class WaiverRecord:
    waiver: Waiver
    where: Where


@dataclass
class Operations:
    """A model's alerts, runbooks, incidents and waivers (alerts.yaml, incidents.yaml)."""

    alerts: list[AlertRecord] = field(default_factory=list)
    incidents: list[IncidentRecord] = field(default_factory=list)  # oldest first
    waivers: list[WaiverRecord] = field(default_factory=list)
    team: str | None = None

    def alert(self, alert_id: str) -> AlertRecord | None:
        return next((a for a in self.alerts if a.id == alert_id), None)


@dataclass
class ModelRecord:
    name: str
    folder: Path
    card: Card
    card_doc: YamlDoc
    card_source: str
    releases: list[ReleaseRecord] = field(default_factory=list)
    monitoring: list[MonitoringRecord] = field(default_factory=list)
    entry: ModelEntry | None = None
    ops: Operations = field(default_factory=Operations)

    @property
    def latest(self) -> ReleaseRecord | None:
        return self.releases[-1] if self.releases else None

    @property
    def latest_window(self) -> MonitoringRecord | None:
        return self.monitoring[-1] if self.monitoring else None

    @property
    def monitoring_config(self) -> MonitoringConfig:
        return (self.entry.monitoring if self.entry else None) or MonitoringConfig()

    @property
    def serving(self) -> ReleaseRecord | None:
        """The newest release in production, else the newest release."""
        live = [r for r in self.releases if r.release.stage == "production"]
        return live[-1] if live else self.latest

    @property
    def before_serving(self) -> ReleaseRecord | None:
        """The release before the serving one: what a rollback goes back to."""
        serving = self.serving
        index = self.releases.index(serving) if serving else 0
        return self.releases[index - 1] if index > 0 else None

    def card_metric(self, live_metric: str) -> str:
        """The card metric a live metric measures (govkit.yaml `monitoring.metrics`)."""
        return self.monitoring_config.metrics.get(live_metric, live_metric)


@dataclass
class Project:
    root: Path
    config: Config
    config_doc: YamlDoc
    models: list[ModelRecord]
    today: dt.date = field(default_factory=dt.date.today)  # read once per run, by the loader

    def path(self, rel: str) -> Path:
        return (self.root / rel).resolve()

    @property
    def docs_dir(self) -> Path:
        return self.path(self.config.docs_dir)

    def model(self, name: str) -> ModelRecord | None:
        return next((m for m in self.models if m.name == name), None)


def model_folder(root: Path, config: Config, entry: ModelEntry) -> Path:
    """Where a model's card, releases and monitoring results live (one rule for every command)."""
    return root / (entry.path or f"{config.models_dir}/{entry.name}")
