"""Rule configuration: thresholds, per-feature overrides and the severity mapping."""


from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from govkit.schemas.common import default_of, member_of
from govkit.schemas.severity import SeverityLevel


class FeatureKind(StrEnum):
    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    HIGH_CARDINALITY = "high_cardinality"
    TEXT = "text"
    EMBEDDING = "embedding"
    TIMESTAMP = "timestamp"


# Files are validated strictly: a YAML string must become a member first.
KindName = Annotated[FeatureKind, member_of(FeatureKind)]


class SeverityConfig(BaseModel):
    """Severity per finding event (seed alert levels; see docs/monitoring-statistics.md)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    performance_drop_severe: SeverityLevel = Field(
        default="P1",
        description="A metric dropped more than the rollback band (default >10%).",
    )
    performance_drop: SeverityLevel = Field(
        default="P2", description="A metric dropped more than the degradation limit (5-10%)."
    )
    performance_drop_possible: SeverityLevel = Field(
        default="info", description="A metric is below its baseline by more than the band, "
        "but not yet significantly (a warning that asks for more labels).",
    )
    drift_significant: SeverityLevel = Field(
        default="P3", description="A feature drift test crossed its alert threshold."
    )
    prediction_drift: SeverityLevel = Field(
        default="P3", description="The model's score distribution drifted."
    )
    drift_moderate: SeverityLevel = Field(
        default="P4", description="Slight shift below the alert level (PSI 0.1-0.2)."
    )
    null_rate_increase: SeverityLevel = Field(
        default="P4", description="A feature's null rate rose more than allowed."
    )
    new_categories: SeverityLevel = Field(
        default="info", description="Categories never seen in the reference appeared."
    )
    stale_data: SeverityLevel = Field(
        default="P3", description="The newest timestamp is older than max_age_hours."
    )


class FeatureRule(BaseModel):
    """Per-feature overrides; ``None`` keeps the global value."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    kind: KindName | None = Field(default=None, description="Force the feature kind.")
    ks_p_value: float | None = Field(default=None, description="KS alert when p < this.")
    min_ks_statistic: float | None = Field(default=None, description="KS effect-size floor.")
    psi: float | None = Field(default=None, description="PSI alert at or above this.")
    psi_moderate: float | None = Field(default=None, description="PSI slight-shift level.")
    psi_p_value: float | None = Field(default=None, description="PSI significance level.")
    z_score: float | None = Field(default=None, description="Alert when |z| > this.")
    chi2_p_value: float | None = Field(default=None, description="Chi-square alert when p < this.")
    min_cramers_v: float | None = Field(default=None, description="Cramér's V effect-size floor.")
    cosine_distance: float | None = Field(default=None, description="Embedding alert above this.")
    oov_rate: float | None = Field(default=None, description="Text alert above this OOV rate.")
    null_rate_increase: float | None = Field(default=None, description="Alert above this increase.")
    require_effect_size: bool | None = Field(
        default=None, description="Require the effect-size floor as well as the p-value."
    )


class Rules(BaseModel):
    """Global thresholds (seed defaults) plus per-feature overrides in ``features``."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    ks_p_value: float = Field(default=0.01, description="KS alert when p < this.")
    min_ks_statistic: float = Field(
        default=0.1, description="KS statistic floor if effect required."
    )
    psi: float = Field(default=0.2, description="PSI alert (significant drift) at or above this.")
    psi_moderate: float = Field(default=0.1, description="PSI slight shift at or above this.")
    psi_p_value: float = Field(
        default=0.01, gt=0, le=1, description="A PSI band counts only if noise alone reaches "
        "the PSI less often than this (chi-square approximation)."
    )
    psi_variant: Literal["corrected", "seed"] = Field(
        default="corrected", description="corrected: open outer bins, bands on PSI minus its "
        "no-drift expectation, and significant; seed: the chapter's calculate_psi (bins closed "
        "at the reference min/max) with the bands on the raw value, for legacy reports."
    )
    z_score: float = Field(
        default=3.0, description="Alert when |mean_cur - mean_ref| / std_ref > this."
    )
    chi2_p_value: float = Field(default=0.01, description="Chi-square alert when p < this.")
    min_cramers_v: float = Field(default=0.1, description="Cramér's V floor if effect required.")
    cosine_distance: float = Field(default=0.1, description="Mean-embedding cosine distance alert.")
    oov_rate: float = Field(default=0.10, description="Text OOV-rate alert (seed: 10% new tokens).")
    null_rate_increase: float = Field(
        default=0.05, description="Absolute null-rate increase alert."
    )
    reference_agreement: float = Field(
        default=0.9, ge=0, le=1, description="Reference model: alert when production and "
        "reference predict the same class on fewer rows than this share."
    )
    reference_rank_correlation: float = Field(
        default=0.8, ge=-1, le=1, description="Reference model: alert below this Spearman "
        "correlation of the two models' scores."
    )
    reference_mean_abs_difference: float = Field(
        default=0.1, ge=0, description="Reference model: alert above this mean absolute "
        "score difference."
    )
    max_age_hours: float | None = Field(
        default=None, gt=0, description="Freshness: alert when the newest timestamp of the "
        "window is older than this at the window's date (None: report the age only)."
    )
    require_effect_size: bool = Field(
        default=False,
        description="p-value tests alert only if their effect size also crosses its floor.",
    )
    min_samples: int = Field(
        default=100, ge=1, description="Drift tests on fewer current or reference values are "
        "insufficient_data (live metrics use intervals and tests instead)."
    )
    max_relative_drop: float = Field(default=0.05, description="Seed degradation rule.")
    confidence: float = Field(
        default=0.95, gt=0, lt=1, description="Confidence level of live-metric intervals."
    )
    alpha: float = Field(
        default=0.05, gt=0, lt=1, description="Family-wise level of the one-sided tests of "
        "'metric below its baseline' in one window."
    )
    multiple_testing: Literal["holm", "none"] = Field(
        default="holm", description="Correction over a window's tests, applied separately to "
        "its live-metric tests (at alpha) and its drift tests (KS, chi-square, PSI, each at "
        "its own p threshold): holm controls the family-wise error; none tests each alone."
    )
    rollback_relative_drop: float = Field(default=0.10, description="Seed rollback band.")
    decision_threshold: float = Field(default=0.5, description="Score >= this predicts positive.")
    psi_bins: int = Field(default=10, ge=2, description="Quantile bins of the reference.")
    psi_floor: float = Field(default=0.001, gt=0, description="Floor on bin proportions.")
    high_cardinality: int = Field(
        default=50, ge=2, description="Distinct strings above this: high."
    )
    top_k: int = Field(default=50, ge=1, description="Categories kept for high-cardinality PSI.")
    sketch_size: int = Field(default=2000, ge=10, description="Profile quantile-sketch points.")
    max_vocabulary: int | None = Field(default=100_000, description="Cap on the stored vocabulary.")
    batch_size: int = Field(default=131_072, ge=1, description="Rows per batch for datasets.")
    features: dict[str, FeatureRule] = Field(default_factory=dict,
        description="Per-feature overrides of the rules above, by column name.")
    severity: SeverityConfig = Field(default_factory=default_of(SeverityConfig),
        description="How findings map to the P1-P4 severities and recommended actions.")

    def for_feature(self, name: str) -> "Rules":
        """This rule set with the feature's overrides applied (``features`` dropped)."""
        override = self.features.get(name)
        base = self.model_dump(exclude={"features", "severity"})
        if override is not None:
            base.update(override.model_dump(exclude={"kind"}, exclude_none=True))
        return Rules(**base, severity=self.severity)
