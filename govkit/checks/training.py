"""Training guides against the model cards. Pure: no I/O.

- `<model>/training/<stage>/<threshold>`: the pipeline's evaluation gate must be the bound
  the card documents for that metric (fail when they differ, naming both files and lines;
  warn when the card documents no such metric or no bound on the gated side)
- `<model>/training/owner`: the guide names no owner (warn)
- `<model>/training/reviewed`: older than the last pipeline change (warn)
"""

from __future__ import annotations

from govkit.checks.documents import cadence_event, freshness
from govkit.checks.metrics import documented_range
from govkit.checks.results import (
    CheckResult,
    DocumentedRange,
    Kind,
    ModelSubject,
    Status,
    applicable,
    card_range,
    metric_label,
)
from govkit.model import ModelRecord, Project, TrainingGuideRecord

KIND: Kind = "training"


def check_training_guides(project: Project) -> list[CheckResult]:
    results: list[CheckResult] = []
    for model in project.models:
        guide = model.training_guide
        if guide is None:
            continue
        results.append(_owner(model, guide))
        status, message = freshness(project, guide.source, guide.guide.last_reviewed,
                                    cadence_event(project, project.config.freshness
                                                  .training_guide, model=model))
        doc = guide.doc
        results.append(_result(model, guide, "reviewed", "", "training guide: reviewed",
                               status, message, doc.line_of(("last_reviewed",))
                               or doc.line_of(("pipeline",))))
        for s, stage in enumerate(guide.guide.pipeline.stages):
            for name, value in sorted(stage.thresholds.items()):
                loc = ("pipeline", "stages", s, "thresholds", name)
                results.append(_gate(model, guide, stage.name, name, value, loc))
    return results


def _result(
    model: ModelRecord, guide: TrainingGuideRecord, rule: str, metric: str, label: str,
    status: Status, message: str, line: int | None, value: float | None = None,
    rng: DocumentedRange | None = None,
) -> CheckResult:
    return CheckResult(
        id=f"{model.name}/training/{rule}", model=model.name,
        version=model.latest.release.version if model.latest else "", metric=metric,
        label=label, segment=None, value=value, range=rng or DocumentedRange(None, None, "card"),
        status=status, message=message, source=guide.source, line=line, kind=KIND,
        subject=ModelSubject(model.name),
    )


def _owner(model: ModelRecord, guide: TrainingGuideRecord) -> CheckResult:
    doc = guide.doc
    owner = guide.guide.owner
    if owner is None:
        return _result(model, guide, "owner", "", "training guide: owner", "warn",
                       "the training guide names no owner (add owner: with a name and role; "
                       "the chapter: an ML engineer)", doc.line_of(("pipeline",)))
    return _result(model, guide, "owner", "", "training guide: owner", "pass",
                   f"owned by {owner.name}", doc.line_of(("owner",)))


def _documented(model: ModelRecord, key: str) -> DocumentedRange:
    if model.latest is not None:
        return documented_range(model, model.latest, key, ("metrics", key))
    return applicable(None, card_range(model, key))


def _gate(
    model: ModelRecord, guide: TrainingGuideRecord, stage: str, name: str, value: float,
    loc: tuple[str | int, ...],
) -> CheckResult:
    key = guide.guide.metrics.get(name, name)
    line = guide.doc.line_of(loc)
    here = f"{guide.source}:{line}"
    label = f"training gate: {metric_label(model.card, key)}"
    rule = f"{stage}/{name}"
    known = key in model.card.metrics or (
        model.latest is not None and key in model.latest.release.metrics)
    if not known:
        mapped = f" (mapped from '{name}')" if key != name else ""
        return _result(model, guide, rule, key, label, "warn",
                       f"the pipeline gates on '{key}'{mapped} ({here}), which the card does "
                       "not document: add it under metrics in card.yaml with its range, or map "
                       "the name under metrics: in training.yaml", line, value)
    definition = model.card.metrics.get(key)
    lower = definition is not None and definition.goal == "lower"
    rng = _documented(model, key)
    bound = rng.max if lower else rng.min
    gate = str(DocumentedRange(None, value, "pipeline") if lower
               else DocumentedRange(value, None, "pipeline"))
    if bound is None:
        side = "maximum" if lower else "minimum"
        return _result(model, guide, rule, key, label, "warn",
                       f"the pipeline's gate {gate} ({here}) has no counterpart: the card "
                       f"documents no {side} for '{key}' (document it in card.yaml)",
                       line, value, rng)
    assert rng.where is not None  # a documented bound has a line
    where = f"{rng.where.source}:{rng.where.line}"
    if bound == value:
        return _result(model, guide, rule, key, label, "pass",
                       f"the pipeline's gate {gate} agrees with the documented range "
                       f"{rng} ({where})", line, value, rng)
    return _result(model, guide, rule, key, label, "fail",
                   f"the pipeline's gate {gate} ({here}) disagrees with the documented range "
                   f"{rng} ({where}): make them the same", line, value, rng)
