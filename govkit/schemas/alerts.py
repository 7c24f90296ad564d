"""`models/<name>/alerts.yaml`: a model's alerts, the runbooks written for them, waivers.

Every documented range gets a default alert without writing any (see `default_alerts`);
an alert written here replaces the default of the metric bound it watches.
"""


import re
from collections.abc import Callable, Collection
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from govkit.schemas.common import IsoDate, Slug, Strict, Text, cross_field, empty_list, present

AlertSeverity = Literal["P1", "P2", "P3", "P4"]
# Monitored statistics an alert can watch: thresholds of `monitoring.rules` in govkit.yaml.
Statistic = Literal[
    "ks_p_value", "psi", "z_score", "chi2_p_value", "cosine_distance", "oov_rate",
    "null_rate_increase", "max_relative_drop", "rollback_relative_drop",
]
FEATURE_STATISTICS = frozenset({"ks_p_value", "psi", "z_score", "chi2_p_value",
                                "cosine_distance", "oov_rate", "null_rate_increase"})
Section = Literal[
    "verify", "impact", "mitigation", "investigate-data", "investigate-model",
    "investigate-external", "escalation", "recovery",
]
GovernanceRule = Literal[
    "alert-runbook", "alert-owner-contact", "alert-action", "runbook-reviewed",
    "postmortem-due",
    # documents (waived in the project's waivers.yaml; subject: see DOCUMENT_RULES)
    "document-owner", "document-reviewed", "version-card", "dictionary",
]
ALERT_RULES = frozenset({"alert-runbook", "alert-owner-contact", "alert-action",
                         "runbook-reviewed", "postmortem-due"})
# rule -> (what the subject names, how the waived check id is built from it)
DOCUMENT_RULES = {
    "document-owner": ("a document: <model>/card, <model>/training, dataset/<name>, "
                       "system/<name> or experiment/<name>", "{subject}/owner"),
    "document-reviewed": ("a document, as for document-owner", "{subject}/reviewed"),
    "version-card": ("<model>/<version>", "{subject}/card"),
    "dictionary": ("a data dictionary check id without 'dataset/', e.g. "
                   "churn-training/tenure_months/type", "dataset/{subject}"),
}
SUBJECT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*(/[A-Za-z0-9][A-Za-z0-9_.+-]*)*$")


def _subject(value: str) -> str:
    if len(value) > 200 or not SUBJECT_RE.match(value):
        raise ValueError("expected an id like 'auc-low' or 'system/churn': letters, digits, "
                         "'.', '_', '+', '-', parts joined by '/'")
    return value

# `{name}` in a trigger, action, step or expression is filled in by govkit. PromQL's own
# braces always hold `=`, so they never look like a placeholder.
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
PLACEHOLDERS = {
    "model": "the model's title", "metric": "the watched metric or statistic",
    "threshold": "the documented bound or the configured threshold (a percentage for a "
    "relative drop)",
    "range": "the documented range",
    "value": "the value that fired the alert (a percentage for a relative drop)",
    "serving_version": "the version in production", "previous_version": "the one before it",
    "degradation_band": "monitoring.rules.max_relative_drop as a percentage",
    "rollback_band": "monitoring.rules.rollback_relative_drop as a percentage",
    "min_samples": "monitoring.rules.min_samples", "owner": "the owner to page",
    "response_time": "the severity's response time", "channels": "the severity's channels",
    "postmortem_days": "alerting.incident_targets.postmortem_days",
}
EXPR_PLACEHOLDERS = {"model", "metric", "threshold"}
# statistics that are relative drops: their {value} and {threshold} read as percentages
RELATIVE_DROPS = frozenset({"max_relative_drop", "rollback_relative_drop"})


