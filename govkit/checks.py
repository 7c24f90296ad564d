"""Documented ranges + current values -> check results. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from govkit.errors import InputError, Problem
from govkit.formatting import fmt, slug
from govkit.model import AlertRecord, ModelRecord, MonitoringRecord, Project, ReleaseRecord, Where
from govkit.schemas.alerts import DOCUMENT_RULES
from govkit.schemas.card import Card, MetricDefinition
from govkit.schemas.monitoring import PerformanceMetric
from govkit.schemas.release import MetricValue, documented_segment

# "warn": a governance rule is broken (e.g. the data dictionary disagrees with the data);
# shown on pages, a failure only under `govkit check --strict`. "waived": a failure accepted
# until its waiver expires.
Status = Literal["pass", "fail", "warn", "no_range", "insufficient_data", "waived"]
Scope = Literal["serving", "latest", "all"]
STATUS_ORDER: dict[str, int] = {
    "fail": 0, "warn": 1, "insufficient_data": 2, "no_range": 3, "waived": 4, "pass": 5,
}


@dataclass(frozen=True)
class Range:
    min: float | None
    max: float | None
    source: str
    exclusive: bool = False
    text: str | None = None  # a governance rule's requirement, shown instead of bounds

    @property
    def defined(self) -> bool:
        return self.min is not None or self.max is not None

    def __str__(self) -> str:
        if self.text:
            return self.text
        if self.min is not None and self.max is not None:
            return f"{fmt(self.min)} – {fmt(self.max)}" + (" (exclusive)" if self.exclusive else "")
        if self.min is not None:
            return f"{'>' if self.exclusive else '≥'} {fmt(self.min)}"
        if self.max is not None:
            return f"{'<' if self.exclusive else '≤'} {fmt(self.max)}"
        return "not documented"


@dataclass(frozen=True)
class CheckResult:
    """One documented metric evaluated against its allowed range."""

    id: str  # stable: model/version/[segment/]metric
    model: str
    version: str
    metric: str
    label: str
    segment: str | None
    value: float | None
    range: Range
    status: Status
    message: str
    source: str  # file that documents the range, relative to the project
    line: int | None  # line of the range (or of the value when no range)
    kind: str = "release"
    window: str | None = None  # monitoring window of a live check
    severity: str | None = None  # P1–P4/info/none when the source states one (live checks)
    dataset: str | None = None  # data dictionary of a "dictionary" check

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def effective_range(
    metric: MetricValue | None, definition: MetricDefinition | None
) -> tuple[Range, str]:
    """Hand-written release range > card range > range declared by the training run."""
    own = (Range(metric.min, metric.max, metric.range_source, metric.exclusive) if metric
           else Range(None, None, ""))
    card = (Range(definition.min, definition.max, "card", definition.exclusive) if definition
            else Range(None, None, ""))
    if own.defined and metric is not None and metric.range_source == "hand-written":
        return own, "release"
    if card.defined:
        return card, "card"
    return own, "release"


@dataclass(frozen=True)
class Documented:
    """A metric's allowed range and the file and line that document it."""

    range: Range
    source: str | None
    line: int | None


def documented_range(
    model: ModelRecord, record: ReleaseRecord, key: str, loc: tuple[str | int, ...]
) -> Documented:
    """Range of metric `key` of a release (its value at `loc`), with where it is written."""
    metric = _metric_at(record, loc)
    rng, where = effective_range(metric, model.card.metrics.get(key))
    if not rng.defined:
        return Documented(rng, None, None)
    bound = "min" if rng.min is not None else "max"
    if where == "card":
        return Documented(rng, model.card_source, model.card_doc.line_of(("metrics", key, bound)))
    return Documented(rng, record.source, record.doc.line_of((*loc, bound)))


def _metric_at(record: ReleaseRecord, loc: tuple[str | int, ...]) -> MetricValue | None:
    release = record.release
    if loc[0] == "segments":
        return release.segments[int(loc[1])].metrics.get(str(loc[3]))
    return release.metrics.get(str(loc[1]))


