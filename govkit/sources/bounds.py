"""The thresholds an alert watches: a documented metric bound, or a monitoring rule.

Which range is documented is `checks.results.applicable`, the rule the checks use: a
hand-written range on the latest release, else the card's range, else a range the training
run declared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.checks.results import (
    DocumentedRange,
    applicable,
    card_range,
    release_range,
    slo_range,
)
from govkit.model import ModelRecord, Where, YamlDoc

SERVICE = "service/"  # a service SLO among the documented bounds
# the range of an SLO's alert expression: its query over the last minutes, not the window
ALERT_SPAN = "5m"

# statistic -> (label, comparison that fires)
STATISTICS: dict[str, tuple[str, str]] = {
    "ks_p_value": ("KS p-value", "<"),
    "psi": ("PSI", ">="),
    "z_score": ("mean shift |z|", ">"),
    "chi2_p_value": ("chi-square p-value", "<"),
    "cosine_distance": ("embedding cosine distance", ">"),
    "oov_rate": ("OOV rate", ">"),
    "null_rate_increase": ("null-rate increase", ">"),
    "max_relative_drop": ("relative drop (degradation band)", ">"),
    "rollback_relative_drop": ("relative drop (rollback band)", ">"),
}

def documented_bounds(model: ModelRecord) -> dict[str, DocumentedRange]:
    """Every metric of the card or the latest release that has a documented bound, with the
    range that applies (`checks.results.applicable`), and every bounded service SLO of the
    card as `service/<key>`."""
    latest = model.latest
    keys = set(model.card.metrics) | (set(latest.release.metrics) if latest else set())
    out: dict[str, DocumentedRange] = {}
    for key in sorted(keys):
        rng = applicable(release_range(latest, ("metrics", key)) if latest else None,
                         card_range(model, key))
        if rng.defined:
            out[key] = rng
    service = model.card.service
    for key, slo in sorted(service.slos.items() if service else []):
        rng = slo_range(model, key, slo, service is not None and service.defaults == "seed")
        if rng.defined:  # the SLO's check id names it service/<key>, as alerts do
            out[f"{SERVICE}{key}"] = rng
    return out


@dataclass(frozen=True)
class StatisticThreshold:
    """A drift statistic's threshold and where it is set."""

    label: str
    value: float
    op: str
    where: Where | None  # None: govkit's default rule


def statistic_threshold(model: ModelRecord, statistic: str, feature: str | None,
                        config_doc: YamlDoc, index: int) -> StatisticThreshold:
    """The threshold of `statistic` in force for `feature` (govkit.yaml monitoring.rules)."""
    rules = model.monitoring_config.rules
    label, op = STATISTICS[statistic]
    base = ("models", index, "monitoring", "rules")
    override = rules.features.get(feature) if feature else None
    where = None
    if override is not None and getattr(override, statistic, None) is not None:
        loc: tuple[str | int, ...] = (*base, "features", str(feature), statistic)
        where = Where(Path(config_doc.path).name, config_doc.line_of(loc))
    elif statistic in rules.model_fields_set:
        where = Where(Path(config_doc.path).name, config_doc.line_of((*base, statistic)))
    value = getattr(rules.for_feature(feature) if feature else rules, statistic)
    return StatisticThreshold(label + (f" of {feature}" if feature else ""), float(value), op,
                              where)
