"""One runbook page per alert, in the chapter's structure. Pure: page contexts (plain data).

Trigger; immediate actions (verify, impact, mitigation with the project's own action bands
and the serving and previous versions); investigation (with this model's latest drift
findings and recent versions); escalation (from the card); recovery validation; the
incident phases with their targets; the alert's incident history and governance checks.
"""

from __future__ import annotations

from typing import TypedDict

from govkit.checks.results import CheckResult
from govkit.formatting import fmt
from govkit.model import SHOWN_OP, AlertRecord, ModelRecord, MonitoringRecord, Project
from govkit.schemas.alerts import default_trigger, fill
from govkit.schemas.runbook_steps import default_steps, escalation_step_id, section_titles
from govkit.site.cards import header
from govkit.site.plain import CheckData, check_data
from govkit.site.runbook_facts import Firing, IncidentRow, firing, incident_row, step_refs, where
from govkit.site.runbook_rows import (
    BannerAlert,
    FiringShown,
    Phase,
    Policy,
    RawStep,
    Reviewed,
    Step,
    StepGroup,
    WaiverRow,
)

PHASES = (
    ("Detection and triage", "detection_minutes",
     "confirm the alert is real; assess impact; decide on immediate action"),
    ("Stabilisation", "stabilisation_minutes", "implement mitigation; preserve evidence"),
    ("Investigation", "investigation", "root cause analysis; remediation"),
    ("Postmortem and prevention", "postmortem_days",
     "document the incident; identify preventive actions; implement improvements"),
)


def _steps(model: ModelRecord, alert: AlertRecord,
           values: dict[str, str]) -> dict[str, list[RawStep]]:
    """Default steps, the card's escalation, then the runbook's replacements and additions."""
    steps: list[RawStep] = [{"id": s.id, "section": s.section, "text": fill(s.text, values),
                                    "origin": "default"} for s in default_steps(alert.service)]
    at = next(i for i, s in enumerate(steps) if s["id"] == "page-owner") + 1
    steps[at:at] = [{"id": escalation_step_id(i), "section": "escalation", "origin": "card",
                     "text": f"If {e.condition}: {e.action}"}
                    for i, e in enumerate(model.card.escalation)]
    runbook = alert.runbook
    if runbook is not None:
        by_id = {s["id"]: s for s in steps}
        for own in runbook.steps:
            text = fill(own.text, values)
            if own.id in by_id:
                step = by_id[own.id]
                step.update({"text": text, "origin": "alerts.yaml",
                             "section": own.section or step["section"]})
            else:
                assert own.section is not None  # a new step's section (sources/operations.py)
                steps.append({"id": own.id, "section": own.section, "text": text,
                              "origin": "alerts.yaml"})
        steps = [s for s in steps if s["id"] not in runbook.remove]
    out: dict[str, list[RawStep]] = {section: [] for section in section_titles(alert.service)}
    for step in steps:
        out[step["section"]].append(step)
    return out


def operation_sources(model: ModelRecord) -> list[str]:
    """The files behind a model's alert, runbook and incident pages."""
    files = {model.card_source}
    for alert in model.ops.alerts:
        files.add(alert.where.source)
    files.update(r.where.source for r in model.ops.incidents)
    return sorted(files)


class RunbookContext(TypedDict):
    """Everything runbook.md.j2 (and _runbook.md.j2) reads, complete when built."""

    header: str
    name: str
    title: str
    id: str
    heading: str
    severity: str
    policy: Policy
    trigger: str
    fires_when: str
    basis: str
    written_at: str | None
    default: bool
    owner: str
    action: str | None
    expr: str | None
    hold: str | None
    reviewed: Reviewed | None
    firing: list[FiringShown]
    window: str | None
    immediate: list[StepGroup]
    investigation: list[StepGroup]
    escalation: list[Step]
    recovery: list[Step]
    phases: list[Phase]
    incidents: list[IncidentRow]
    governance: list[CheckData]
    failing: list[CheckData]
    waivers: list[WaiverRow]


