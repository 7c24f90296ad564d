"""Every field of the files whose change can move a verdict, classified once: which way
loosens (a test walks the schemas and fails on a field missing here, so a new one cannot
be forgotten). Pure data; `review/settings.py` compares settings with it."""

from __future__ import annotations

from typing import Literal

# higher / lower: that way loosens; true: True loosens; fewer: members removed loosen;
# more: members added loosen (e.g. id columns, never tested); later: a later date loosens;
# severity: a milder level loosens; any: no order, every change needs review.
Direction = Literal["higher", "lower", "true", "fewer", "more", "later", "severity", "any"]

RULE_FIELDS: dict[str, Direction] = {
    "ks_p_value": "lower", "min_ks_statistic": "higher", "psi": "higher",
    "psi_moderate": "higher", "psi_p_value": "lower", "z_score": "higher",
    "chi2_p_value": "lower", "min_cramers_v": "higher", "cosine_distance": "higher",
    "oov_rate": "higher", "null_rate_increase": "higher", "require_effect_size": "true",
}
_SEVERITIES = ("performance_drop_severe", "performance_drop", "performance_drop_possible",
               "drift_significant", "prediction_drift", "drift_moderate",
               "null_rate_increase", "new_categories", "stale_data")

# (schema class, field) -> direction: compared by review/settings.py
VERDICT: dict[tuple[str, str], Direction] = {
    ("MetricDefinition", "margin"): "higher",
    ("MetricDefinition", "goal"): "any",
    ("MetricDefinition", "kind"): "any",  # picks the gate's test
    ("MonitoringConfig", "features"): "fewer",
    ("MonitoringConfig", "predictions"): "any",
    ("MonitoringConfig", "labels"): "any",
    ("MonitoringConfig", "segments"): "fewer",
    ("MonitoringConfig", "ids"): "more",
    ("MonitoringConfig", "timestamp"): "any",
    ("MonitoringConfig", "reference_predictions"): "any",
    ("MonitoringConfig", "metrics"): "any",
    ("MonitoringConfig", "cadence_days"): "higher",
    ("MonitoringConfig", "proxies"): "fewer",
    ("ProxyMetric", "column"): "any",
    ("ProxyMetric", "statistic"): "any",
    ("ProxyMetric", "stands_for"): "any",
    **{("Rules", k): v for k, v in RULE_FIELDS.items()},
    **{("FeatureRule", k): v for k, v in RULE_FIELDS.items()},
    ("FeatureRule", "kind"): "any",
    ("Rules", "reference_agreement"): "lower",
    ("Rules", "reference_rank_correlation"): "lower",
    ("Rules", "reference_mean_abs_difference"): "higher",
    ("Rules", "max_age_hours"): "higher",
    ("Rules", "min_samples"): "higher",
    ("Rules", "max_relative_drop"): "higher",
    ("Rules", "rollback_relative_drop"): "higher",
    ("Rules", "confidence"): "higher",
    ("Rules", "alpha"): "lower",
    ("Rules", "multiple_testing"): "any",
    ("Rules", "psi_variant"): "any",
    ("Rules", "decision_threshold"): "any",
    ("Rules", "psi_bins"): "any",
    ("Rules", "psi_floor"): "any",
    ("Rules", "high_cardinality"): "any",
    ("Rules", "top_k"): "any",
    ("Rules", "sketch_size"): "any",
    ("Rules", "max_vocabulary"): "any",
    ("Rules", "features"): "fewer",
    **{("SeverityConfig", k): "severity" for k in _SEVERITIES},
    ("Waiver", "expires"): "later",
    # the card's service SLOs and business KPIs (schemas/layers.py)
    ("Service", "defaults"): "any",
    ("Service", "slos"): "fewer",
    **{(c, "min"): "lower" for c in ("ServiceSlo", "BusinessKpi")},
    **{(c, "max"): "higher" for c in ("ServiceSlo", "BusinessKpi")},
    **{("ServiceSlo", f): "any" for f in ("kind", "query", "metric", "labels", "quantile",
                                          "statistic", "unit", "step")},
    ("ServiceSlo", "baseline"): "lower",
    ("ServiceSlo", "min_ratio"): "lower",
    ("BusinessKpi", "max_relative_change"): "higher",
    ("BusinessKpi", "goal"): "any",
    ("BusinessKpi", "baseline_window"): "any",
    ("BusinessKpi", "unit"): "any",
    **{("KpiSource", f): "any" for f in ("file", "sql", "database", "column", "window_column",
                                         "aggregate")},
}

# Verdict-changing fields compared elsewhere in review/, and why.
COMPARED_ELSEWHERE: dict[tuple[str, str], str] = {
    **{(c, f): "documented ranges (review/ranges.py)"
       for c in ("MetricDefinition", "MetricValue") for f in ("min", "max", "exclusive")},
    ("MetricValue", "range_source"): "documented ranges (review/ranges.py)",
    **{("MetricValue", f): "measured values and status flips (review/engine.py)"
       for f in ("value", "ci", "sample_size", "source")},
    ("Segment", "name"): "measured values and status flips (review/engine.py)",
    ("Release", "version"): "versions added and removed (review/engine.py)",
    ("Release", "stage"): "serving version (review/engine.py aliases)",
    ("RegistryInfo", "aliases"): "alias moves (review/engine.py)",
    ("RegistryInfo", "stage"): "serving version (review/engine.py aliases)",
    ("RegistryInfo", "deleted"): "serving version (review/engine.py aliases)",
    ("Waiver", "rule"): "a waiver added or removed (review/settings.py)",
    ("Waiver", "subject"): "a waiver added or removed (review/settings.py)",
}

# Fields that change no verdict: descriptions, provenance, display (allowlist, by class).
NOT_VERDICT: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "Card": "title summary limitations caveats_and_recommendations last_reviewed tags",
    "ModelDetails": "developed_by model_type task description framework license citation "
                    "repository references",
    "IntendedUse": "primary_uses primary_users out_of_scope",
    "Factors": "relevant evaluation",
    "DataDescription": "description size features label_definition sources preprocessing",
    "Consideration": "name description",
    "Person": "name role email chat",
    "EscalationStep": "condition action",
    "MetricDefinition": "label description",
    "Release": "date description changes",
    "MetricValue": "label",
    "Segment": "description size",
    "Training": "source tracking_uri registered_model log_file params metric_history "
                "artifacts registered_model_description experiment_name signature_error",
    "RegistryInfo": "version description tags created updated model_id source status",
    "AliasSpan": "alias since until",
    "RunInfo": "id name experiment_id start_time end_time duration_s user git_commit "
               "source_name status tags",
    "DatasetInput": "name digest source_type source schema_ profile context",
    "SignatureField": "name type required",
    "Rules": "batch_size",
    "ServiceSlo": "label",
    "BusinessKpi": "label connection",
    # measured by ingest from the run's predictions table, not a setting a change can loosen
    "PredictionCounts": "rows positives negatives",
    "PredictionsRecord": "artifact run_id rows positives negatives",
    # which columns ingest read (provenance); the gate's own verdicts are compared as verdicts
    "PredictionColumns": "row_id target prediction score segments",
    "Waiver": "reason approved_by",
}.items()}
