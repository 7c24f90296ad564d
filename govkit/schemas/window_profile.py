"""A window profile: aggregates of one monitoring window that add up across partitions.

Built by the Spark engine (``govkit.monitoring.spark.profile``), merged with
``govkit.monitoring.window_profile.merge`` and compared with
``govkit.monitoring.compare_profiles.compare``. Everything is a count, a moment or a
mergeable sketch, so the profile of a table is the merge of its partitions' profiles.
"""


from typing import Literal

from pydantic import Field

from govkit.schemas.common import Strict, empty_list

WINDOW_PROFILE_FORMAT = "govkit-window-profile/1"


class NumericColumn(Strict):
    rows: int = Field(description="Rows in the window.")
    nulls: int = Field(description="Null or NaN values.")
    count: int = Field(description="Non-null values.")
    mean: float = Field(description="Mean of the non-null values.")
    m2: float = Field(description="Sum of squared deviations from the mean (Chan et al. merge).")
    min: float | None = Field(description="Smallest value (None without values).")
    max: float | None = Field(description="Largest value.")
    edges: list[float] = Field(description="Interior PSI bin edges of the reference (outer bins "
                                           "open; bins [a, b)).")
    counts: list[int] = Field(description="Values per PSI bin (len(edges) + 1).")
    below: int = Field(default=0, description="Values below the reference minimum.")
    above: int = Field(default=0, description="Values above the reference maximum.")
    kll: str = Field(description="Apache DataSketches KLL sketch of the values (doubles), "
                                 "standard serialization, base64.")
    kll_k: int = Field(description="The sketch's k (accuracy parameter).")
    rank_error: float = Field(description="The sketch's normalized rank error (double-sided, "
                                          "99% confidence, DataSketches a-priori bound; 0 while "
                                          "the sketch holds every value).")
    grid: list[float] = Field(default_factory=empty_list, description="A current window's KS grid: "
                              "quantiles of the reference's sketch.")
    grid_counts: list[int] = Field(default_factory=empty_list, description="Values per grid bin "
                                   "[g_i, g_i+1), outer bins open (exact counts).")


class CategoricalColumn(Strict):
    kind: Literal["categorical", "high_cardinality"] = "categorical"
    type_class: str = Field(default="string", description="How the column is stored: string, "
                            "bool or numeric (the local engine checks a window against it).")
    rows: int
    nulls: int
    counts: dict[str, int] = Field(description="Counts of the kept categories; the rest summed "
                                               "under __other__.")
    distinct: int = Field(description="Distinct non-null categories in the window.")
    other_bound: int = Field(default=0, description="Rows folded into __other__: no category "
                                                    "outside the kept ones has more.")


class TimeColumn(Strict):
    rows: int
    nulls: int
    count: int = Field(description="Non-null times.")
    min_us: float | None = Field(description="Earliest time, microseconds since 1970 (UTC).")
    max_us: float | None = Field(description="Latest time, microseconds since 1970 (UTC).")


class NullColumn(Strict):
    rows: int
    nulls: int
    kind: str = Field(description="The kind this window's column type has by itself "
                                  "(numeric, categorical, timestamp; unknown for text).")


class SliceProfile(Strict):
    column: str | None = Field(description="Segment column; None for all rows.")
    value: str | None = Field(description="Segment value (text; '' for null).")
    tp: int
    fp: int
    fn: int
    tn: int
    positives: list[int] = Field(description="Positive rows per score bin.")
    negatives: list[int] = Field(description="Negative rows per score bin.")


class PerformanceProfile(Strict):
    predictions: str
    labels: str
    threshold: float = Field(description="Decision threshold (one of the score bin edges).")
    edges: list[float] = Field(description="Interior score bin edges (bins [a, b)).")
    slices: list[SliceProfile] = Field(default_factory=empty_list)


class WindowProfile(Strict):
    format: Literal["govkit-window-profile/1"] = "govkit-window-profile/1"
    source: str | None = Field(default=None, description="What was profiled.")
    rows: int
    psi_bins: int
    kll_k: int
    numeric: dict[str, NumericColumn] = Field(default_factory=dict)
    categorical: dict[str, CategoricalColumn] = Field(default_factory=dict)
    timestamps: dict[str, TimeColumn] = Field(default_factory=dict)
    null_columns: dict[str, NullColumn] = Field(
        default_factory=dict, description="Columns with only nulls in the reference (no "
        "distribution to test): this window's rows and nulls in them, for a null-rate finding.")
    predictions_column: str | None = None
    predictions: NumericColumn | None = Field(default=None, description="Score column.")
    performance: PerformanceProfile | None = Field(
        default=None, description="Confusion counts and score histograms, overall and per "
                                  "segment (only where the window has labels).")
