"""A saved reference profile: what later windows need of the reference window."""


from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

PROFILE_FORMAT = "govkit-reference-profile/1"


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    rows: int = Field(description="Rows in the reference window.")
    nulls: int = Field(description="Null (or NaN) values in the column.")
    type_class: str = Field(description="numeric, string, bool, list or time.")


class NumericProfile(_Base):
    kind: Literal["numeric"] = "numeric"
    count: int = Field(description="Non-null values.")
    mean: float
    std: float = Field(description="Sample standard deviation (ddof=1).")
    edges: list[float] = Field(description="Interior PSI bin edges (outer bins open).")
    counts: list[int] = Field(description="Reference counts per PSI bin.")
    quantiles: dict[str, float] = Field(description="Quantiles keyed 'q0.25' etc.")
    sketch: list[float] = Field(description="Quantile sketch for approximate KS.")


class CategoricalProfile(_Base):
    kind: Literal["categorical", "high_cardinality"] = "categorical"
    counts: dict[str, int] = Field(description="Category counts (top-k + __other__ if high).")
    distinct: int = Field(description="Distinct non-null categories in the reference.")


class TextProfile(_Base):
    kind: Literal["text"] = "text"
    vocabulary: list[str] = Field(description="Sorted reference vocabulary.")
    vocabulary_truncated: bool = Field(description="True if capped at max_vocabulary.")
    tokens: int = Field(description="Reference token occurrences.")


class EmbeddingProfile(_Base):
    kind: Literal["embedding"] = "embedding"
    count: int
    mean: list[float] = Field(description="Mean reference embedding.")


class TimestampProfile(_Base):
    kind: Literal["timestamp"] = "timestamp"
    count: int = Field(description="Non-null values.")
    min_us: float = Field(description="Earliest time, microseconds since 1970 (UTC).")
    max_us: float = Field(description="Latest time, microseconds since 1970 (UTC).")


FeatureProfile = Annotated[
    NumericProfile | CategoricalProfile | TextProfile | EmbeddingProfile | TimestampProfile,
    Field(discriminator="kind"),
]


class ReferenceProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    format: Literal["govkit-reference-profile/1"] = "govkit-reference-profile/1"
    source: str | None = Field(default=None, description="Reference path, if any.")
    rows: int
    psi_bins: int
    psi_floor: float
    sketch_size: int
    features: dict[str, FeatureProfile] = Field(default_factory=dict)
    predictions_column: str | None = None
    predictions: NumericProfile | CategoricalProfile | None = Field(
        default=None, description="Scores (numeric) or a 0/1 predicted class (categorical)."
    )
