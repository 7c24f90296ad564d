"""The default runbooks by step id: the chapter's "Runbook: Churn Model Degradation Alert"
for model alerts, infrastructure steps for service SLO alerts (its layer 1 thresholds), and
what to do when a business KPI is out of range (its layer 3 advice and severity table).

A model's `alerts.yaml` replaces a step by writing its id, adds one with a new id and a
section, and drops one under `remove:`. `{placeholders}` are filled in on every page.
"""


from typing import NamedTuple

from govkit.schemas.alerts import Section


class DefaultStep(NamedTuple):
    id: str
    section: Section
    text: str


SECTION_TITLES: dict[str, str] = {
    "verify": "Verify alert is genuine",
    "impact": "Assess impact",
    "mitigation": "Decide on mitigation",
    "investigate-data": "Check for data issues",
    "investigate-model": "Check for model issues",
    "investigate-external": "Check for external factors",
    "escalation": "Escalation",
    "recovery": "Recovery validation",
}

DEFAULT_STEPS: tuple[DefaultStep, ...] = (
    DefaultStep("sample-size", "verify", "Check the sample size behind the value: below "
                "{min_samples} labelled rows govkit reports insufficient data, and a small "
                "window may be noise"),
    DefaultStep("previous-window", "verify", "Compare with the previous window's metrics"),
    DefaultStep("infrastructure", "verify", "Check for infrastructure issues: serving errors, "
                "latency, failed pipeline runs"),
    DefaultStep("predictions-affected", "impact", "How many predictions are affected? Which "
                "segments are out of their documented range?"),
    DefaultStep("business", "impact", "Are intervention campaigns or other decisions running "
                "on this model's output?"),
    DefaultStep("rollback", "mitigation", "If the relative drop exceeds {rollback_band}: "
                "consider rollback from {serving_version} to {previous_version}"),
    DefaultStep("prepare-rollback", "mitigation", "If the relative drop is "
                "{degradation_band}–{rollback_band}: monitor closely, prepare rollback to "
                "{previous_version}"),
    DefaultStep("keep-monitoring", "mitigation", "If the relative drop is below "
                "{degradation_band}: continue monitoring"),
    DefaultStep("feature-freshness", "investigate-data", "Feature freshness in the feature "
                "store"),
    DefaultStep("pipeline", "investigate-data", "Data pipeline success status and recent "
                "upstream changes"),
    DefaultStep("feature-drift", "investigate-data", "Feature distribution shifts"),
    DefaultStep("recent-deployments", "investigate-model", "Recent model deployments"),
    DefaultStep("serving-health", "investigate-model", "Serving infrastructure health"),
    DefaultStep("resources", "investigate-model", "Memory/CPU utilization"),
    DefaultStep("seasonal", "investigate-external", "Seasonal effects"),
    DefaultStep("product-changes", "investigate-external", "Product changes"),
    DefaultStep("campaigns", "investigate-external", "Marketing campaigns"),
    DefaultStep("page-owner", "escalation", "Page {owner} via {channels}; respond "
                "{response_time}"),
    DefaultStep("back-in-range", "recovery", "Confirm {metric} returns within {range} in the "
                "next window"),
    DefaultStep("smoke-tests", "recovery", "Run smoke tests on predictions"),
    DefaultStep("root-cause", "recovery", "Document the root cause for the postmortem (due "
                "within {postmortem_days} days)"),
)
DEFAULT_STEP_IDS = frozenset(s.id for s in DEFAULT_STEPS)

# a service SLO alert: the same sections, titled for a service
SERVICE_SECTION_TITLES: dict[str, str] = {
    **SECTION_TITLES,
    "investigate-data": "Check dependencies",
    "investigate-model": "Check saturation",
    "investigate-external": "Check traffic",
}