def evaluate(value: float | None, rng: Range) -> tuple[Status, str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "insufficient_data", "no value"
    if not rng.defined:
        return "no_range", "no allowed range documented"
    if rng.min is not None and (value <= rng.min if rng.exclusive else value < rng.min):
        return "fail", f"{fmt(value)} is below the allowed range {rng}"
    if rng.max is not None and (value >= rng.max if rng.exclusive else value > rng.max):
        return "fail", f"{fmt(value)} is above the allowed range {rng}"
    return "pass", f"{fmt(value)} is within {rng}"


def check_release(model: ModelRecord, record: ReleaseRecord) -> list[CheckResult]:
    release = record.release
    results = [
        _result(model, record, key, metric, None, ("metrics", key))
        for key, metric in sorted(release.metrics.items())
    ]
    for index, segment in enumerate(release.segments):
        for key, metric in sorted(segment.metrics.items()):
            loc = ("segments", index, "metrics", key)
            results.append(_result(model, record, key, metric, segment.name, loc))
    return results


def _result(
    model: ModelRecord, record: ReleaseRecord, key: str, metric: MetricValue,
    segment: str | None, loc: tuple[str | int, ...],
) -> CheckResult:
    doc = documented_range(model, record, key, loc)
    status, message = evaluate(metric.value, doc.range)
    seg = f"segment/{slug(segment)}/" if segment else ""
    return CheckResult(
        id=f"{model.name}/{record.release.version}/{seg}{key}",
        model=model.name,
        version=record.release.version,
        metric=key,
        label=metric_label(model.card, key, metric),
        segment=segment,
        value=metric.value,
        range=doc.range,
        status=status,
        message=message,
        source=doc.source or record.source,
        line=doc.line or record.doc.line_of(loc),
    )


def metric_label(card: Card, key: str, metric: MetricValue | None = None) -> str:
    if metric is not None and metric.label:
        return metric.label
    definition = card.metrics.get(key)
    return definition.label if definition and definition.label else key


def live_status(live: PerformanceMetric, rng: Range) -> tuple[Status, str]:
    """A live metric against its documented range, deciding on the interval, not the point:
    a value outside the range fails only when its whole interval is outside too; a metric
    that was not evaluated is never a pass."""
    n = f"n = {live.sample_size}"
    if live.status in ("not_evaluated", "insufficient_data") or live.value is None:
        why = live.reason or "too few labelled rows"
        return "insufficient_data", f"not evaluated: {why} ({n})"
    status, message = evaluate(live.value, rng)
    if live.ci_low is None or live.ci_high is None:
        return status, f"live {message} ({n})"
    ci = (f"{100 * (live.confidence or 0.95):g}% interval {fmt(live.ci_low)} – "
          f"{fmt(live.ci_high)}, {n}")
    if status != "fail":
        return status, f"live {message} ({ci})"
    below = rng.min is not None and evaluate(live.value, Range(rng.min, None, ""))[0] == "fail"
    optimistic = live.ci_high if below else live.ci_low
    if evaluate(optimistic, rng)[0] == "fail":
        return "fail", f"live {message} ({ci})"
    return "insufficient_data", (f"live {message}, but its {ci} reaches into the range: "
                                 "not yet significant")


def check_window(model: ModelRecord, window: MonitoringRecord) -> list[CheckResult]:
    """Live metrics of one window against the documented ranges of the release it scored
    (recorded in the result; the latest release for results that do not record one)."""
    record = model.window_release(window)
    if record is None:
        return []
    results = []
    release = record.release
    for index, live in enumerate(window.result.performance):
        key = model.card_metric(live.name)
        loc: tuple[str | int, ...] = ("metrics", key)
        seg = documented_segment(release.segments, live.segment) if live.segment else None
        if seg is not None and key in release.segments[seg].metrics:
            loc = ("segments", seg, "metrics", key)  # the segment documents its own range
        elif key not in release.metrics and key not in model.card.metrics:
            continue  # not a documented metric of this model
        doc = documented_range(model, record, key, loc)
        status, message = live_status(live, doc.range)
        part = f"segment/{slug(live.segment)}/" if live.segment else ""
        results.append(CheckResult(
            id=f"{model.name}/live/{window.result.window}/{part}{key}",
            model=model.name, version=record.release.version, metric=key,
            label=metric_label(model.card, key, _metric_at(record, loc)),
            segment=live.segment, value=live.value, range=doc.range, status=status,
            message=message, source=doc.source or window.source,
            line=doc.line or window.doc.line_of(("performance", index)),
            kind="monitoring", window=window.result.window, severity=live.severity,
        ))
    return results


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
        range=Range(None, None, "governance", text=requirement), status=status,
        message=message, source=where.source, line=where.line, kind="governance",
    )


