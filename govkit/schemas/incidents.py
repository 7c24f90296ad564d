"""`models/<name>/incidents.yaml`: what happened, how fast it was handled, what was learned."""


from typing import Annotated

from pydantic import Field

from govkit.schemas.alerts import AlertSeverity
from govkit.schemas.common import IsoDate, Slug, Strict, Text, empty_list

# A postmortem link is shown as a link: only plain http(s) URLs, nothing a browser runs.
Url = Annotated[str, Field(pattern="^https?://[^\\s<>()\\[\\]{}\"'`\\\\]+$")]


class Incident(Strict):
    id: Slug = Field(description="Stable incident id, e.g. '2024-02-03-new-users-auc'.")
    date: IsoDate = Field(description="Day the incident started.")
    alert: Slug = Field(description="Id of the alert that fired (or should have).")
    severity: AlertSeverity = Field(description="Severity it was handled at, P1 to P4.")
    summary: Text = Field(description="One or two sentences: what happened, what it cost.")
    minutes_to_detect: int | None = Field(
        None, ge=0, description="Minutes from the start to the alert being confirmed.")
    minutes_to_stabilise: int | None = Field(
        None, ge=0, description="Minutes from detection to mitigation in place.")
    root_cause: str | None = Field(None, description="The root cause, once known.")
    postmortem: Url | None = Field(None, description="Link to the written postmortem.")
    follow_ups: list[Text] = Field(default_factory=empty_list,
                                   description="Preventive actions agreed in the postmortem.")


class IncidentsFile(Strict):
    """`models/<name>/incidents.yaml`."""

    incidents: list[Incident] = Field(default_factory=empty_list,
        description="Incidents of this model, newest or oldest first.")
