"""Training guides as page contexts (plain data). Pure."""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult, Status, worst
from govkit.model import ModelRecord, TrainingGuideRecord
from govkit.site.card_parts import GuideLink
from govkit.site.cards import header
from govkit.site.plain import CheckData, check_data, plain

# The source chapter's retraining strategies: (description, pros, cons)
STRATEGIES = {
    "scheduled": ("Retrain on a fixed cadence (daily, weekly)", "predictable, simple",
                  "may retrain unnecessarily or too late"),
    "performance": ("Retrain when accuracy drops below a threshold", "efficient, responsive",
                    "requires reliable monitoring"),
    "drift": ("Retrain when data drift exceeds a threshold", "proactive, catches early",
              "drift may not affect accuracy"),
    "data": ("Retrain when significant new data is available", "uses fresh data efficiently",
             "depends on data arrival patterns"),
    "hybrid": ("Scheduled, and triggered early when needed", "balanced",
               "more complex to implement"),
}
APPROACHES = {
    "full": "full retraining: train from scratch on all available data",
    "incremental": "incremental update: update the existing model with new data",
    "sliding-window": "sliding window: retrain on a fixed-length window of recent data (the "
                      "oldest data drops out as the newest comes in)",
    "weighted": "weighted (decay) training: recent data weighs more, w(t) = e^(-λ·age(t))",
}


def page_name() -> str:
    return "training.md"


class Gate(TypedDict):
    """A stage's threshold and the check that holds the pipeline to it."""

    name: str
    value: Any
    check: CheckData | None
    range: str | None


class Stage(TypedDict):
    stage: Any  # the guide's stage, as plain data
    gates: list[Gate]
    inputs: list[str | None]
    outputs: list[str | None]
    resources: str | None
    hyperparameters: str | None


class TrainingContext(TypedDict):
    """Everything training.md.j2 reads, complete when built."""

    header: str
    name: str
    card: Any
    guide: Any
    source: str
    strategy: dict[str, str] | None
    approach: str | None
    stages: list[Stage]
    failing: list[CheckData]
    status: Status | None
    owner_check: CheckData | None


def training_context(
    model: ModelRecord, record: TrainingGuideRecord, results: list[CheckResult]
) -> TrainingContext:
    g = record.guide
    ordered = sorted(results, key=lambda r: (STATUS_ORDER[r.status], r.id))
    gates = {r.id: r for r in results if r.metric}
    stages: list[Stage] = []
    for s in g.pipeline.stages:
        rows: list[Gate] = []
        for name, value in sorted(s.thresholds.items()):
            r = gates.get(f"{model.name}/training/{s.name}/{name}")
            rows.append({"name": name, "value": value,
                         "check": check_data(r) if r is not None else None,
                         "range": str(r.range) if r is not None and r.range.defined else None})
        stages.append({"stage": plain(s), "gates": rows,
                       "inputs": [_pairs(i) for i in s.inputs],
                       "outputs": [_pairs(o) for o in s.outputs],
                       "resources": _pairs(s.resources),
                       "hyperparameters": _pairs(s.hyperparameters)})
    strategy = STRATEGIES.get(g.trigger.strategy) if g.trigger else None
    return {
        "header": header([model.card_source, record.source],
                         f"{model.card.title}: training guide"),
        "name": model.name,
        "card": plain(model.card),
        "guide": plain(g),
        "source": record.source,
        "strategy": None if strategy is None else {
            "description": strategy[0], "pros": strategy[1], "cons": strategy[2]},
        "approach": APPROACHES.get(g.approach) if g.approach else None,
        "stages": stages,
        "failing": [check_data(r) for r in ordered if r.status in ("fail", "warn")],
        "status": worst(results),
        "owner_check": next((check_data(r) for r in results if not r.metric), None),
    }


def _pairs(values: dict[str, Any]) -> str | None:
    return ", ".join(f"{k}: {v}" for k, v in values.items()) or None


def card_training_guide(
    model: ModelRecord, results: list[CheckResult], base: str
) -> GuideLink | None:
    """The link from a card to its model's training guide, with how many checks fail."""
    if model.training_guide is None:
        return None
    return {"link": f"{base}{page_name()}", "failed": sum(r.failed for r in results),
            "warnings": sum(r.status == "warn" for r in results)}
