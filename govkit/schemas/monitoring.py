"""Output schema of a monitoring run: drift findings, performance checks, recommended action."""


import json
import math
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govkit.schemas.common import empty_list
from govkit.schemas.severity import SeverityLevel

DriftStatus = Literal["ok", "drift", "insufficient_data"]
MetricStatus = Literal[
    "pass", "degraded", "possible_degradation", "not_evaluated", "no_baseline",
    "insufficient_data",  # schema_version 1 only; read as not_evaluated
]
EVALUATED = ("pass", "degraded", "possible_degradation")

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DetailValue = str | int | float | bool | list[str] | None


class WindowDescriptor(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    path: str | None = Field(default=None, description="File or directory the window came from.")
    rows: int | None = Field(default=None, description="Row count (None if unknown).")
    source: Literal["table", "profile", "dataset", "evidently"] = Field(
        default="table", description="How the window was read."
    )


class Distribution(BaseModel):
    """Reference and current shares per bin or category, for charts."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    labels: list[str] = Field(description="Bin ranges or category names.")
    reference: list[float] = Field(description="Share of reference rows per label.")
    current: list[float] = Field(description="Share of current rows per label.")


class Finding(BaseModel):
    """One test on one feature (or on the prediction scores)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    feature: str = Field(description="Column name.")
    kind: str = Field(description="numeric, categorical, high_cardinality, text or embedding.")
    test: str = Field(
        description="ks, psi, z_score, null_rate, chi_square, category_psi, new_categories, "
        "cosine_distance, oov_rate, new_column (or an imported Evidently test name)."
    )
    statistic: float | None = Field(default=None, description="Test statistic or distance.")
    p_value: float | None = Field(default=None, description="p-value, for hypothesis tests.")
    p_adjusted: float | None = Field(
        default=None, description="p-value after the window's multiple-testing correction "
        "(decides the status)."
    )
    effect_size: float | None = Field(default=None, description="Effect size beside p.")
    effect_size_name: str | None = Field(default=None, description="e.g. ks_statistic.")
    thresholds: dict[str, float] = Field(default_factory=dict, description="Rules applied.")
    status: DriftStatus = Field(description="ok, drift or insufficient_data.")
    severity: SeverityLevel = Field(default="none", description="Alert severity.")
    reference_size: int | None = Field(default=None, description="Non-null reference values.")
    current_size: int | None = Field(default=None, description="Non-null current values.")
    detail: dict[str, DetailValue] = Field(
        default_factory=dict, description="Extra facts, e.g. unseen_categories, unseen_share."
    )
    distribution: Distribution | None = Field(
        default=None, description="Binned shares behind a PSI finding (for charts)."
    )


class PerformanceMetric(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = Field(description="accuracy, precision, recall or roc_auc.")
    value: float | None = Field(description="Metric value; None when undefined.")
    sample_size: int = Field(description="Labelled rows used.")
    n_effective: int | None = Field(
        default=None, description="Rows behind the metric: all (accuracy), predicted positives "
        "(precision), positives (recall), min(positives, negatives) (roc_auc)."
    )
    ci_low: float | None = Field(default=None, description="Lower end of the interval.")
    ci_high: float | None = Field(default=None, description="Upper end of the interval.")
    confidence: float | None = Field(default=None, description="Confidence of the interval.")
    method: str | None = Field(default=None, description="Interval and test used.")
    baseline: float | None = Field(default=None, description="Documented baseline value.")
    baseline_source: str | None = Field(
        default=None, description="'overall' or 'segment <name>': which documented value."
    )
    relative_drop: float | None = Field(
        default=None, description="(baseline - value) / baseline; positive is worse."
    )
    p_value: float | None = Field(
        default=None, description="One-sided p-value of H0: metric >= baseline."
    )
    p_adjusted: float | None = Field(
        default=None, description="p-value after the window's multiple-testing correction."
    )
    rows_needed: int | None = Field(
        default=None, description="About how many rows would make the observed drop significant."
    )
    status: MetricStatus = Field(
        description="pass, degraded, possible_degradation, not_evaluated or no_baseline."
    )
    reason: str | None = Field(default=None, description="Why, in words, with the evidence.")
    severity: SeverityLevel = Field(default="none", description="Alert severity.")
    segment: str | None = Field(default=None, description="'column=value', None for overall.")

    @property
    def evaluated(self) -> bool:
        return self.status in EVALUATED


class EstimatedMetric(BaseModel):
    """A metric expected from calibrated scores before labels arrive (CBPE)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = Field(description="accuracy, precision, recall or roc_auc.")
    value: float | None = Field(description="Expected value; None when undefined.")
    ci_low: float | None = Field(default=None, description="Interval for the realised value.")
    ci_high: float | None = Field(default=None, description="Interval for the realised value.")
    confidence: float | None = Field(default=None, description="Confidence of the interval.")
    sample_size: int = Field(description="Scored rows.")
    measured: float | None = Field(
        default=None, description="The value measured from labels, once the window has them."
    )


class SegmentRow(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    column: str = Field(description="Segment column.")
    value: str = Field(description="Segment value (as text).")
    sample_size: int = Field(description="Labelled rows in the segment.")
    metrics: dict[str, float | None] = Field(description="Metric values for the segment.")
    baseline_source: str | None = Field(
        default=None, description="'segment <name>' when a release segment documents this one's "
        "baseline, 'overall' when it falls back to the overall values."
    )


class RecommendedAction(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    action: str = Field(description="Seed runbook action for the worst relative drop.")
    worst_relative_drop: float | None = Field(
        default=None, description="Largest drop among metrics with enough data."
    )
    basis: str | None = Field(default=None, description="Metric (and segment) it came from.")
    unconfirmed: str | None = Field(
        default=None, description="The largest drop beyond the band that is not yet significant."
    )
    not_evaluated: int = Field(default=0, description="Live metrics not evaluated (too few rows).")


class LabelJoin(BaseModel):
    """Coverage of labels joined from a later file (`--labels-from`)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    file: str = Field(description="The labels file joined.")
    key: str = Field(description="The join key column.")
    window_rows: int = Field(description="Rows of the current window.")
    labels_rows: int = Field(description="Rows of the labels file.")
    matched_rows: int = Field(description="Window rows whose key is in the labels file.")
    unlabelled_rows: int = Field(
        description="Window rows left without a label (no matching key, or a null label).")
    unmatched_labels: int = Field(description="Labels whose key matches no window row.")
    duplicate_window_keys: int = Field(
        description="Keys that appear more than once in the window (each row gets the label).")


class LayerValue(BaseModel):
    """A service SLO or business KPI read by `govkit observe` for the window."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: str = Field(description="The card's SLO or KPI key.")
    value: float | None = Field(description="The value; None when not evaluated.")
    status: Literal["evaluated", "not_evaluated"] = Field(description="Whether a value was read.")
    reason: str | None = Field(default=None, description="Why it was not evaluated.")
    query: str = Field(description="The PromQL, SQL or file read.")
    start: str = Field(description="Start of the time range (ISO 8601, inclusive).")
    end: str = Field(description="End of the time range (ISO 8601, exclusive).")
    samples: int | None = Field(default=None, description="Samples or rows behind the value "
                                "(None: not known, e.g. for a hand-written PromQL query).")
    baseline: float | None = Field(default=None, description="Value of the baseline window.")
    baseline_samples: int | None = Field(default=None, description="Rows of the baseline.")


class Layers(BaseModel):
    """The two other monitoring layers of the window, beside drift and performance."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    service: list[LayerValue] = Field(default_factory=empty_list,
                                      description="Infrastructure SLOs.")
    business: list[LayerValue] = Field(default_factory=empty_list, description="Business KPIs.")


class MonitoringResult(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    schema_version: Literal[1, 2] = Field(
        default=2, description="Result format version (1: before intervals and tests)."
    )
    model: str = Field(description="Model name.")
    window: str = Field(description="Window label, a safe slug such as 2024-06-01 or 2024-W23.")
    model_version: str | None = Field(
        default=None, description="Release version the window scored; its documented values "
        "are the baselines and ranges (None: not recorded, checked against the latest)."
    )
    version_basis: str | None = Field(
        default=None, description="How the version was chosen: --version, or the latest "
        "release dated on or before the window."
    )
    reference: WindowDescriptor = Field(description="Reference window.")
    current: WindowDescriptor = Field(description="Current window.")
    psi_method: str = Field(description="Exact PSI variant used.")
    ks_method: str = Field(default="", description="How KS statistics and p-values were got.")
    features: list[Finding] = Field(default_factory=empty_list, description="Per-feature findings.")
    prediction_drift: list[Finding] = Field(
        default_factory=empty_list, description="Drift of the prediction scores (needs no labels)."
    )
    performance: list[PerformanceMetric] = Field(
        default_factory=empty_list, description="Metrics overall and per segment."
    )
    segments: list[SegmentRow] = Field(default_factory=empty_list, description="Segment table.")
    estimated_performance: list[EstimatedMetric] = Field(
        default_factory=empty_list, description="Metrics expected from calibrated scores (CBPE), "
        "kept beside the measured ones once labels arrive."
    )
    labels_pending: str | None = Field(
        default=None, description="Label column configured but not in this window yet: "
        "performance is estimated only, until `--labels-from` joins the labels."
    )
    label_join: LabelJoin | None = Field(
        default=None, description="Coverage of labels joined with `--labels-from`."
    )
    estimation_method: str | None = Field(
        default=None, description="How the estimate was made and the assumption it rests on."
    )
    recommended_action: RecommendedAction = Field(description="From the seed's bands.")
    drifted_features: list[str] = Field(
        default_factory=empty_list, description="Features with at least one drift finding."
    )
    max_severity: SeverityLevel = Field(default="none", description="Worst severity found.")
    layers: Layers | None = Field(
        default=None, description="Service and business layers (`govkit observe`).")

    @field_validator("window")
    @classmethod
    def _safe_slug(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError(f"window must be a safe slug ([A-Za-z0-9._-], max 64): {v!r}")
        return v

    def to_json(self) -> str:
        data = self.model_dump(mode="json")
        if data["layers"] is None:
            del data["layers"]  # results without layers stay byte-identical
        return dump_json(data)


def finite_floats(value: Any) -> Any:
    """NaN and infinities become None (JSON has no such numbers); every other float is kept
    at full precision (Python writes the shortest text that reads back as the same float)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite_floats(v) for v in value]
    return value


def dump_json(data: Any) -> str:
    """Deterministic JSON: sorted keys, full-precision floats, 2-space indent, final newline."""
    return json.dumps(finite_floats(data), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
