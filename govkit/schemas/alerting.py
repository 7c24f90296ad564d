"""`govkit.yaml` `alerting:`: severities, default alerts and incident targets.

The defaults are the source chapter's alert design table and incident response phases; a
team changes any of them in govkit.yaml and every page and rule states the value in force.
"""


from typing import Literal

from pydantic import Field

from govkit.schemas.alerts import AlertSeverity, Duration
from govkit.schemas.common import Strict, Text, default_of

PrometheusSeverity = Literal["critical", "warning", "info"]


class SeverityPolicy(Strict):
    """How fast and through which channels a severity is answered; unset fields keep the
    chapter's default for that severity."""

    name: Text | None = Field(None, description="e.g. 'Critical'.")
    response_time: Text | None = Field(None, description="e.g. 'Immediate' or '< 1 hour'.")
    channels: list[Text] | None = Field(None, description="e.g. ['Page on-call', 'war room'].")
    prometheus: PrometheusSeverity | None = Field(
        None, description="labels.severity of the Prometheus rule.")


CHAPTER_SEVERITIES: dict[str, SeverityPolicy] = {
    "P1": SeverityPolicy.model_construct(name="Critical", response_time="Immediate",
                         channels=["Page on-call", "war room"], prometheus="critical"),
    "P2": SeverityPolicy.model_construct(name="High", response_time="< 1 hour",
                         channels=["Slack", "page if no ack"], prometheus="warning"),
    "P3": SeverityPolicy.model_construct(name="Medium", response_time="< 4 hours",
                         channels=["Slack notification"], prometheus="warning"),
    "P4": SeverityPolicy.model_construct(name="Low", response_time="< 24 hours",
                         channels=["Email", "ticket"], prometheus="info"),
}


class Severities(Strict):
    P1: SeverityPolicy = Field(default_factory=default_of(SeverityPolicy),
                               description="Default: Critical, Immediate, page on-call + war "
                               "room, critical.")
    P2: SeverityPolicy = Field(default_factory=default_of(SeverityPolicy),
                               description="Default: High, < 1 hour, Slack + page if no ack, "
                               "warning.")
    P3: SeverityPolicy = Field(default_factory=default_of(SeverityPolicy),
                               description="Default: Medium, < 4 hours, Slack notification, "
                               "warning.")
    P4: SeverityPolicy = Field(default_factory=default_of(SeverityPolicy),
                               description="Default: Low, < 24 hours, email + ticket, info.")


class IncidentTargets(Strict):
    """The chapter's incident response phases and their targets."""

    detection_minutes: int = Field(15, ge=1, description="Phase 1, detection and triage.")
    stabilisation_minutes: int = Field(60, ge=1, description="Phase 2, stabilisation.")
    investigation: Text = Field("hours to days", description="Phase 3, investigation.")
    postmortem_days: int = Field(7, ge=1, description="Phase 4: postmortem written within "
                                 "this many days of the incident.")


class Alerting(Strict):
    severities: Severities = Field(default_factory=default_of(Severities),
                                   description="Response time and channels per severity.")
    default_severity: AlertSeverity = Field(
        "P3", description="Severity of the default alert of a documented range.")
    metric_gauge: str | None = Field(
        None, description="PromQL of a documented metric's live value, with {model} and "
        "{metric} filled in, e.g. 'model_metric{model=\"{model}\",metric=\"{metric}\"}'; "
        "default alerts compare it with the documented bound. Without it, a default alert has "
        "no expression and `govkit alerts` reports it.")
    default_for: Duration | None = Field(None, description="`for:` of rules without their own.")
    incident_targets: IncidentTargets = Field(default_factory=default_of(IncidentTargets),
        description="Targets of the incident phases (detection, stabilisation, postmortem).")

    def policy(self, level: str) -> SeverityPolicy:
        """The policy in force for `level`: the team's fields over the chapter's."""
        own = getattr(self.severities, level).model_dump(exclude_none=True)
        return CHAPTER_SEVERITIES[level].model_copy(update=own)
