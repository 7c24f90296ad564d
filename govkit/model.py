"""The loaded project as typed records: what every stage after the loaders reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from govkit.formatting import fmt
from govkit.schemas.alerts import Alert, Runbook, Waiver
from govkit.schemas.architecture import System
from govkit.schemas.card import Card, Person
from govkit.schemas.config import Config, ExperimentEntry, ModelEntry, MonitoringConfig
from govkit.schemas.dictionary import DatasetProfile, Dictionary
from govkit.schemas.experiment import DecisionRecord, ExperimentLog
from govkit.schemas.incidents import Incident
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.profiles import Profile
from govkit.schemas.release import RegistryInfo, Release, SignatureField
from govkit.schemas.training import TrainingGuide

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
    """A release file: what it says, its lines and where it is."""

    release: Release
    doc: YamlDoc
    source: str  # path relative to the project root, posix


@dataclass
class MonitoringRecord:
    """A monitoring result file: what it says, its lines and where it is."""

    result: MonitoringResult
    doc: YamlDoc
    source: str


@dataclass(frozen=True)
class Where:
    """A file (relative to the project root) and a line in it."""

    source: str
    line: int | None


class Range(Protocol):
    """What a record keeps of a documented range: a `checks.results.DocumentedRange` (which
    sits above model, so it is named here by what it offers), printed with `str()`."""

    @property
    def min(self) -> float | None: ...
    @property
    def max(self) -> float | None: ...
    @property
    def exclusive(self) -> bool: ...


SHOWN_OP = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}  # a comparison as pages print it


@dataclass
class IncidentRecord:
    """An incident and where it is written."""

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
    range: Range | None  # a metric alert's documented range; None: a statistic alert
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

    @property
    def service(self) -> bool:
        """Whether it watches a service SLO (its runbook gets the infrastructure steps)."""
        return str(self.alert.metric or "").startswith("service/")

    @property
    def condition(self) -> str:
        """The documented range a metric alert guards ('> 0.85'), or the rule a statistic
        alert fires on ('PSI of sessions_30d ≥ 0.20')."""
        if self.range is not None:
            return str(self.range)
        return f"{self.watches} {SHOWN_OP[self.op]} {fmt(self.threshold)}"


@dataclass
class WaiverRecord:
    """A waiver and where it is written."""

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
class TrainingGuideRecord:
    """A training guide file: what it says, its lines and where it is."""

    guide: TrainingGuide
    doc: YamlDoc
    source: str


MLFLOW_PRODUCTION = "Production"  # MLflow's legacy stage, for registries without aliases


@dataclass(frozen=True)
class Serving:
    """The version in production and how govkit knows it."""

    record: ReleaseRecord | None
    basis: str  # e.g. 'alias champion', 'MLflow stage Production'
    known: bool  # False: no alias or stage says it; `record` is the latest release


def registry_of(record: ReleaseRecord) -> RegistryInfo | None:
    training = record.release.training
    return training.registry if training is not None else None


def deleted_from_registry(record: ReleaseRecord) -> bool:
    registry = registry_of(record)
    return registry is not None and registry.deleted


@dataclass
class ModelRecord:
    """One model of the project: its card, releases, monitoring and operations."""

    name: str
    folder: Path
    card: Card
    card_doc: YamlDoc
    card_source: str
    releases: list[ReleaseRecord] = field(default_factory=list)
    monitoring: list[MonitoringRecord] = field(default_factory=list)
    entry: ModelEntry | None = None
    ops: Operations = field(default_factory=Operations)
    training_guide: TrainingGuideRecord | None = None
    serving_alias: str = "champion"  # govkit.yaml mlflow.serving_alias

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
        # the defaults, without building MonitoringConfig's validator (~1 ms; issue 26)
        default = MonitoringConfig.model_construct
        return (self.entry.monitoring if self.entry else None) or default()

    def serving_choice(self) -> Serving:
        """The release behind the serving alias, else in MLflow's Production stage, else the
        newest hand-written `stage: production`; else the latest release, marked unknown."""
        alias = self.serving_alias
        present = [r for r in self.releases if not deleted_from_registry(r)]
        for record in reversed(present):
            registry = registry_of(record)
            if registry is not None and alias in registry.aliases:
                return Serving(record, f"alias {alias}", True)
        for record in reversed(present):
            registry = registry_of(record)
            if registry is not None and registry.stage == MLFLOW_PRODUCTION:
                return Serving(record, f"MLflow stage {MLFLOW_PRODUCTION}", True)
        for record in reversed(self.releases):
            if record.release.stage == "production":
                return Serving(record, "stage production", True)
        return Serving(self.latest, "latest release: no version carries the alias "
                       f"{alias!r} or a production stage", False)

    @property
    def serving(self) -> ReleaseRecord | None:
        """The serving release (see `serving_choice`), else the newest release."""
        return self.serving_choice().record

    def candidates(self) -> list[ReleaseRecord]:
        """Releases newer than a known serving one, not promoted and still registered."""
        choice = self.serving_choice()
        if not choice.known or choice.record is None:
            return []
        at = next(i for i, r in enumerate(self.releases) if r is choice.record)
        newer = self.releases[at + 1:]
        return [r for r in newer if not deleted_from_registry(r)
                and r.release.stage not in ("production", "archived")]

    def alias_holder_on(self, alias: str, day: dt.date) -> ReleaseRecord | None:
        """The release `govkit ingest` saw carrying `alias` on `day` (its observed interval
        covers the day; two do on the day the alias moved: the later observation wins)."""
        found: list[tuple[str, int]] = []
        for index, record in enumerate(self.releases):
            registry = registry_of(record)
            for span in registry.alias_history if registry else []:
                if span.alias != alias:
                    continue
                since, until = _day(span.since), _day(span.until) if span.until else None
                if since is not None and since <= day and (until is None or day < until
                                                           or day == since):
                    found.append((span.since, index))
        return self.releases[max(found)[1]] if found else None

    @property
    def before_serving(self) -> ReleaseRecord | None:
        """The release before the serving one: what a rollback goes back to."""
        serving = self.serving
        index = self.releases.index(serving) if serving else 0
        return self.releases[index - 1] if index > 0 else None

    @property
    def signature_inputs(self) -> list[tuple[int, SignatureField]]:
        """Named inputs of the latest release's signature, with their index (empty: unknown)."""
        record = self.latest
        training = record.release.training if record else None
        if training is None or training.signature is None:
            return []
        return [(i, f) for i, f in enumerate(training.signature.inputs) if f.name]

    def card_metric(self, live_metric: str) -> str:
        """The card metric a live metric measures (govkit.yaml `monitoring.metrics`)."""
        return self.monitoring_config.metrics.get(live_metric, live_metric)


