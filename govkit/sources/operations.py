"""Load a model's `alerts.yaml` and `incidents.yaml` and resolve every alert: the threshold
it watches (from the documented range or the monitoring rules), its owner, its runbook and
its incidents. Every reference is checked here, with FILE:LINE problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from govkit.checks.results import DocumentedRange, Side
from govkit.errors import Problem
from govkit.formatting import slug
from govkit.model import (
    AlertRecord,
    IncidentRecord,
    ModelRecord,
    Operations,
    WaiverRecord,
    Where,
    YamlDoc,
    dotted,
)
from govkit.schemas.alerts import ALERT_RULES, Alert, AlertsFile
from govkit.schemas.card import Person
from govkit.schemas.config import Config
from govkit.schemas.incidents import IncidentsFile
from govkit.schemas.layers import promql
from govkit.schemas.runbook_steps import default_step_ids, escalation_step_id
from govkit.sources.alert_values import placeholder_values
from govkit.sources.bounds import ALERT_SPAN, SERVICE, documented_bounds, statistic_threshold
from govkit.sources.files import max_bytes
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import read_doc

ALERTS_NAME = "alerts.yaml"
INCIDENTS_NAME = "incidents.yaml"
DEFAULT_ACTION = ("Compare the relative drop with the action bands: below {degradation_band} "
                  "keep monitoring, up to {rollback_band} prepare rollback to "
                  "{previous_version}, above it consider rollback")
# a service SLO's default alert: the infrastructure layer, where a rollback of the model
# rarely helps (the seed's escalation: page infrastructure on-call)
SLO_ACTION = ("Check the serving infrastructure (recent deploys, instance health, CPU, memory, "
              "request queue) and page infrastructure on-call if the model service is not the "
              "cause")


class _Context:
    """What resolving one model's operations needs, and where its problems go."""

    def __init__(self, model: ModelRecord, root: Path, config: Config, config_doc: YamlDoc,
                 index: int, problems: list[Problem]) -> None:
        self.model, self.root, self.config = model, root, config
        self.config_doc, self.index, self.problems = config_doc, index, problems

    def read(self, name: str) -> YamlDoc | None:
        path = self.model.folder / name
        if not path.is_file():
            return None
        return read_doc(path, self.problems, max_bytes(self.config.limits.max_file_mb))

    def rel(self, name: str) -> str:
        return (self.model.folder / name).relative_to(self.root).as_posix()

    def problem(self, doc: YamlDoc, loc: tuple[str | int, ...], message: str,
                hint: str = "") -> None:
        self.problems.append(Problem(doc.path, doc.line_of(loc), dotted(loc), message, hint))


def load_operations(model: ModelRecord, root: Path, config: Config, config_doc: YamlDoc,
                    index: int, today: dt.date, problems: list[Problem]) -> Operations:
    ctx = _Context(model, root, config, config_doc, index, problems)
    alerts_doc, incidents_doc = ctx.read(ALERTS_NAME), ctx.read(INCIDENTS_NAME)
    spec = validate_doc(AlertsFile, alerts_doc, problems) if alerts_doc else AlertsFile()
    history = (validate_doc(IncidentsFile, incidents_doc, problems) if incidents_doc
               else IncidentsFile())
    if spec is None or history is None:
        return Operations()
    ops = Operations(team=spec.team)
    ops.alerts = _alerts(ctx, spec, alerts_doc)
    if alerts_doc is not None:
        _runbooks(ctx, spec, alerts_doc, ops)
    if incidents_doc is not None:
        _incidents(ctx, history, incidents_doc, ops)
    if alerts_doc is not None:
        _waivers(ctx, spec, alerts_doc, ops, today)
    return ops


def _alerts(ctx: _Context, spec: AlertsFile, doc: YamlDoc | None) -> list[AlertRecord]:
    model = ctx.model
    bounds = documented_bounds(model)
    out: list[AlertRecord] = []
    watched: set[tuple[str, str]] = set()
    for i, alert in enumerate(spec.alerts):
        assert doc is not None  # alerts come from a file
        if any(a.id == alert.id for a in out):
            ctx.problem(doc, ("alerts", i, "id"), f"alert '{alert.id}' is written twice",
                        "give each alert its own id")
            continue
        owner = _owner(ctx, doc, i, alert)
        where = Where(ctx.rel(ALERTS_NAME), doc.line_of(("alerts", i)))
        if alert.metric is not None:
            record = _metric_alert(ctx, doc, i, alert, bounds, owner, where)
            if record is not None:
                watched.add((alert.metric, record.op[0]))
        else:
            record = _statistic_alert(ctx, doc, i, alert, owner, where)
        if record is not None:
            out.append(record)
    if spec.default_alerts:
        out.extend(_defaults(ctx, bounds, watched, {a.id for a in out}))
    for record in out:
        record.values = placeholder_values(ctx.config, model, record)
    return out


