"""An MLflow experiment as govkit records it (`experiments/<name>/log.yaml`, written by
`govkit ingest-experiment`) and the team's hand-written decision (`decision.yaml`)."""


from pydantic import Field

from govkit.schemas.card import Person
from govkit.schemas.common import FiniteFloat, IsoDate, Strict, Text, empty_list


class RegisteredVersion(Strict):
    model: Text = Field(description="Registered model name in MLflow.")
    version: Text = Field(description="Registry version the run became.")


class NestedRun(Strict):
    """A child run of a sweep (MLflow tag `mlflow.parentRunId`), folded into its parent."""

    run_id: Text
    name: str | None = None
    status: str | None = None
    params: dict[str, str] = Field(default_factory=dict)
    metrics: dict[str, FiniteFloat] = Field(default_factory=dict)


class ExperimentRun(Strict):
    """A top-level run: its own parameters and final metrics, and its nested runs."""

    run_id: Text
    name: str | None = None
    status: str | None = None
    user: str | None = None
    start: str | None = Field(None, description="Start time, ISO 8601 UTC.")
    end: str | None = Field(None, description="End time, ISO 8601 UTC.")
    params: dict[str, str] = Field(default_factory=dict)
    metrics: dict[str, FiniteFloat] = Field(default_factory=dict)
    registered: list[RegisteredVersion] = Field(
        default_factory=empty_list, description="Registry versions created from this run.")
    nested: list[NestedRun] = Field(
        default_factory=empty_list, description="Runs of its sweep, at any depth below it.")


class ExperimentLog(Strict):
    """What `govkit ingest-experiment` read from MLflow (generated; do not edit)."""

    experiment: Text = Field(description="MLflow experiment name.")
    experiment_id: Text
    description: str | None = Field(None, description="The experiment's mlflow.note.content.")
    last_run: IsoDate | None = Field(None, description="Date the newest run started (UTC).")
    runs: list[ExperimentRun] = Field(default_factory=empty_list, description="Oldest first.")


class DecisionRecord(Strict):
    """`experiments/<name>/decision.yaml`: what the experiment decided. Hand-written;
    govkit reads it and never rewrites it."""

    question: Text = Field(description="What the experiment set out to answer.")
    options: list[Text] = Field(min_length=1, description="The options compared.")
    decision: Text = Field(description="What was decided, and why.")
    date: IsoDate = Field(description="When it was decided (YYYY-MM-DD).")
    who: Text = Field(description="Who decided, e.g. 'Churn model review (ML Team)'.")
    owner: Person | None = Field(None, description="Who owns the log (a data scientist).")
    last_reviewed: IsoDate | None = Field(
        None, description="Last review of the log; cadence: each experiment (a run newer "
        "than this date, or than the last commit of this file, makes it stale).")
