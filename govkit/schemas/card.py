"""The hand-written facts of a model: `card.yaml` beside its releases."""


from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from govkit.schemas.common import (
    ORDER_RULE,
    FiniteFloat,
    IsoDate,
    Slug,
    Strict,
    Text,
    cross_field,
    default_of,
    empty_list,
    require_order,
)
from govkit.schemas.layers import BusinessKpi, Service


class Person(Strict):
    name: Text = Field(description="Person or team name, e.g. 'ML Team'.")
    role: str | None = Field(None, description="Role, e.g. 'ML Engineer' or 'on-call rotation'.")
    email: str | None = Field(None, description="Contact address.")
    chat: str | None = Field(None, description="Chat channel, e.g. '#churn-model'.")


class ModelDetails(Strict):
    developed_by: str | None = Field(None, description="Who built the model, e.g. 'ML Team'.")
    model_type: str | None = Field(
        None, description="Algorithm family, e.g. 'Gradient Boosted Trees (LightGBM)'."
    )
    description: str | None = Field(None, description="A paragraph on what the model does.")
    task: Slug | None = Field(
        None, description="The task as a Hugging Face Hub id (pipeline tag), e.g. "
        "'tabular-classification' or 'text-classification': the Hub card's `pipeline_tag` and "
        "model-index task type, the ML-BOM's task. Lower-case letters, digits, '-' and '_'.")
    framework: str | None = Field(None, description="Library and version, e.g. 'lightgbm 4.3'.")
    license: str | None = Field(None, description="License of the model, e.g. 'Proprietary'.")
    citation: str | None = Field(None, description="How to cite the model (BibTeX or text).")
    repository: str | None = Field(None, description="Where the training code lives.")
    references: list[str] = Field(
        default_factory=empty_list, description="Papers, design docs or links."
    )


class IntendedUse(Strict):
    primary_uses: list[Text] = Field(
        default_factory=empty_list,
        description="What the model is for, e.g. 'Predict 30-day churn'."
    )
    primary_users: list[Text] = Field(default_factory=empty_list,
                                      description="Who uses its output.")
    out_of_scope: list[Text] = Field(
        default_factory=empty_list, description="Uses the model must not be put to."
    )


class Factors(Strict):
    relevant: list[Text] = Field(
        default_factory=empty_list, description="Groups or conditions that affect performance."
    )
    evaluation: list[Text] = Field(
        default_factory=empty_list, description="Factors the evaluation was broken down by."
    )


class DataDescription(Strict):
    description: str | None = Field(
        None, description="What the data is, e.g. 'User transactions Jan 2023 - Dec 2023'."
    )
    size: str | None = Field(None, description="e.g. '1.2M users, 14.3% churn rate'.")
    features: str | None = Field(
        None, description="e.g. '47 features covering engagement, billing, support'."
    )
    label_definition: str | None = Field(
        None, description="How the label is defined, e.g. 'No activity for 30+ days'."
    )
    sources: list[Text] = Field(default_factory=empty_list,
                                description="Tables, files or datasets.")
    preprocessing: str | None = Field(None, description="Filtering, sampling, transforms.")


class Consideration(Strict):
    name: Text = Field(description="Aspect, e.g. 'Fairness' or 'Privacy'.")
    description: Text = Field(description="What was done or found.")


class EscalationStep(Strict):
    condition: Text = Field(description="When, e.g. 'Cause unclear after 30 minutes'.")
    action: Text = Field(description="What to do, e.g. 'Page senior ML engineer'.")


class MetricDefinition(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(govkit_only=ORDER_RULE))

    label: str | None = Field(None, description="Display name, e.g. 'AUC-ROC'.")
    description: str | None = Field(None, description="What the metric measures.")
    goal: Literal["higher", "lower"] = Field(
        "higher", description="Which direction is better (used for change markers)."
    )
    min: FiniteFloat | None = Field(None, description="Default lowest allowed value.")
    max: FiniteFloat | None = Field(None, description="Default highest allowed value.")
    exclusive: bool = Field(
        False, description="True: the value must be strictly inside (> min, < max)."
    )
    kind: Literal["accuracy", "error_rate", "precision", "recall", "f1", "roc_auc",
                  "log_loss"] | None = Field(
        None, description="What the metric is, for the release gate's test (e.g. val_auc: "
        "roc_auc); default: the live metric mapped to it in models[].monitoring.metrics, "
        "else the key itself when it is one of these names."
    )
    margin: FiniteFloat | None = Field(
        None, ge=0, description="Largest drop (in the metric's units) a new version may show "
        "against the serving one; `govkit check --release` fails a significant larger drop. "
        "Default 0.",
    )

    @model_validator(mode="after")
    def _range_order(self) -> "MetricDefinition":
        require_order(self.min, self.max)
        return self


class Card(Strict):
    """Hand-written model facts. govkit reads this file and never rewrites it."""

    title: Text = Field(description="Display name, e.g. 'Churn Prediction'.")
    summary: str | None = Field(None, description="One or two sentences for the model index.")
    model_details: ModelDetails = Field(default_factory=ModelDetails,
        description="Who built the model, its type, version, licence and references.")
    intended_use: IntendedUse = Field(default_factory=IntendedUse,
        description="Primary uses, intended users and uses the model must not be put to.")
    factors: Factors = Field(default_factory=default_of(Factors),
        description="Groups, instruments and environments the model's performance depends on.")
    training_data: DataDescription = Field(default_factory=default_of(DataDescription),
        description="Where the training data comes from, its size, features and label.")
    evaluation_data: DataDescription = Field(default_factory=default_of(DataDescription),
        description="The data the documented metrics were measured on.")
    ethical_considerations: list[Consideration] = Field(default_factory=empty_list,
        description="Risks, sensitive features (name PII features here) and mitigations.")
    limitations: list[Text] = Field(default_factory=empty_list,
        description="Where the model is known to perform poorly.")
    caveats_and_recommendations: list[Text] = Field(default_factory=empty_list,
        description="How to use, retrain and monitor the model.")
    owners: list[Person] = Field(default_factory=empty_list, description="Who owns the model.")
    last_reviewed: IsoDate | None = Field(
        None, description="Last review of the card; cadence: each model version (without it, "
        "the last commit of card.yaml counts)."
    )
    escalation: list[EscalationStep] = Field(
        default_factory=empty_list, description="Who to call when a check fails, in order."
    )
    metrics: dict[str, MetricDefinition] = Field(
        default_factory=dict,
        description="Metric definitions and default allowed ranges, by metric key.",
    )
    tags: list[Text] = Field(default_factory=empty_list,
        description="Tags for the home page's index (Material's tags plugin), e.g. 'churn'.")
    service: Service | None = Field(
        None, description="Infrastructure SLOs (latency, errors, throughput, saturation, "
        "queue), read from Prometheus by `govkit observe`.")
    business: dict[Slug, BusinessKpi] = Field(
        default_factory=dict, description="Business KPIs the model moves, by key, read from "
        "a file or SQL by `govkit observe`.")