def _owner(ctx: _Context, doc: YamlDoc, i: int, alert: Alert) -> Person | None:
    owners = ctx.model.card.owners
    if alert.owner is None:
        return owners[0] if owners else None
    found = next((p for p in owners if p.name == alert.owner), None)
    if found is None:
        names = ", ".join(p.name for p in owners) or "none yet"
        ctx.problem(doc, ("alerts", i, "owner"),
                    f"'{alert.owner}' is not an owner on {ctx.model.card_source}",
                    f"use one of the card's owners ({names}) or add them under owners:")
    return found


def _metric_alert(ctx: _Context, doc: YamlDoc, i: int, alert: Alert,
                  bounds: dict[str, DocumentedRange],
                  owner: Person | None, where: Where) -> AlertRecord | None:
    key = str(alert.metric)
    documented = bounds.get(key)
    if not documented:
        known = ", ".join(sorted(bounds)) or "none"
        ctx.problem(doc, ("alerts", i, "metric"),
                    f"'{key}' is not a documented metric of model '{ctx.model.name}' (no "
                    "allowed range on the card or the latest release)",
                    f"document its range under metrics: in card.yaml, or use one of: {known}")
        return None
    sides = documented.sides
    bound: Side | None = alert.bound or (sides[0] if len(sides) == 1 else None)
    if bound is None:
        ctx.problem(doc, ("alerts", i, "metric"), f"'{key}' has both a min and a max",
                    "write bound: min or bound: max")
        return None
    if bound not in sides:
        ctx.problem(doc, ("alerts", i, "bound"), f"'{key}' has no documented {bound}",
                    f"use bound: {sides[0]}")
        return None
    return _metric_record(ctx, alert, key, bound, documented, owner, where, default=False)


def _metric_record(ctx: _Context, alert: Alert, key: str, bound: Side,
                   documented: DocumentedRange, owner: Person | None,
                   where: Where, *, default: bool) -> AlertRecord:
    at = documented.at(bound)
    assert at is not None  # a documented bound has a place
    return AlertRecord(alert=alert, default=default, watches=_label(ctx.model, key),
                       threshold=documented.bound(bound), op=documented.breach_op(bound),
                       range=documented, where=where, threshold_at=at, owner=owner,
                       bound=bound)


def _slo_expr(model: ModelRecord, key: str) -> str | None:
    """A service SLO's own PromQL over the last ALERT_SPAN (None: not an SLO)."""
    service = model.card.service
    slo = service.slos.get(key.removeprefix(SERVICE)) if service and \
        key.startswith(SERVICE) else None
    return promql(slo, ALERT_SPAN)[0] if slo else None


def _label(model: ModelRecord, key: str) -> str:
    service = model.card.service
    if service and key.startswith(SERVICE) and key.removeprefix(SERVICE) in service.slos:
        return service.slos[key.removeprefix(SERVICE)].label or key.removeprefix(SERVICE)
    definition = model.card.metrics.get(key)
    if definition and definition.label:
        return definition.label
    latest = model.latest.release.metrics.get(key) if model.latest else None
    return latest.label if latest and latest.label else key


def _statistic_alert(ctx: _Context, doc: YamlDoc, i: int, alert: Alert, owner: Person | None,
                     where: Where) -> AlertRecord | None:
    feature = alert.feature
    known = _known_features(ctx.model)
    if feature is not None and known and feature not in known:
        ctx.problem(doc, ("alerts", i, "feature"),
                    f"'{feature}' is not a monitored feature of model '{ctx.model.name}'",
                    "use one of: " + ", ".join(sorted(known)))
        return None
    stat = statistic_threshold(ctx.model, str(alert.statistic), feature, ctx.config_doc,
                               ctx.index)
    return AlertRecord(alert=alert, default=False, watches=stat.label, threshold=stat.value,
                       op=stat.op, range=None,
                       where=where, threshold_at=stat.where, owner=owner)


def _known_features(model: ModelRecord) -> set[str]:
    """Configured features, else every feature any monitoring window has tested."""
    configured = model.monitoring_config.features
    if configured:
        return set(configured)
    return {f.feature for w in model.monitoring
            for f in (*w.result.features, *w.result.prediction_drift)}


def _defaults(ctx: _Context, bounds: dict[str, DocumentedRange],
              watched: set[tuple[str, str]], taken: set[str]) -> list[AlertRecord]:
    alerting = ctx.config.alerting
    owners = ctx.model.card.owners
    out = []
    for key, documented in sorted(bounds.items()):
        for bound in documented.sides:
            if (key, "<" if bound == "min" else ">") in watched:
                continue
            alert_id = f"{slug(key)}-{'below-min' if bound == 'min' else 'above-max'}"
            if alert_id in taken:
                continue
            op = documented.breach_op(bound)
            watched_expr = _slo_expr(ctx.model, key) or alerting.metric_gauge
            alert = Alert.model_validate({
                "id": alert_id, "metric": key, "bound": bound,
                "severity": alerting.default_severity,
                "action": SLO_ACTION if key.startswith(SERVICE) else DEFAULT_ACTION,
                "expr": f"{watched_expr} {op} {{threshold}}" if watched_expr else None,
            })
            at = documented.at(bound)
            assert at is not None  # a documented bound has a place
            out.append(_metric_record(ctx, alert, key, bound, documented,
                                      owners[0] if owners else None, at, default=True))
    return out


