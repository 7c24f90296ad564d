"""The release gate: a candidate version against its documented ranges and against the
version now serving (pure: records in, verdicts out).

A candidate passes when every documented range holds and, metric by metric, it is not worse
than the serving version by more than the card's `margin`. With a confidence interval (or a
sample size, for metrics that are proportions) on both sides, "worse" means significantly
worse: a one-sided z-test at 5% that the drop exceeds the margin. Without them, the point
estimates are compared and the verdict says so.
"""

from __future__ import annotations

import math

from govkit.checks.metrics import check_release
from govkit.checks.results import Comparison, GateResult, GateVerdict, metric_label
from govkit.model import ModelRecord, ReleaseRecord
from govkit.schemas.release import MetricValue

Z_95 = 1.959964  # two-sided 95% interval -> standard error
Z_ONE_SIDED = 1.644854  # one-sided 5% test
def serving_record(model: ModelRecord, against: str | None,
                   candidate: str) -> tuple[ReleaseRecord | None, str]:
    """The release behind alias `against` (MLflow registry aliases), else the serving
    release (govkit.yaml's serving alias, MLflow's Production stage), else the newest
    production release other than the candidate."""
    if against:
        for record in reversed(model.releases):
            registry = record.release.training.registry if record.release.training else None
            if registry and against in registry.aliases:
                return record, f"alias {against}"
        return None, f"alias {against}"
    choice = model.serving_choice()
    if choice.known and choice.record and choice.record.release.version != candidate:
        return choice.record, choice.basis
    for record in reversed(model.releases):
        if record.release.stage == "production" and record.release.version != candidate:
            return record, "stage production"
    return None, "stage production"


def gate(model: ModelRecord, candidate: ReleaseRecord, serving: ReleaseRecord | None,
         against: str) -> GateResult:
    checks = check_release(model, candidate)  # segments too: aggregates hide failures
    comparisons = []
    for key, metric in sorted(candidate.release.metrics.items()):
        old = serving.release.metrics.get(key) if serving else None
        comparisons.append(compare_metric(model, key, metric, old))
    return GateResult(model.name, candidate.release.version,
                      serving.release.version if serving else None, against, checks,
                      comparisons)


def compare_metric(model: ModelRecord, key: str, new: MetricValue,
                   old: MetricValue | None) -> Comparison:
    definition = model.card.metrics.get(key)
    margin = definition.margin if definition and definition.margin is not None else 0.0
    sign = -1.0 if definition and definition.goal == "lower" else 1.0
    label = metric_label(model.card, key, new)
    if old is None:
        return Comparison(key, label, new.value, None, None, margin, None, None,
                          "not_compared", "no serving value")
    difference = new.value - old.value
    drop = -sign * difference  # positive: the candidate is worse
    stderr, how = _stderr(new, old)
    if stderr is None or stderr == 0:
        verdict: GateVerdict = "regression" if drop > margin else "pass"
        return Comparison(key, label, new.value, old.value, difference, margin, None, None,
                          verdict, f"point estimates ({how})")
    z = (drop - margin) / stderr
    verdict = "regression" if z > Z_ONE_SIDED else "pass"
    return Comparison(key, label, new.value, old.value, difference, margin, stderr, z, verdict,
                      f"one-sided z-test at 5% ({how})")


def _stderr(new: MetricValue, old: MetricValue) -> tuple[float | None, str]:
    if new.ci and old.ci:
        se = [(m.ci[1] - m.ci[0]) / (2 * Z_95) for m in (new, old) if m.ci]
        return math.hypot(*se), "95% intervals"
    sizes = (new.sample_size, old.sample_size)
    values = (new.value, old.value)
    if all(sizes) and all(0.0 <= v <= 1.0 for v in values):
        se = [math.sqrt(v * (1 - v) / n) for v, n in zip(values, sizes, strict=True) if n]
        return math.hypot(*se), "sample sizes, as proportions"
    return None, "no interval or sample size on both sides"
