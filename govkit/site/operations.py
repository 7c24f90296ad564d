"""A model's alerts index and incident history as page contexts, and the links to its
alerts, runbooks and incidents from the card and the monitoring pages. Pure: plain data."""

from __future__ import annotations

from typing import TypedDict

from govkit.checks.results import CheckResult
from govkit.model import AlertRecord, ModelRecord, Project
from govkit.schemas.alerts import default_trigger, fill
from govkit.site.card_parts import AlertRow, CardOperations
from govkit.site.cards import header
from govkit.site.plain import CheckData, check_data
from govkit.site.runbook_facts import IncidentRow, firing, incident_row, where
from govkit.site.runbook_rows import SeverityRow, WaiverRow
from govkit.site.runbooks import (
    SHOWN_OP,
    alert_title,
    operation_sources,
)

SEVERITIES = ("P1", "P2", "P3", "P4")


class AlertsContext(TypedDict):
    """Everything alerts.md.j2 reads, complete when built."""

    header: str
    name: str
    title: str
    policies: list[SeverityRow]
    default_severity: str
    alerts: list[AlertRow]
    governance: list[CheckData]
    failing: list[CheckData]
    waivers: list[WaiverRow]
    incidents: bool


class IncidentsContext(TypedDict):
    """Everything incidents.md.j2 reads, complete when built."""

    header: str
    name: str
    title: str
    targets: dict[str, int]
    incidents: list[IncidentRow]


def _alert_row(project: Project, model: ModelRecord, alert: AlertRecord,
               live: list[CheckResult], up: str) -> AlertRow:
    spec = alert.alert
    window = model.latest_window
    values = dict(alert.values)
    return {
        "id": alert.id, "title": alert_title(alert), "severity": spec.severity,
        "href": f"{up}{alert.id}.md",
        "fires_when": f"{alert.watches} {SHOWN_OP[alert.op]} {alert.values['threshold']}",
        "trigger": fill(spec.trigger or default_trigger(alert.bound), values),
        "owner": alert.values["owner"], "default": alert.default,
        "reviewed": alert.runbook.last_reviewed.isoformat() if alert.runbook else None,
        "incidents": len(alert.incidents),
        "firing": bool(window and firing(model, alert, window, live)),
    }


def alerts_context(project: Project, model: ModelRecord, governance: list[CheckResult],
                   live: list[CheckResult]) -> AlertsContext:
    alerting = project.config.alerting
    policies: list[SeverityRow] = []
    for level in SEVERITIES:
        policy = alerting.policy(level)
        policies.append({"level": level, "name": policy.name,
                         "response_time": policy.response_time,
                         "channels": policy.channels or [], "prometheus": policy.prometheus})
    return {
        "header": header(operation_sources(model), f"{model.card.title}: alerts and runbooks"),
        "name": model.name, "title": model.card.title,
        "policies": policies, "default_severity": alerting.default_severity,
        "alerts": [_alert_row(project, model, a, live, "") for a in model.ops.alerts],
        "governance": [check_data(c) for c in governance],
        "failing": [check_data(c) for c in governance if c.failed],
        "waivers": [{"rule": w.waiver.rule, "subject": w.waiver.subject,
                     "reason": w.waiver.reason, "expires": w.waiver.expires.isoformat(),
                     "approved_by": w.waiver.approved_by, "at": where(w.where)}
                    for w in model.ops.waivers],
        "incidents": bool(model.ops.incidents),
    }


def incidents_context(project: Project, model: ModelRecord) -> IncidentsContext:
    targets = project.config.alerting.incident_targets
    return {
        "header": header(operation_sources(model), f"{model.card.title}: incidents"),
        "name": model.name, "title": model.card.title,
        "targets": {"detect": targets.detection_minutes,
                    "stabilise": targets.stabilisation_minutes,
                    "postmortem": targets.postmortem_days},
        "incidents": [incident_row(r, targets, project.today, "")
                      for r in reversed(model.ops.incidents)],
    }


def card_operations(project: Project, model: ModelRecord, governance: list[CheckResult],
                    live: list[CheckResult]) -> CardOperations | None:
    """The card's "Alerts and Runbooks" section: each alert, the latest incidents."""
    if not model.ops.alerts:
        return None
    targets = project.config.alerting.incident_targets
    return {
        "alerts": [_alert_row(project, model, a, live, "runbooks/") for a in model.ops.alerts],
        "incidents": [incident_row(r, targets, project.today, "")
                      for r in reversed(model.ops.incidents[-3:])],
        "more_incidents": len(model.ops.incidents) > 3,
        "has_incidents": bool(model.ops.incidents),
        "failing": [check_data(c) for c in governance if c.failed],
    }