def _runbooks(ctx: _Context, spec: AlertsFile, doc: YamlDoc, ops: Operations) -> None:
    escalation = {escalation_step_id(n) for n in range(len(ctx.model.card.escalation))}
    for i, runbook in enumerate(spec.runbooks):
        record = ops.alert(runbook.alert)
        if record is None:
            ctx.problem(doc, ("runbooks", i, "alert"),
                        f"no alert '{runbook.alert}' in model '{ctx.model.name}'",
                        "use one of: " + ", ".join(a.id for a in ops.alerts))
            continue
        if record.runbook is not None:
            ctx.problem(doc, ("runbooks", i, "alert"),
                        f"alert '{runbook.alert}' already has a runbook", "merge the two")
            continue
        known_steps = default_step_ids(record.service) | escalation
        for j, step in enumerate(runbook.steps):
            if step.id not in known_steps and step.section is None:
                ctx.problem(doc, ("runbooks", i, "steps", j, "id"),
                            f"'{step.id}' is not a default step",
                            "add section: to add a new step, or use a default id: "
                            + ", ".join(sorted(known_steps)))
        for j, removed in enumerate(runbook.remove):
            if removed not in known_steps:
                ctx.problem(doc, ("runbooks", i, "remove", j),
                            f"'{removed}' is not a default step", "use one of: "
                            + ", ".join(sorted(known_steps)))
        record.runbook = runbook
        record.runbook_at = Where(ctx.rel(ALERTS_NAME), doc.line_of(("runbooks", i)))


def _incidents(ctx: _Context, history: IncidentsFile, doc: YamlDoc, ops: Operations) -> None:
    seen: set[str] = set()
    for i, incident in enumerate(history.incidents):
        if incident.id in seen:
            ctx.problem(doc, ("incidents", i, "id"),
                        f"incident '{incident.id}' is written twice", "give each its own id")
            continue
        seen.add(incident.id)
        record = ops.alert(incident.alert)
        if record is None:
            ctx.problem(doc, ("incidents", i, "alert"),
                        f"no alert '{incident.alert}' in model '{ctx.model.name}'",
                        "use one of: " + ", ".join(a.id for a in ops.alerts))
            continue
        entry = IncidentRecord(incident, Where(ctx.rel(INCIDENTS_NAME),
                                               doc.line_of(("incidents", i))))
        ops.incidents.append(entry)
        record.incidents.append(entry)
    ops.incidents.sort(key=lambda r: (r.incident.date, r.incident.id))
    for alert in ops.alerts:
        alert.incidents.sort(key=lambda r: (r.incident.date, r.incident.id))


def _waivers(ctx: _Context, spec: AlertsFile, doc: YamlDoc, ops: Operations,
             today: dt.date) -> None:
    seen: set[tuple[str, str]] = set()
    incidents = {r.incident.id for r in ops.incidents}
    for i, waiver in enumerate(spec.waivers):
        if waiver.rule not in ALERT_RULES:
            ctx.problem(doc, ("waivers", i, "rule"), f"{waiver.rule} waives a document check",
                        "write it in waivers.yaml beside govkit.yaml")
            continue
        subjects = incidents if waiver.rule == "postmortem-due" else {a.id for a in ops.alerts}
        kind = "incident" if waiver.rule == "postmortem-due" else "alert"
        if waiver.subject not in subjects:
            ctx.problem(doc, ("waivers", i, "subject"),
                        f"no {kind} '{waiver.subject}' in model '{ctx.model.name}'",
                        "use one of: " + (", ".join(sorted(subjects)) or "none"))
        elif (waiver.rule, waiver.subject) in seen:
            ctx.problem(doc, ("waivers", i), f"{waiver.rule} of '{waiver.subject}' is "
                        "waived twice", "keep one waiver")
        elif waiver.expires < today:
            ctx.problem(doc, ("waivers", i, "expires"),
                        f"waiver of {waiver.rule} for '{waiver.subject}' expired on "
                        f"{waiver.expires.isoformat()}",
                        "fix what it waives, or renew it with a new reason and expiry date")
        else:
            seen.add((waiver.rule, waiver.subject))
            ops.waivers.append(WaiverRecord(waiver, Where(ctx.rel(ALERTS_NAME),
                                                          doc.line_of(("waivers", i)))))
