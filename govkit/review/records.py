"""What a project diff holds: plain records the Markdown/JSON reports and the site read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from govkit.checks.results import DocumentedRange

Verdict = Literal["loosened", "tightened"]
# changed: a setting with no order (e.g. a metric mapping): needs review like a loosening
SettingVerdict = Literal["loosened", "tightened", "changed"]


@dataclass(frozen=True)
class MetricChange:
    id: str  # check id in HEAD
    model: str
    base_version: str  # the version it is compared with (a new version: BASE's latest)
    version: str
    segment: str | None
    metric: str
    label: str
    old: float | None
    new: float | None
    old_status: str
    new_status: str

    @property
    def flipped(self) -> bool:
        return self.old_status != self.new_status

    @property
    def change(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def relative(self) -> float | None:
        return None if self.change is None or not self.old else self.change / abs(self.old)


@dataclass(frozen=True)
class RangeChange:
    model: str
    scope: str  # "card" or the release version
    segment: str | None
    metric: str
    old: DocumentedRange | None
    new: DocumentedRange | None
    verdict: Verdict
    source: str  # the file that documents it now (or did, when removed)
    line: int | None
    note: str = ""

    @property
    def loosened(self) -> bool:
        return self.verdict == "loosened"


@dataclass(frozen=True)
class CoverageChange:
    """A governance-profile requirement whose evidence changed (review/coverage.py)."""

    id: str  # the profile check's id
    model: str
    profile: str
    requirement: str
    label: str  # e.g. 'Annex IV: Human oversight measures'
    old: str  # missing, partly evidenced, evidenced
    new: str
    lost: bool  # less evidenced than before: flagged like a loosened range
    message: str  # HEAD's check message: what is missing now
    source: str
    line: int | None

@dataclass(frozen=True)
class SegmentChange:
    """A release segment removed or added (review/segments.py)."""

    model: str
    version: str
    segment: str
    change: Literal["removed", "added"]
    metrics: tuple[str, ...]  # the metrics it documented (or documents)
    source: str  # where it was written (removed) or is written now (added)
    line: int | None
    note: str = ""  # e.g. "new version against 1.1.0"

    @property
    def lost(self) -> bool:
        """Removed: its checks vanish, evidence lost like a loosened range."""
        return self.change == "removed"


@dataclass(frozen=True)
class SettingChange:
    """A setting that decides verdicts (review/verdict_fields.py) changed."""

    model: str  # "" for project-wide settings (waivers.yaml)
    field: str  # dotted path, e.g. monitoring.rules.alpha
    old: str
    new: str
    verdict: SettingVerdict
    source: str
    line: int | None

    @property
    def loosened(self) -> bool:
        """Loosened, or changed without an order: either needs an owner's approval."""
        return self.verdict != "tightened"


@dataclass(frozen=True)
class TextChange:
    model: str
    scope: str
    field: str  # dotted path in the file
    source: str
    line: int | None
    ops: tuple[tuple[str, str], ...]  # ("=" | "-" | "+", words)


@dataclass(frozen=True)
class AliasMove:
    model: str
    alias: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class ItemChange:
    """An alert, a runbook or a data dictionary entry added, removed or changed."""

    kind: Literal["alert", "runbook", "entry"]
    subject: str  # alert id (a runbook: its alert's id), feature name
    change: Literal["added", "removed", "changed"]
    source: str  # where it is written now (or was, when removed)
    line: int | None
    details: tuple[tuple[str, str, str], ...] = ()  # (field, old, new) of a change
    note: str = ""  # e.g. "default alert from the documented range"


@dataclass
class DatasetDiff:
    name: str
    state: Literal["added", "removed", "changed", "unchanged"]
    entries: list[ItemChange] = field(default_factory=list)


@dataclass
class ModelDiff:
    name: str
    state: Literal["added", "removed", "changed", "unchanged"]
    owners: list[str]
    versions_added: list[str] = field(default_factory=list)
    versions_removed: list[str] = field(default_factory=list)
    windows_added: list[str] = field(default_factory=list)
    windows_removed: list[str] = field(default_factory=list)
    aliases: list[AliasMove] = field(default_factory=list)
    metrics: list[MetricChange] = field(default_factory=list)
    ranges: list[RangeChange] = field(default_factory=list)
    text: list[TextChange] = field(default_factory=list)
    operations: list[ItemChange] = field(default_factory=list)  # alerts and runbooks
    coverage: list[CoverageChange] = field(default_factory=list)  # governance profiles
    settings: list[SettingChange] = field(default_factory=list)
    segments: list[SegmentChange] = field(default_factory=list)


@dataclass
class ProjectDiff:
    base: str
    head: str
    models: list[ModelDiff]
    datasets: list[DatasetDiff] = field(default_factory=list)
    settings: list[SettingChange] = field(default_factory=list)  # waivers.yaml

    @property
    def loosened(self) -> list[RangeChange]:
        return [c for m in self.models for c in m.ranges if c.loosened]

    @property
    def coverage_lost(self) -> list[CoverageChange]:
        return [c for m in self.models for c in m.coverage if c.lost]

    @property
    def segments_lost(self) -> list[SegmentChange]:
        return [c for m in self.models for c in m.segments if c.lost]

    @property
    def loosened_settings(self) -> list[SettingChange]:
        return [c for c in [*(c for m in self.models for c in m.settings), *self.settings]
                if c.loosened]

    @property
    def new_failures(self) -> list[MetricChange]:
        return [c for m in self.models for c in m.metrics
                if c.new_status == "fail" and c.old_status != "fail"]