SERVICE_STEPS: tuple[DefaultStep, ...] = (
    DefaultStep("serving-dashboard", "verify", "Open the serving dashboard: is the breach "
                "held over the alert's window or one spike, on every instance or one?"),
    DefaultStep("recent-deployments", "verify", "Did a deploy of the model, the service, its "
                "configuration or its infrastructure start it?"),
    DefaultStep("requests-affected", "impact", "Which endpoints and what share of requests "
                "are affected? Are callers timing out or retrying?"),
    DefaultStep("business", "impact", "Are intervention campaigns or other decisions waiting "
                "on this service's predictions?"),
    DefaultStep("rollback", "mitigation", "If a deploy lines up with the start: roll back from "
                "{serving_version} to {previous_version} (or the service's last good release)"),
    DefaultStep("scale", "mitigation", "If the service is saturated: scale out replicas or "
                "raise CPU and memory limits"),
    DefaultStep("dependency-fallback", "mitigation", "If a dependency is slow or failing: "
                "serve the documented fallback and page the dependency's owner"),
    DefaultStep("feature-store-latency", "investigate-data", "Feature store and database "
                "latency and error rate, as the service sees them"),
    DefaultStep("downstream-health", "investigate-data", "Health of every other service on "
                "the request path"),
    DefaultStep("resources", "investigate-model", "CPU/GPU utilization (90% sustained), memory "
                "(85%, OOM kills) and request queue depth (a growing trend)"),
    DefaultStep("replicas", "investigate-model", "Ready replicas against desired, restarts, "
                "the autoscaler's limits"),
    DefaultStep("slow-requests", "investigate-model", "The slowest requests: payload or batch "
                "size, cold starts, model loading"),
    DefaultStep("traffic-baseline", "investigate-external", "Throughput against its baseline: "
                "below 80% is a traffic drop or an upstream outage, a surge is a capacity "
                "problem"),
    DefaultStep("traffic-campaigns", "investigate-external", "Marketing campaigns or product "
                "launches sending extra traffic"),
    DefaultStep("page-owner", "escalation", "Page {owner} via {channels}; respond "
                "{response_time}"),
    DefaultStep("infrastructure-oncall", "escalation", "If saturation, a dependency or the "
                "platform is the cause, or scaling and rollback do not help: page "
                "infrastructure on-call"),
    DefaultStep("back-in-range", "recovery", "Confirm {metric} returns within {range} in the "
                "next window"),
    DefaultStep("smoke-tests", "recovery", "Send test requests and check their latency and "
                "errors end to end"),
    DefaultStep("root-cause", "recovery", "Document the root cause for the postmortem (due "
                "within {postmortem_days} days)"),
)
SERVICE_STEP_IDS = frozenset(s.id for s in SERVICE_STEPS)


def default_steps(service: bool) -> tuple[DefaultStep, ...]:
    """The default steps of a service SLO alert (`service`) or of a model alert."""
    return SERVICE_STEPS if service else DEFAULT_STEPS


def default_step_ids(service: bool) -> frozenset[str]:
    return SERVICE_STEP_IDS if service else DEFAULT_STEP_IDS


def section_titles(service: bool) -> dict[str, str]:
    return SERVICE_SECTION_TITLES if service else SECTION_TITLES


# where the business steps start looking, by the infrastructure layer's status in the window
BUSINESS_FIRST_LOOK: dict[str, str] = {
    "green": "Infrastructure is green in this window, so the service is not the cause: the "
    "model keeps serving while outcomes degrade, the chapter's most dangerous failure. Look "
    "at the model layer first: [Live Performance](#live-performance) by segment and "
    "[Feature Drift](#feature-drift), and the runbook of any model alert this window fires",
    "red": "Infrastructure is not green in this window: check its SLOs in the table above "
    "and their runbooks first, then the model layer ([Live Performance](#live-performance), "
    "[Feature Drift](#feature-drift))",
    "unknown": "No infrastructure SLO was observed in this window: rule out the service on "
    "its dashboard (latency, errors, throughput), then look at the model layer "
    "([Live Performance](#live-performance), [Feature Drift](#feature-drift))",
}

# a business KPI out of range: no Prometheus alert, so no runbook page; its monitoring page
# says what to do (the chapter: business degrading while infrastructure is green is the most
# dangerous failure; a significant degradation is High (P2), a minor one Medium (P3))
BUSINESS_STEPS: tuple[str, ...] = (
    "Confirm the change is real: the samples or rows behind it, the baseline window, and "
    "whether the outcome data is complete (business outcomes arrive days to weeks late)",
    "Check the data: feature freshness in the feature store, data pipeline runs, upstream "
    "changes",
    "Rule out external factors: seasonal effects, product changes, marketing campaigns, "
    "an experiment changing who sees the model",
    "Severity: a significant degradation is High (P2, respond within an hour), a minor one "
    "Medium (P3, within 4 hours); notify product stakeholders when the business impact is "
    "significant, page the model's owner when the model or its data is the cause",
)


def escalation_step_id(index: int) -> str:
    """Id of the card's escalation step `index` (0-based) in a runbook: 'escalation-1', ..."""
    return f"escalation-{index + 1}"