def runbook_context(project: Project, model: ModelRecord, alert: AlertRecord,
                    governance: list[CheckResult], live: list[CheckResult]) -> RunbookContext:
    values = dict(alert.values)
    window = model.latest_window
    fired = firing(model, alert, window, live) if window else []
    sections: dict[str, list[Step]] = {
        name: [{**step, "refs": step_refs(step["id"], model, alert, live, "../")}
               for step in steps]
        for name, steps in _steps(model, alert, values).items()}
    policy = project.config.alerting.policy(alert.alert.severity)
    spec = alert.alert
    trigger = spec.trigger or default_trigger(alert.bound)
    targets = project.config.alerting.incident_targets
    mine = [c for c in governance if c.id.rsplit("/", 1)[1] in
            {alert.id, *(r.incident.id for r in alert.incidents)}]
    waivers = [w for w in model.ops.waivers if w.waiver.subject in
               {alert.id, *(r.incident.id for r in alert.incidents)}]
    return {
        "header": header(operation_sources(model), f"{model.card.title}: runbook {alert.id}"),
        "name": model.name, "title": model.card.title, "id": alert.id,
        "heading": (alert.runbook.title if alert.runbook and alert.runbook.title else None)
        or alert_title(alert),
        "severity": spec.severity, "policy": {"name": policy.name,
                                              "response_time": policy.response_time,
                                              "channels": policy.channels or []},
        "trigger": fill(trigger, values),
        "fires_when": f"{alert.watches} {SHOWN_OP[alert.op]} {alert.values['threshold']}",
        "basis": (f"documented range {alert.condition}" if spec.metric else
                  f"govkit.yaml monitoring.rules.{spec.statistic} in force") + ", "
        + (where(alert.threshold_at) or "govkit's default"),
        "written_at": where(alert.where), "default": alert.default,
        "owner": alert.values["owner"],
        "action": fill(spec.action, values) if spec.action else None,
        "expr": fill(spec.expr, {"model": model.name, "metric": str(spec.metric or spec.statistic),
                                 "threshold": fmt(alert.threshold)}) if spec.expr else None,
        "hold": spec.for_ or project.config.alerting.default_for,
        "reviewed": {"date": alert.runbook.last_reviewed.isoformat(),
                     "by": alert.runbook.reviewed_by, "at": where(alert.runbook_at)}
        if alert.runbook else None,
        "firing": [shown(f, trigger, values) for f in fired],
        "window": window.result.window if window else None,
        "immediate": _numbered(sections, ("verify", "impact", "mitigation"), alert.service),
        "investigation": _numbered(sections, ("investigate-data", "investigate-model",
                                              "investigate-external"), alert.service),
        "escalation": sections["escalation"], "recovery": sections["recovery"],
        "phases": [{"name": name, "target": _target(getattr(targets, key), key), "do": do}
                   for name, key, do in PHASES],
        "incidents": [incident_row(r, targets, project.today, "../") for r in
                      reversed(alert.incidents)],
        "governance": [check_data(c) for c in mine],
        "failing": [check_data(c) for c in mine if c.failed],
        "waivers": [{"rule": w.waiver.rule, "subject": w.waiver.subject,
                     "reason": w.waiver.reason, "expires": w.waiver.expires.isoformat(),
                     "approved_by": w.waiver.approved_by, "at": where(w.where)}
                    for w in waivers],
    }


def shown(fired: Firing, trigger: str, values: dict[str, str]) -> FiringShown:
    """A firing fact with the alert's trigger said for its value."""
    return {**fired, "message": fill(trigger, {**values, "value": fired["value"]})}


def _numbered(sections: dict[str, list[Step]], names: tuple[str, ...],
              service: bool) -> list[StepGroup]:
    titles = section_titles(service)
    return [{"title": titles[n], "steps": sections[n]} for n in names if sections[n]]


def _target(value: object, key: str) -> str:
    if key.endswith("_minutes"):
        return f"< {value} min"
    if key.endswith("_days"):
        return f"< {value} days"
    return str(value)


def alert_title(alert: AlertRecord) -> str:
    if alert.alert.title:
        return alert.alert.title
    if alert.bound is not None:
        return f"{alert.watches} " + ("below its documented minimum" if alert.bound == "min"
                                      else "above its documented maximum")
    return f"{alert.watches} alert"


class BannerContext(TypedDict):
    """What runbook_banner.md.j2 reads: the firing alerts, most severe first."""

    alerts: list[BannerAlert]


def monitoring_banner(model: ModelRecord, window: MonitoringRecord,
                      live: list[CheckResult]) -> BannerContext | None:
    """The runbooks of the alerts a window fires, most severe first (for its page's top)."""
    rows: list[BannerAlert] = []
    for alert in sorted(model.ops.alerts, key=lambda a: (a.alert.severity, a.id)):
        fired = firing(model, alert, window, live)
        if fired:
            values = dict(alert.values)
            trigger = alert.alert.trigger or default_trigger(alert.bound)
            rows.append({"id": alert.id, "severity": alert.alert.severity,
                         "title": alert_title(alert),
                         "href": f"../runbooks/{alert.id}.md",
                         "firing": [shown(f, trigger, values)
                                    for f in fired]})
    return {"alerts": rows} if rows else None
