"""The values an alert's `{placeholders}` take, resolved once when the project is loaded,
so pages and Prometheus rules say the same thing."""

from __future__ import annotations

from govkit.formatting import fmt
from govkit.model import AlertRecord, ModelRecord
from govkit.schemas.alerts import RELATIVE_DROPS
from govkit.schemas.config import Config

VALUE_MARK = "⟨value⟩"  # the trigger's value until a window (or Prometheus) fills it in


def _pct(share: float) -> str:
    return f"{fmt(100 * share)}%"


def owner_text(alert: AlertRecord) -> str:
    owner = alert.owner
    if owner is None:
        return "the model owner (none on the card)"
    contacts = [c for c in (owner.email, owner.chat) if c]
    return owner.name + (f" ({', '.join(contacts)})" if contacts else "")


def placeholder_values(config: Config, model: ModelRecord, alert: AlertRecord) -> dict[str, str]:
    rules = model.monitoring_config.rules
    policy = config.alerting.policy(alert.alert.severity)
    serving, before = model.serving, model.before_serving
    return {
        "model": model.card.title, "metric": alert.watches,
        "threshold": _pct(alert.threshold) if alert.alert.statistic in RELATIVE_DROPS
        else fmt(alert.threshold),
        "range": alert.condition, "value": VALUE_MARK,
        "serving_version": serving.release.version if serving else "the serving version "
        "(none released)",
        "previous_version": before.release.version if before else "the previous version "
        "(none released)",
        "degradation_band": _pct(rules.max_relative_drop),
        "rollback_band": _pct(rules.rollback_relative_drop),
        "min_samples": str(rules.min_samples), "owner": owner_text(alert),
        "response_time": str(policy.response_time), "channels": ", ".join(policy.channels or []),
        "postmortem_days": str(config.alerting.incident_targets.postmortem_days),
    }
