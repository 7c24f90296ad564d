"""A governance profile: requirements of a regulation or standard, each with the evidence in
govkit's typed project that satisfies it (`profiles:` in govkit.yaml)."""


from typing import Annotated, Literal

from pydantic import Field

from govkit.schemas.common import Slug, Strict, Text

# Documents with an owner and a review cadence (govkit.yaml `freshness:`)
DocumentType = Literal["card", "training_guide", "dictionary", "architecture", "experiment_log"]
# Rule families of `govkit check` (a check result's kind)
Family = Literal["release", "monitoring", "governance", "dictionary", "training",
                 "architecture", "document"]


class Present(Strict):
    """A card field is written and is not placeholder text."""

    kind: Literal["present"]
    field: str = Field(
        description="Dotted path of a card field, e.g. 'intended_use.out_of_scope' or "
        "'limitations'; an `ethical_considerations` entry by name: "
        "'ethical_considerations.Human oversight'."
    )


class Fresh(Strict):
    """A document type exists for the model and is within its review cadence."""

    kind: Literal["fresh"]
    document: DocumentType = Field(
        description="card, training_guide, dictionary (every dataset the model is trained "
        "on), architecture (every system serving the model) or experiment_log (every "
        "experiment of the model)."
    )


class Passed(Strict):
    """A check family ran on the model and none of its checks failed or warned."""

    kind: Literal["passed"]
    family: Family = Field(
        description="release (the serving version's ranges), monitoring (the latest window), "
        "governance (alerts, runbooks, incidents), dictionary, training, architecture, "
        "document."
    )


class WithinCadence(Strict):
    """A monitoring window exists and the latest one is within a cadence."""

    kind: Literal["within_cadence"]
    days: int | None = Field(
        None, ge=1, description="At most this many days old; default: the model's "
        "monitoring.cadence_days in govkit.yaml."
    )


class Postmortem(Strict):
    """Every recorded incident has its postmortem (no incidents: nothing is owed)."""

    kind: Literal["postmortem"]


Selector = Annotated[Present | Fresh | Passed | WithinCadence | Postmortem,
                     Field(discriminator="kind")]


class Requirement(Strict):
    """One point of the source, and the evidence that satisfies it."""

    id: Slug = Field(description="Key in check ids, e.g. 'human-oversight'.")
    title: Text = Field(description="Short name, e.g. 'Human oversight measures'.")
    summary: Text = Field(description="A paraphrase in your own words (no copied text).")
    reference: Text = Field(description="Where the source states it, e.g. 'Annex IV(2)(e)'.")
    required: bool = Field(
        False, description="true: `govkit check` fails while it is not evidenced; "
        "false: a warning (fails only under --strict)."
    )
    evidence: list[Selector] = Field(
        min_length=1, description="What in the project evidences it: every selector must "
        "hold for 'evidenced', some for 'partly evidenced'."
    )


class Profile(Strict):
    """A profile file: one regulation or standard as a list of requirements."""

    id: Slug = Field(description="Key in check ids and page paths, e.g. 'sr-11-7'.")
    title: Text = Field(description="Page title, e.g. 'EU AI Act, Annex IV'.")
    short: Text = Field(description="Column label, e.g. 'Annex IV'.")
    source: Text = Field(
        description="The document it follows, e.g. 'Regulation (EU) 2024/1689, Annex IV'."
    )
    description: str | None = Field(None, description="What the profile covers and omits.")
    requirements: list[Requirement] = Field(min_length=1, description="In the source's order.")
