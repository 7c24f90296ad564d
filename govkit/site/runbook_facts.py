"""Facts a runbook step points at: which alerts a window fires, the latest drift findings,
recent versions, incident rows. Pure: plain data; links relative to the page (`up`)."""

from __future__ import annotations

import datetime as dt
import operator
from typing import TypedDict

from govkit.checks.results import CheckResult
from govkit.formatting import fmt
from govkit.model import AlertRecord, IncidentRecord, ModelRecord, MonitoringRecord, Where
from govkit.schemas.alerting import IncidentTargets
from govkit.site.labels import where as metric_where

# feature statistic -> the monitoring tests whose drift findings it stands for
TESTS: dict[str, frozenset[str]] = {
    "ks_p_value": frozenset({"ks"}), "psi": frozenset({"psi", "category_psi"}),
    "z_score": frozenset({"z_score"}), "chi2_p_value": frozenset({"chi_square"}),
    "cosine_distance": frozenset({"cosine_distance"}), "oov_rate": frozenset({"oov_rate"}),
    "null_rate_increase": frozenset({"null_rate"}),
}
_CROSSES = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class Firing(TypedDict):
    """What crosses an alert's threshold in a window, and its value as the page shows it."""

    what: str
    value: str
    window: str


class Ref(TypedDict):
    """A link or fact shown after a runbook step."""

    label: str
    href: str | None
    detail: str | None


class IncidentRow(TypedDict):
    id: str
    date: str
    alert: str
    runbook: str
    severity: str
    summary: str
    root_cause: str | None
    detect: str
    stabilise: str
    postmortem: str
    overdue: bool
    postmortem_url: str | None
    follow_ups: list[str]
    at: str | None


def where(at: Where | None) -> str | None:
    if at is None:
        return None
    return f"{at.source}:{at.line}" if at.line else at.source


def firing(model: ModelRecord, alert: AlertRecord, window: MonitoringRecord,
           live: list[CheckResult]) -> list[Firing]:
    """What in `window` crosses the alert's threshold (its live checks and findings)."""
    spec, result = alert.alert, window.result
    out = []
    if spec.metric is not None:
        for c in live:
            if (c.metric == spec.metric and c.failed and c.value is not None
                    and _CROSSES[alert.op](c.value, alert.threshold)):
                out.append({"what": c.label + (f" ({c.segment})" if c.segment else ""),
                            "value": fmt(c.value)})
    elif spec.statistic in ("max_relative_drop", "rollback_relative_drop"):
        for p in result.performance:
            if (p.relative_drop is not None and p.status != "insufficient_data"
                    and p.relative_drop > alert.threshold):
                out.append({"what": metric_where(model, p),
                            "value": f"{100 * p.relative_drop:.1f}%"})  # as the monitoring page
    else:
        tests = TESTS[str(spec.statistic)]
        for f in (*result.features, *result.prediction_drift):
            if f.test in tests and f.status == "drift" and spec.feature in (None, f.feature):
                shown = f.p_value if str(spec.statistic).endswith("p_value") else f.statistic
                out.append({"what": f"{f.feature} ({f.test})", "value": fmt(shown)})
    return [{"what": f["what"], "value": f["value"], "window": result.window} for f in out]


def step_refs(step: str, model: ModelRecord, alert: AlertRecord, live: list[CheckResult],
              up: str) -> list[Ref]:
    """Links and facts shown after a step, by step id."""
    window = model.latest_window

    def page(w: str) -> str:
        return f"{up}monitoring/{w}.md"

    if window is None and step in ("sample-size", "previous-window", "predictions-affected",
                                   "feature-drift"):
        return [_ref(f"not monitored yet (run govkit monitor {model.name})")]
    if step == "sample-size" and window:
        rows = window.result.current.rows
        return [_ref(f"window {window.result.window}", page(window.result.window),
                     f"{rows} rows" if rows is not None else None)]
    if step == "previous-window":
        if len(model.monitoring) < 2:
            return [_ref("no earlier window yet")]
        previous = model.monitoring[-2].result.window
        return [_ref(f"window {previous}", page(previous))]
    if step == "predictions-affected" and window:
        out = [_ref(f"{c.label} ({c.segment or 'all'}) {fmt(c.value)}", page(window.result.window),
                    c.message) for c in live if c.failed]
        return out or [_ref(f"no documented metric out of range in {window.result.window}")]
    if step == "feature-drift" and window:
        drifted = [f for f in (*window.result.features, *window.result.prediction_drift)
                   if f.status == "drift"]
        out = [_ref(f"{f.feature} ({f.test}, {f.severity})", page(window.result.window))
               for f in drifted]
        return out or [_ref(f"no drift in {window.result.window}", page(window.result.window))]
    if step == "recent-deployments":
        return [_ref(r.release.version, f"{up}versions/{r.release.version}.md",
                     f"{r.release.date.isoformat()}, {r.release.stage or 'no stage'}")
                for r in reversed(model.releases[-3:])] or [_ref("no release yet")]
    if step == "back-in-range" and alert.threshold_at is not None:
        return [_ref("documented at " + str(where(alert.threshold_at)))]
    return []


def _ref(label: str, href: str | None = None, detail: str | None = None) -> Ref:
    return {"label": label, "href": href, "detail": detail}


def incident_row(record: IncidentRecord, targets: IncidentTargets, today: dt.date,
                 up: str) -> IncidentRow:
    incident = record.incident
    due = incident.date + dt.timedelta(days=targets.postmortem_days)
    if incident.postmortem:
        postmortem = "written"
    else:
        postmortem = f"overdue (due {due.isoformat()})" if today > due else \
            f"due {due.isoformat()}"
    return {
        "id": incident.id, "date": incident.date.isoformat(), "alert": incident.alert,
        "runbook": f"{up}runbooks/{incident.alert}.md", "severity": incident.severity,
        "summary": incident.summary, "root_cause": incident.root_cause,
        "detect": _minutes(incident.minutes_to_detect, targets.detection_minutes),
        "stabilise": _minutes(incident.minutes_to_stabilise, targets.stabilisation_minutes),
        "postmortem": postmortem, "overdue": not incident.postmortem and today > due,
        "postmortem_url": incident.postmortem,
        "follow_ups": list(incident.follow_ups), "at": where(record.where),
    }


def _minutes(value: int | None, target: int) -> str:
    if value is None:
        return "not recorded"
    return f"{value} min" + (" (within target)" if value < target else
                             f" (target < {target} min missed)")
