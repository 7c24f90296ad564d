"""What other pages give a model's card, as typed data built by their own modules: links to
its data dictionaries, training guide and experiment logs, its monitoring banner and its
alerts section. A leaf of site/: the modules that build these and cards.py both import it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict

from govkit.checks.results import Status
from govkit.site.monitoring_rows import LayerRow
from govkit.site.plain import CheckData
from govkit.site.runbook_facts import IncidentRow


class DictionaryLink(TypedDict):
    """A card's link to a data dictionary of its model's data, with its warnings."""

    name: str
    title: str
    link: str
    warnings: int


class GuideLink(TypedDict):
    """A card's link to its training guide, with how many of its checks fail or warn."""

    link: str
    failed: int
    warnings: int


class ExperimentLink(TypedDict):
    """A card's link to an experiment log of its model, with its warnings."""

    title: str
    link: str
    warnings: int


class CardMonitoring(TypedDict):
    """The monitoring banner of a model's main card."""

    window: str
    version: str | None
    link: str
    failing: list[CheckData]
    checked: int
    not_evaluated: int
    warning: bool
    summary: str
    layers: list[LayerRow]  # infrastructure, model, business: one line each


class AlertRow(TypedDict):
    """An alert as the card and the alerts index list it."""

    id: str
    title: str
    severity: str
    href: str
    fires_when: str
    trigger: str
    owner: str
    default: bool
    reviewed: str | None
    incidents: int
    firing: bool


class CardOperations(TypedDict):
    """The card's alerts and runbooks section."""

    alerts: list[AlertRow]
    incidents: list[IncidentRow]
    more_incidents: bool
    has_incidents: bool
    failing: list[CheckData]


class FailingCheck(CheckData):
    """A failing check as the home page and the card's lead box list it: `href` the page and
    anchor of its value (from the site root; on the card, from the card)."""

    href: str


Family = Literal["governance", "training"]


class RulesLine(TypedDict):
    """One family of a model's rules (site/rules_lines.py): its worst status (None: no
    check), how many checks, the failing ones."""

    family: Family
    status: Status | None
    checks: int
    failing: list[FailingCheck]
    warning: list[FailingCheck]  # the warnings, linked the same way (shown when none fails)


@dataclass(frozen=True)
class CardParts:
    """What other pages give a card, built by their own modules: links to the model's data
    dictionaries, training guide and experiment logs; on the main page (`latest`) the
    monitoring banner, the alerts section, Material's tags and the failing governance and
    training checks."""

    dictionaries: list[DictionaryLink]
    training_guide: GuideLink | None
    experiments: list[ExperimentLink]
    monitoring: CardMonitoring | None = None
    operations: CardOperations | None = None
    tags: list[str] | None = None
    rules: list[RulesLine] = field(default_factory=list)  # failing governance, training
    documents: list[CheckData] = field(default_factory=list)  # the card's document checks
