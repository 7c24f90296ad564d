"""A model's training guide: `<model folder>/training.yaml`, hand-written, never rewritten.

`pipeline:` is the retraining pipeline in the source chapter's configuration format (name,
schedule, stages with images, resources, inputs, outputs, hyperparameters, evaluation
thresholds, `on_failure`); the other fields say how to retrain and validate: the trigger
strategy, the retraining approach and the validation gate.
"""


import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from govkit.schemas.card import Person
from govkit.schemas.common import FiniteFloat, Strict, Text, cross_field, empty_list

Scalar = str | int | float | bool


class Stage(Strict):
    name: Text = Field(description="Stage name, e.g. 'model-evaluation'.")
    image: str | None = Field(None, description="Container image, e.g. 'evaluation:v1'.")
    resources: dict[str, str] = Field(
        default_factory=dict, description="Resources, e.g. {cpu: '4', memory: 16Gi, gpu: '1'}."
    )
    inputs: list[dict[str, Scalar]] = Field(
        default_factory=empty_list, description="Inputs, e.g. [{source: s3://data/transactions}]."
    )
    outputs: list[dict[str, Scalar]] = Field(
        default_factory=empty_list, description="Outputs, e.g. [{destination: s3://models/churn}]."
    )
    hyperparameters: dict[str, Scalar] = Field(
        default_factory=dict, description="e.g. {learning_rate: 0.001, epochs: 100}."
    )
    thresholds: dict[str, FiniteFloat] = Field(
        default_factory=dict,
        description="Evaluation gate: metric -> lowest value that passes (highest for a "
        "metric whose card goal is 'lower'); must agree with the card's documented ranges.",
    )
    on_failure: str | None = Field(None, description="e.g. 'alert_and_halt'.")
    destination: str | None = Field(None, description="e.g. 'model-registry/churn-prediction'.")
    promote_to: str | None = Field(None, description="Registry stage, e.g. 'staging'.")


class Pipeline(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(govkit_only="stage names differ"))

    name: Text = Field(description="Pipeline name, e.g. 'churn-prediction-training'.")
    schedule: str | None = Field(None, description="Cron schedule, e.g. '0 2 * * *'.")
    stages: list[Stage] = Field(min_length=1, description="Stages, in the order they run.")

    @model_validator(mode="after")
    def _unique_stages(self) -> "Pipeline":
        names = [s.name for s in self.stages]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"stage names must be unique: {', '.join(twice)} appears twice")
        return self


class Trigger(Strict):
    strategy: Literal["scheduled", "performance", "drift", "data", "hybrid"] = Field(
        description="When to retrain (the chapter's strategies): scheduled, performance "
        "(accuracy below a threshold), drift, data (new data) or hybrid (scheduled, early "
        "when triggered)."
    )
    rules: list[Text] = Field(
        default_factory=empty_list,
        description="The concrete rules, e.g. 'AUC below 0.85 for 3 days'."
    )


class Deployment(Strict):
    traffic: str | None = Field(None, description="Share of traffic, e.g. '5%'.")
    duration: str | None = Field(None, description="How long, e.g. '7 days'.")
    criteria: str | None = Field(None, description="What must hold to go on.")


class Validation(Strict):
    offline: str | None = Field(
        None, description="Offline evaluation, e.g. 'against the current model on the last "
        "month, with the evaluation stage's thresholds'."
    )
    shadow: Deployment | None = Field(None, description="Shadow deployment on live traffic.")
    canary: Deployment | None = Field(None, description="Canary with its traffic share.")


class TrainingGuide(Strict):
    """How to retrain and validate a model. govkit never rewrites this file."""

    pipeline: Pipeline = Field(description="The retraining pipeline (the chapter's format).")
    owner: Person | None = Field(None, description="Who owns the guide (an ML engineer).")
    last_reviewed: dt.date | None = Field(None, description="When the guide was last checked.")
    trigger: Trigger | None = Field(None, description="The retraining trigger strategy.")
    approach: Literal["full", "incremental", "sliding-window", "weighted"] | None = Field(
        None, description="full retraining, incremental update, sliding window or "
        "weighted (decay) training."
    )
    validation: Validation = Field(
        default_factory=Validation, description="The gate before a retrained model goes live."
    )
    metrics: dict[str, str] = Field(
        default_factory=dict,
        description="Pipeline threshold name -> card metric key, e.g. {auc: auc_roc}; "
        "unmapped names are card keys.",
    )