@dataclass(frozen=True)
class DatasetVersionRecord:
    """One version of a dataset: a distinct digest (or hand-written label), with its changes
    from the version before (see sources/dictionary_versions.py)."""

    label: str
    date: dt.date
    digest: str | None
    columns: dict[str, str] | None
    sources: tuple[str, ...]
    used_by: tuple[str, ...]
    notes: tuple[str, ...]
    changes: tuple[str, ...]
    schema_changed: bool  # the first version with columns, or columns differ from the last


@dataclass
class DatasetRecord:
    """A dataset's dictionary; `profile` is filled from its reference sample before checks."""

    name: str
    dictionary: Dictionary
    doc: YamlDoc
    source: str  # path of the dictionary YAML relative to the project root, posix
    reference: Path | None = None  # the reference sample, resolved
    profile: DatasetProfile | None = None
    versions: list[DatasetVersionRecord] = field(default_factory=list)  # oldest first

    @property
    def mlflow_names(self) -> list[str]:
        return self.dictionary.mlflow_datasets or [self.name]


@dataclass(frozen=True)
class Evidence:
    """What govkit itself sees of one rung of the maturity ladder."""

    level: int  # the lowest level that needs it
    name: str  # e.g. "scripted training"
    holds: bool
    detail: str


@dataclass
class SystemRecord:
    """An architecture file (systems/) and the evidence of its maturity level."""

    name: str
    system: System
    doc: YamlDoc
    source: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def evidence_level(self) -> int:
        """The highest level whose evidence, and every lower level's, holds."""
        level = 0
        for rung in range(1, 5):
            if not all(e.holds for e in self.evidence if e.level == rung):
                break
            level = rung
        return level


