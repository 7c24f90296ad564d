"""A system's architecture: `systems/<name>.yaml`, hand-written, never rewritten.

Components (the chapter's infrastructure table: orchestration, feature store, model registry,
experiment tracking, serving, monitoring, plus data sources), the data flow between them,
the models the system serves and the automation maturity level the team claims (0-4).
"""


import datetime as dt
from typing import Literal

from pydantic import Field

from govkit.schemas.card import Person
from govkit.schemas.common import Slug, Strict, Text, empty_list

ComponentKind = Literal[
    "data-source", "orchestration", "feature-store", "model-registry", "experiment-tracking",
    "serving", "monitoring", "other",
]
MATURITY_LEVELS = {0: "Manual", 1: "Scripts", 2: "Pipelines", 3: "Continuous", 4: "Autonomous"}


class Component(Strict):
    name: Slug = Field(description="Component key used by flows, e.g. 'feature-store'.")
    kind: ComponentKind = Field(description="Its role (the chapter's infrastructure table).")
    tool: str | None = Field(None, description="What runs it, e.g. 'Airflow' or 'Feast'.")
    description: str | None = Field(None, description="What it does in this system.")


class Flow(Strict):
    source: Slug = Field(alias="from", description="Component the data leaves.")
    target: Slug = Field(alias="to", description="Component the data reaches.")
    data: str | None = Field(None, description="What flows, e.g. 'training features'.")


class Maturity(Strict):
    claimed: Literal[0, 1, 2, 3, 4] = Field(
        description="The level the team claims: 0 manual, 1 scripts, 2 pipelines, "
        "3 continuous, 4 autonomous."
    )
    notes: str | None = Field(None, description="Why, and what is next.")
    ci_config: list[Text] = Field(
        default_factory=empty_list,
        description="CI files that run `govkit check` (relative to this file): evidence of "
        "automated checks.",
    )
    monitoring_cadence_days: int = Field(
        7, ge=1, description="Longest allowed gap between monitoring windows (continuous "
        "monitoring)."
    )


class System(Strict):
    """Hand-written architecture of one ML system. govkit never rewrites this file."""

    title: Text = Field(description="Display name, e.g. 'Churn prediction system'.")
    description: str | None = Field(None, description="A paragraph on the system.")
    owner: Person | None = Field(None, description="Who owns the document (a tech lead).")
    last_reviewed: dt.date | None = Field(None, description="Last review (cadence: quarterly).")
    models: list[Slug] = Field(default_factory=empty_list, description="Models the system serves.")
    components: list[Component] = Field(
        min_length=1, description="Every component (each name once)."
    )
    flows: list[Flow] = Field(default_factory=empty_list,
                              description="Data flow between components.")
    maturity: Maturity | None = Field(None, description="The claimed automation maturity.")