def check_project(project: Project, scope: Scope = "all") -> list[CheckResult]:
    """Every documented metric of every release and the live metrics of every monitoring
    window ("all"), or of each model's serving release ("serving", see
    `ModelRecord.serving_choice`) or latest release ("latest") and its latest window; then
    the governance rules of each model's alerts, runbooks and incidents."""
    results: list[CheckResult] = []
    days = project.config.alerting.incident_targets.postmortem_days
    for model in project.models:
        serving = model.serving
        records = (model.releases if scope == "all" else
                   [serving] if scope == "serving" and serving else model.releases[-1:])
        windows = model.monitoring if scope == "all" else model.monitoring[-1:]
        for record in records:
            results.extend(check_release(model, record))
        for window in windows:
            results.extend(check_window(model, window))
        results.extend(check_operations(model, project.today, days))
    # documents other than cards: their modules build on the types above
    from govkit.architecture_checks import check_systems
    from govkit.dictionary_checks import check_dictionaries
    from govkit.document_checks import check_documents
    from govkit.training_checks import check_training_guides

    results.extend(check_dictionaries(project))
    results.extend(check_training_guides(project))
    results.extend(check_systems(project))
    results.extend(check_documents(project))
    return apply_waivers(project, results)


def waived_id(rule: str, subject: str, model: str | None) -> str:
    """The id of the check a waiver names: an alert rule of a model's alerts.yaml, or a
    document rule of waivers.yaml (see schemas/alerts.DOCUMENT_RULES)."""
    if model is not None:
        return f"{model}/governance/{rule}/{subject}"
    return DOCUMENT_RULES[rule][1].format(subject=subject)


def apply_waivers(project: Project, results: list[CheckResult]) -> list[CheckResult]:
    """A failing or warning check named by a waiver is "waived" until the waiver expires
    (expired waivers never load). A waiver of waivers.yaml that names no check is bad input."""
    waivers = {waived_id(w.waiver.rule, w.waiver.subject, m.name): w
               for m in project.models for w in m.ops.waivers}
    waivers.update({waived_id(w.waiver.rule, w.waiver.subject, None): w
                    for w in project.waivers})
    ids = {r.id for r in results}
    problems = [Problem(w.where.source, w.where.line, "subject",
                        f"{w.waiver.rule} of '{w.waiver.subject}' waives no check (no {key})",
                        f"the subject names {DOCUMENT_RULES[w.waiver.rule][0]}")
                for key, w in waivers.items() if key not in ids and w in project.waivers]
    if problems:
        raise InputError(problems)
    out = []
    for r in results:
        w = waivers.get(r.id)
        if w is not None and r.status in ("fail", "warn"):
            r = replace(r, status="waived", message=f"{r.message}; waived until "
                        f"{w.waiver.expires.isoformat()}: {w.waiver.reason}")
        out.append(r)
    return out


def strictly(results: Iterable[CheckResult]) -> list[CheckResult]:
    """`--strict`: every warning becomes a failure (the message is kept)."""
    return [replace(r, status="fail") if r.status == "warn" else r for r in results]


def worst(results: Iterable[CheckResult]) -> Status | None:
    statuses: list[Status] = [r.status for r in results]
    return min(statuses, key=lambda s: STATUS_ORDER[str(s)]) if statuses else None
