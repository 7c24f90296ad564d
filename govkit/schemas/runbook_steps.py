"""The default runbook: the chapter's "Runbook: Churn Model Degradation Alert", by step id.

A model's `alerts.yaml` replaces a step by writing its id, adds one with a new id and a
section, and drops one under `remove:`. `{placeholders}` are filled in on every page.
"""

from __future__ import annotations

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


def escalation_step_id(index: int) -> str:
    """Id of the card's escalation step `index` (0-based) in a runbook: 'escalation-1', ..."""
    return f"escalation-{index + 1}"
