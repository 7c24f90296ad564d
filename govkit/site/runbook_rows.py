"""The parts of runbook, alerts-index and banner pages (site/runbooks.py, site/operations.py)
as typed plain data."""

from __future__ import annotations

from typing import TypedDict

from govkit.site.runbook_facts import Firing, Ref


class FiringShown(Firing):
    message: str  # the alert's trigger with the value filled in


class Policy(TypedDict):
    name: str | None
    response_time: str | None
    channels: list[str]


class SeverityRow(Policy):
    level: str
    prometheus: str | None


class Reviewed(TypedDict):
    date: str
    by: str | None
    at: str | None


class RawStep(TypedDict):
    id: str
    section: str
    text: str
    origin: str  # default, card or alerts.yaml


class Step(RawStep):
    refs: list[Ref]


class StepGroup(TypedDict):
    title: str
    steps: list[Step]


class Phase(TypedDict):
    name: str
    target: str
    do: str


class WaiverRow(TypedDict):
    rule: str
    subject: str
    reason: str
    expires: str
    approved_by: str | None
    at: str | None


class BannerAlert(TypedDict):
    id: str
    severity: str
    title: str
    href: str
    firing: list[FiringShown]