def _placeholders(allowed: Collection[str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        unknown = sorted({m for m in PLACEHOLDER_RE.findall(value) if m not in allowed})
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; known: "
                             + ", ".join(f"{{{k}}}" for k in sorted(allowed)))
        return value
    return check


def fill(text: str, values: dict[str, str]) -> str:
    """`{name}` -> its value; unknown names were refused when the YAML was read."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def default_trigger(bound: str | None) -> str:
    """What the on-call sees when the team wrote no trigger (the chapter's wording)."""
    if bound is None:
        return "{model} {metric} is {value} (threshold: {threshold})"
    # the value that fired, then the bound it crossed: never "dropped below VALUE"
    side = "below its documented minimum" if bound == "min" else "above its documented maximum"
    return "{model} {metric} is {value}, " + side + " {threshold}"


TemplateText = Annotated[str, Field(min_length=1), AfterValidator(_placeholders(PLACEHOLDERS))]
PromQL = Annotated[str, Field(min_length=1), AfterValidator(_placeholders(EXPR_PLACEHOLDERS))]
DURATION_RE = r"^([0-9]+(ms|s|m|h|d|w|y))+$"  # Prometheus durations
Duration = Annotated[str, Field(pattern=DURATION_RE)]


class Alert(Strict):
    """One alert: what it watches, how severe it is, who is paged and what they see."""

    model_config = ConfigDict(json_schema_extra=cross_field(
        {"oneOf": [present("metric"), present("statistic")]},
        {"if": present("bound"), "then": present("metric")},
        {"if": present("feature"), "then": {
            "required": ["statistic"],
            "properties": {"statistic": {"enum": sorted(FEATURE_STATISTICS)}}}},
        {"if": present("expr"), "then": {"properties": {"expr": {"pattern": r"\{threshold\}"}}}},
    ))

    id: Slug = Field(description="Stable alert id, e.g. 'auc-degradation' (used in page paths).")
    title: str | None = Field(None, description="Runbook title, e.g. 'Churn Model Degradation "
                              "Alert'.")
    metric: str | None = Field(None, description="A documented metric (card or latest release "
                               "range) whose bound this alert watches, e.g. 'auc_roc'.")
    bound: Literal["min", "max"] | None = Field(
        None, description="Which bound of the metric's range; needed only when both exist.")
    statistic: Statistic | None = Field(
        None, description="A monitored statistic instead of a metric; its threshold is the "
        "one in force in govkit.yaml monitoring.rules.")
    feature: str | None = Field(None, description="Feature whose statistic is watched "
                                "(feature statistics only; default: any feature).")
    severity: AlertSeverity = Field(description="P1 (critical) to P4 (low).")
    owner: str | None = Field(None, description="Card owner to page, by name (default: the "
                              "card's first owner).")
    trigger: TemplateText | None = Field(
        None, description="What the on-call sees, e.g. 'Churn model AUC is {value}, below its "
        "threshold {threshold}' ({value} and {threshold} of a relative-drop statistic are "
        "percentages, e.g. 'fell {value} below its documented value'). Placeholders here, "
        "in action and in runbook steps: "
        + "; ".join(f"{{{k}}} {v}" for k, v in PLACEHOLDERS.items()) + ".")
    action: TemplateText | None = Field(
        None, description="The first thing to do; an alert without an action is flagged.")
    expr: PromQL | None = Field(
        None, description="PromQL that fires the alert, with {threshold} filled in, e.g. "
        "'churn_model_auc <= {threshold}' ({model} is the model's name and {metric} the "
        "metric key or statistic here); needed by `govkit alerts --format prometheus`.")
    for_: Duration | None = Field(None, alias="for",
                                  description="How long the expression must hold, e.g. 15m.")

    @model_validator(mode="after")
    def _one_target(self) -> "Alert":
        if (self.metric is None) == (self.statistic is None):
            raise ValueError("write exactly one of 'metric' and 'statistic'")
        if self.bound is not None and self.metric is None:
            raise ValueError("'bound' applies to a metric alert only")
        if self.feature is not None and self.statistic not in FEATURE_STATISTICS:
            raise ValueError(f"'feature' applies to a feature statistic, not {self.statistic}")
        if self.expr is not None and "{threshold}" not in self.expr:
            raise ValueError("expr does not use {threshold}, so the rule would not follow "
                             "the documented threshold (write e.g. 'churn_auc <= {threshold}')")
        return self


class Step(Strict):
    """A runbook step: replaces the default step with the same id, or adds one."""

    id: Slug = Field(description="Default step id to replace, or a new id.")
    section: Section | None = Field(None, description="Where a new step goes (a replaced "
                                    "step keeps its section unless this moves it).")
    text: TemplateText = Field(description="What to do; {placeholders} are filled in.")


class Runbook(Strict):
    """The team's runbook of one alert: reviewed, with steps added, replaced or removed."""

    alert: Slug = Field(description="Id of the alert (written or default) it belongs to.")
    title: str | None = Field(None, description="Page title (default: the alert's title).")
    last_reviewed: IsoDate = Field(description="Date of the last review; review it after "
                                   "each incident.")
    reviewed_by: str | None = Field(None, description="Who reviewed it.")
    steps: list[Step] = Field(default_factory=empty_list, description="Steps added or replaced.")
    remove: list[Slug] = Field(default_factory=empty_list, description="Default step ids to drop.")


class Waiver(Strict):
    """A governance check that may fail until `expires`, for a stated reason."""

    rule: GovernanceRule = Field(description="The governance rule waived.")
    subject: Annotated[str, AfterValidator(_subject)] = Field(
        description="The alert id (incident id for postmortem-due); for document rules see "
        "DOCUMENT_RULES (e.g. 'system/churn' for document-reviewed).")
    reason: Text = Field(description="Why the rule may fail for now.")
    expires: IsoDate = Field(description="Last day the waiver holds; an expired waiver is "
                             "an error.")
    approved_by: str | None = Field(None, description="Who accepted the risk.")


class AlertsFile(Strict):
    """`models/<name>/alerts.yaml`."""

    team: str | None = Field(None, description="Team label of the Prometheus rules (default: "
                             "the alert's owner).")
    default_alerts: bool = Field(True, description="Give every documented bound without a "
                                 "written alert a default alert.")
    alerts: list[Alert] = Field(default_factory=empty_list,
        description="Alerts written for this model (bounds without one get a default alert).")
    runbooks: list[Runbook] = Field(default_factory=empty_list,
        description="Hand-written runbooks: steps that replace, add to or remove generated ones.")
    waivers: list[Waiver] = Field(default_factory=empty_list,
        description="Waivers of this model's governance rules, each with a reason and expiry.")


class WaiversFile(Strict):
    """`waivers.yaml` beside govkit.yaml: waivers of document checks (owners, freshness,
    versions without a card, data dictionary warnings). Alert rules are waived in the
    model's alerts.yaml."""

    waivers: list[Waiver] = Field(default_factory=empty_list,
        description="Waivers of document checks (owners, freshness, dictionaries, version cards).")
