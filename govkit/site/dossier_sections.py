"""The sections of a model's dossier (site/dossier.py) as typed plain data."""

from __future__ import annotations

from typing import TypedDict

from govkit.site.plain import CheckData


class Owner(TypedDict):
    name: str
    role: str | None
    contact: str | None


class Section(TypedDict):
    id: str
    title: str


class Cover(TypedDict):
    version: str
    date: str
    basis: str
    stage: str | None
    owners: list[Owner]
    reviewed: str | None
    digest: str
    revision: str | None
    profile: str | None
    project: str


class Named(TypedDict):
    name: str
    description: str


class Escalation(TypedDict):
    condition: str
    action: str


class CardSummary(TypedDict):
    summary: str | None
    developed_by: str | None
    model_type: str | None
    description: str | None
    uses: list[str]
    users: list[str]
    out_of_scope: list[str]
    training_data: str | None
    label: str | None
    evaluation_data: str | None
    limitations: list[str]
    caveats: list[str]
    ethics: list[Named]
    escalation: list[Escalation]
    link: str


class FeatureLine(TypedDict):
    name: str
    type: str
    description: str | None
    unit: str | None


class DataSection(TypedDict):
    name: str
    title: str
    link: str
    features: list[FeatureLine]


class StageLine(TypedDict):
    name: str
    thresholds: str
    on_failure: str | None


class TrainingSection(TypedDict):
    pipeline: str
    schedule: str | None
    owner: str | None
    reviewed: str | None
    stages: list[StageLine]
    link: str


class MonitoringSection(TypedDict):
    window: str
    version: str | None
    link: str
    checks: list[CheckData]


class AlertLine(TypedDict):
    id: str
    severity: str
    watches: str
    range: str
    default: bool
    runbook: str | None
    link: str


class AlertsSection(TypedDict):
    rows: list[AlertLine]
    index: str | None
    checks: list[CheckData]


class IncidentLine(TypedDict):
    id: str
    date: str
    severity: str
    summary: str
    postmortem: str | None
    link: str


class RequirementLine(TypedDict):
    title: str
    reference: str
    required: bool
    word: str
    link: str


class CoverageSection(TypedDict):
    title: str
    short: str
    link: str
    rows: list[RequirementLine]
    evidenced: int
    own: bool  # judged on this (not serving) version's own checks and windows
    serving: str | None  # else the serving version whose requirement checks are shown
