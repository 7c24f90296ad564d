"""The alert design rules and incident hygiene of a model's operations. Pure: no I/O."""

from __future__ import annotations

import datetime as dt

from govkit.checks.results import CheckResult, DocumentedRange, ModelSubject, Status
from govkit.model import AlertRecord, ModelRecord, Where

# Governance rules of alerts, runbooks and incidents: id -> what must hold
GOVERNANCE_RULES: dict[str, str] = {
    "alert-runbook": "a P1/P2 alert has a runbook",
    "alert-owner-contact": "a P1/P2 alert pages an owner with a contact",
    "alert-action": "every alert has a clear action",
    "runbook-reviewed": "the runbook is reviewed after each incident",
    "postmortem-due": "a postmortem within {days} days of the incident",
}


def check_operations(model: ModelRecord, today: dt.date,
                     postmortem_days: int) -> list[CheckResult]:
    """The chapter's alert design rules and incident hygiene, each waivable until a date."""
    results = []
    for alert in model.ops.alerts:
        results.extend(_alert_rules(model, alert))
    for entry in model.ops.incidents:
        incident = entry.incident
        due = incident.date + dt.timedelta(days=postmortem_days)
        if incident.postmortem is not None:
            ok, message = True, "postmortem written"
        elif today <= due:
            ok, message = True, f"postmortem due by {due.isoformat()} (not yet due)"
        else:
            ok, message = False, (f"no postmortem {postmortem_days} days after the incident "
                                  f"of {incident.date.isoformat()} (due {due.isoformat()})")
        results.append(_governance(model, "postmortem-due", incident.id, ok, message,
                                   entry.where, days=postmortem_days))
    return results


def _alert_rules(model: ModelRecord, alert: AlertRecord) -> list[CheckResult]:
    severity = alert.alert.severity
    out = []
    if severity in ("P1", "P2"):
        review = alert.runbook.last_reviewed.isoformat() if alert.runbook else None
        out.append(_governance(
            model, "alert-runbook", alert.id, review is not None,
            f"{severity} alert has a runbook, reviewed {review}" if review else
            f"{severity} alert has no runbook (only govkit's generated draft)", alert.where))
        owner = alert.owner
        contact = owner.email or owner.chat if owner else None
        out.append(_governance(
            model, "alert-owner-contact", alert.id, contact is not None,
            f"{severity} alert pages {owner.name} ({contact})" if owner and contact else
            f"{severity} alert pages {owner.name}, who has no email or chat on the card"
            if owner else f"{severity} alert has no owner to page (the card lists none)",
            alert.where))
    out.append(_governance(model, "alert-action", alert.id, alert.alert.action is not None,
                           "alert states an action" if alert.alert.action else
                           "alert states no action", alert.where))
    if alert.incidents:
        last = alert.incidents[-1].incident
        reviewed = alert.runbook.last_reviewed if alert.runbook else None
        ok = reviewed is not None and reviewed >= last.date
        after = f"incident {last.id} of {last.date.isoformat()}"
        message = (f"runbook reviewed {reviewed.isoformat()}, " if reviewed else "no runbook "
                   "reviewed, ") + ("not before " if ok else "before ") + after
        out.append(_governance(model, "runbook-reviewed", alert.id, ok, message,
                               alert.runbook_at or alert.where))
    return out


def _governance(model: ModelRecord, rule: str, subject: str, ok: bool, message: str,
                where: Where, **fill: int) -> CheckResult:
    status: Status = "pass" if ok else "fail"
    requirement = GOVERNANCE_RULES[rule].format(**fill)
    return CheckResult(
        id=f"{model.name}/governance/{rule}/{subject}", model=model.name, version="",
        metric=rule, label=f"{rule} {subject}", segment=None, value=None,
        range=DocumentedRange(None, None, "governance", text=requirement), status=status,
        message=message, source=where.source, line=where.line, kind="governance",
        subject=ModelSubject(model.name),
    )