@dataclass(frozen=True)
class SiteConfig:
    """What pages need to know of the project's mkdocs.yml (sources/mkdocs_config.py)."""

    html_pages: bool = True  # `page.html`, else MkDocs' directory URLs `page/`
    tags: bool = False  # Material's tags plugin lists tagged pages


@dataclass
class ExperimentRecord:
    """An MLflow experiment as ingested (log.yaml) with the team's decision, if written."""

    name: str
    entry: ExperimentEntry
    log: ExperimentLog
    log_source: str
    decision: DecisionRecord | None = None
    decision_doc: YamlDoc | None = None
    decision_source: str | None = None  # where it is, or would be, written


@dataclass(frozen=True)
class Uncarded:
    """A declared model whose folder has release records but no card.yaml."""

    name: str
    versions: tuple[tuple[str, str], ...]  # (version, release file relative to the root)
    where: Where  # its entry in govkit.yaml


@dataclass(frozen=True)
class Changed:
    """When a document's source file last changed, as the loader found it."""

    date: dt.date
    how: str  # "git" (last commit), "working tree" (uncommitted change: today)


@dataclass
class ProfileRecord:
    """A governance profile, shipped with govkit or the team's (`profiles:` in govkit.yaml)."""

    profile: Profile
    doc: YamlDoc
    source: str  # the team's file relative to the project root, or `govkit:<name>`
    enabled: Where  # its entry in govkit.yaml `profiles:`

    @property
    def shipped(self) -> bool:
        return self.source.startswith("govkit:")


@dataclass
class Project:
    """The whole loaded project, as every stage after the loaders reads it."""

    root: Path
    config: Config
    config_doc: YamlDoc
    models: list[ModelRecord]
    today: dt.date = field(default_factory=dt.date.today)  # read once per run, by the loader
    datasets: list[DatasetRecord] = field(default_factory=list)
    systems: list[SystemRecord] = field(default_factory=list)
    repo: Path | None = None  # the git work tree holding the project (None: not in git)
    boundary: Path | None = None  # what links and input paths may not leave (sources/links.py)
    experiments: list[ExperimentRecord] = field(default_factory=list)
    waivers: list[WaiverRecord] = field(default_factory=list)  # waivers.yaml
    uncarded: list[Uncarded] = field(default_factory=list)
    changed: dict[str, Changed] = field(default_factory=dict)  # source -> last change (git)
    profiles: list[ProfileRecord] = field(default_factory=list)  # govkit.yaml `profiles:`

    def path(self, rel: str) -> Path:
        return (self.root / rel).resolve()

    @property
    def docs_dir(self) -> Path:
        return self.path(self.config.docs_dir)

    def model(self, name: str) -> ModelRecord | None:
        return next((m for m in self.models if m.name == name), None)

    def datasets_of(self, model: str) -> list[DatasetRecord]:
        """Dictionaries of the datasets `model` is trained on, by dataset name."""
        return sorted((d for d in self.datasets if model in d.dictionary.models),
                      key=lambda d: d.name)


def feature_users(project: Project, record: DatasetRecord, feature: str) -> list[tuple[str, str]]:
    """(model, source) for each model that uses `feature` of a dataset: the latest signature
    of a model trained on the dataset decides ("mlflow-registry"); without one every feature
    counts as used ("hand-written (dataset models)"); a feature's `used_by` adds models by
    hand ("hand-written (used_by)")."""
    users: dict[str, str] = {}
    spec = next((f for f in record.dictionary.features if f.name == feature), None)
    for name in spec.used_by if spec else []:
        users[name] = "hand-written (used_by)"
    for name in record.dictionary.models:
        model = project.model(name)
        inputs = model.signature_inputs if model else []
        if not inputs:
            users.setdefault(name, "hand-written (dataset models)")
        elif any(f.name == feature for _, f in inputs):
            users[name] = "mlflow-registry"
    return sorted(users.items())


def _day(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def model_folder(root: Path, config: Config, entry: ModelEntry) -> Path:
    """Where a model's card, releases and monitoring results live (one rule for every command)."""
    return root / (entry.path or f"{config.models_dir}/{entry.name}")
