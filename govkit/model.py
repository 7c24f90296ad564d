"""The loaded project as typed records: what every stage after the loaders reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govkit.schemas.card import Card
from govkit.schemas.config import Config, ModelEntry, MonitoringConfig
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

    @property
    def latest(self) -> ReleaseRecord | None:
        return self.releases[-1] if self.releases else None

    def release(self, version: str) -> ReleaseRecord | None:
        return next((r for r in self.releases if r.release.version == version), None)

    def serving_on(self, day: dt.date) -> ReleaseRecord | None:
        """The latest release dated on or before ``day`` (same date: the later record)."""
        dated = [(r.release.date, i) for i, r in enumerate(self.releases) if r.release.date <= day]
        return self.releases[max(dated)[1]] if dated else None

    def window_release(self, window: MonitoringRecord) -> ReleaseRecord | None:
        """The release a window scored (its recorded version), else the latest release."""
        version = window.result.model_version
        return (self.release(version) if version else None) or self.latest

    @property
    def latest_window(self) -> MonitoringRecord | None:
        return self.monitoring[-1] if self.monitoring else None

    @property
    def monitoring_config(self) -> MonitoringConfig:
        return (self.entry.monitoring if self.entry else None) or MonitoringConfig()

    def card_metric(self, live_metric: str) -> str:
        """The card metric a live metric measures (govkit.yaml `monitoring.metrics`)."""
        return self.monitoring_config.metrics.get(live_metric, live_metric)


@dataclass
class Project:
    root: Path
    config: Config
    config_doc: YamlDoc
    models: list[ModelRecord]

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
