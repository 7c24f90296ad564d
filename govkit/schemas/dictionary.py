"""A dataset's data dictionary: `datasets/<name>.yaml`, hand-written, never rewritten.

The YAML is authoritative for what a feature means (description, unit, owner, sensitivity,
allowed values). Types and digests also come from MLflow (signatures, dataset inputs), and a
profile from a reference sample; the page labels every value with where it came from.
"""


import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from govkit.schemas.card import Person
from govkit.schemas.common import (
    ORDER_RULE,
    FiniteFloat,
    Slug,
    Strict,
    Text,
    cross_field,
    empty_list,
    present,
    require_order,
)

FeatureType = Literal["integer", "float", "boolean", "string", "datetime", "binary"]
FEATURE_TYPES: tuple[str, ...] = ("integer", "float", "boolean", "string", "datetime", "binary")
# MLflow column types (signatures, dataset schemas) as dictionary types
MLFLOW_TYPES = {"boolean": "boolean", "integer": "integer", "long": "integer", "float": "float",
                "double": "float", "string": "string", "binary": "binary", "datetime": "datetime"}


def mlflow_type(name: str | None) -> str:
    """A type MLflow logged as a dictionary type, or 'other (<name>)' (tensors, arrays)."""
    return MLFLOW_TYPES.get(str(name), f"other ({name})")


def types_agree(documented: str, observed: str, *, whole_numbers: bool | None = None) -> bool:
    """A documented type agrees with a stored or declared one: the same, or integers in a
    float feature (a CSV reader stores 3.0 as 3), or whole-valued floats in an integer one."""
    if documented == observed:
        return True
    if documented == "float" and observed == "integer":
        return True
    return documented == "integer" and observed == "float" and bool(whole_numbers)


class Sensitivity(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(
        {"if": {"required": ["pii"], "properties": {"pii": {"const": True}}},
         "then": {"required": ["handling"],
                  "properties": {"handling": {"type": "string", "pattern": r"\S"}}}}))

    pii: bool = Field(
        description="True if the value identifies a person, alone or combined with other data."
    )
    category: str | None = Field(
        None, description="Kind of personal data, e.g. 'contact', 'location', 'demographic'."
    )
    handling: str | None = Field(
        None, description="How the value must be handled, e.g. 'hashed at ingestion; access "
        "limited to the data platform team'. Required when pii is true."
    )

    @model_validator(mode="after")
    def _handling_for_pii(self) -> "Sensitivity":
        if self.pii and not (self.handling and self.handling.strip()):
            raise ValueError("a PII feature needs a handling rule: add 'handling:' "
                             "(e.g. 'hashed at ingestion; never exported')")
        return self


class Feature(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(
        {"if": {"anyOf": [present("min"), present("max")]},
         "then": {"properties": {"type": {"enum": ["integer", "float"]}}}},
        {"if": present("categories"), "then": {"properties": {"type": {"const": "string"}}}},
        govkit_only=ORDER_RULE))

    name: Text = Field(description="Column name as stored and as the model signature names it.")
    type: FeatureType = Field(
        description="Logical type: integer, float, boolean, string, datetime or binary."
    )
    description: str | None = Field(None, description="What the value means and how it is made.")
    unit: str | None = Field(None, description="Unit of measure, e.g. 'minutes' or 'USD'.")
    source_system: str | None = Field(
        None, description="System the value comes from; default: the dataset's source_system."
    )
    owner: str | None = Field(
        None, description="Who answers questions about the feature; default: the dataset's owner."
    )
    sensitivity: Sensitivity | None = Field(
        None, description="PII or not, with the handling rule for PII."
    )
    min: FiniteFloat | None = Field(None, description="Lowest allowed value (numbers only).")
    max: FiniteFloat | None = Field(None, description="Highest allowed value (numbers only).")
    categories: list[Text] | None = Field(
        None, json_schema_extra={"uniqueItems": True},
        description="The allowed values of a string feature, e.g. [ios, android, web]."
    )
    used_by: list[Slug] = Field(
        default_factory=empty_list,
        description="Models that use the feature beyond what their MLflow signatures show.",
    )

    @model_validator(mode="after")
    def _allowed_values(self) -> "Feature":
        has_range = self.min is not None or self.max is not None
        if has_range and self.type not in ("integer", "float"):
            raise ValueError(f"min/max need a numeric type, not {self.type}: "
                             "use categories for a string feature")
        if self.categories is not None and self.type != "string":
            raise ValueError(f"categories need type string, not {self.type}: "
                             "use min/max for numbers")
        require_order(self.min, self.max)
        if self.categories is not None and len(set(self.categories)) != len(self.categories):
            raise ValueError("categories lists a value twice: keep one of each")
        return self


class DatasetVersion(Strict):
    """A hand-written version of the dataset, for data that MLflow did not log."""

    version: Text = Field(description="Version label, e.g. '2023-12' or 'v3'.")
    date: dt.date = Field(description="When this version was produced, e.g. 2023-12-31.")
    digest: str | None = Field(None, description="Content hash of the data, if known.")
    columns: dict[str, FeatureType] | None = Field(
        None, description="Column -> type of this version; the page diffs consecutive versions."
    )
    changes: list[Text] = Field(default_factory=empty_list, description="What changed, in words.")


class Dictionary(Strict):
    """Hand-written feature definitions of one dataset. govkit never rewrites this file."""

    title: Text = Field(description="Display name, e.g. 'Churn training data'.")
    description: str | None = Field(None, description="A paragraph on what the dataset holds.")
    owner: Person | None = Field(
        None, description="Who owns the dictionary (the chapter: a data engineer)."
    )
    source_system: str | None = Field(
        None, description="Where the data comes from, e.g. 'transactions warehouse'."
    )
    models: list[Slug] = Field(
        default_factory=empty_list,
        description="Models trained on this dataset: their signatures are checked against "
        "the dictionary and their cards link to it.",
    )
    mlflow_datasets: list[Text] = Field(
        default_factory=empty_list,
        description="Names of MLflow dataset inputs that are versions of this dataset "
        "(default: the dataset's name).",
    )
    reference_data: str | None = Field(
        None, description="A sample of the data (Parquet or CSV), relative to this file; "
        "profiled on every build and checked against the documented types and values.",
    )
    last_reviewed: dt.date | None = Field(
        None, description="When the owner last checked the dictionary against the data, e.g. "
        "2024-01-10; it must not be older than the last schema change (the chapter: a data "
        "dictionary is updated on feature additions).",
    )
    features: list[Feature] = Field(
        min_length=1, description="Every documented feature (each name once)."
    )
    versions: list[DatasetVersion] = Field(
        default_factory=empty_list, description="Versions not logged in MLflow, oldest first."
    )



class ColumnProfile(Strict):
    """One column of the reference sample, computed by the monitoring engine."""

    name: str
    type: str = Field(description="Logical type of the stored column, or 'other (<arrow>)'.")
    arrow_type: str
    rows: int
    nulls: int
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    quantiles: dict[str, float] = Field(default_factory=dict)
    whole_numbers: bool | None = Field(None, description="Every numeric value is whole.")
    top: list[tuple[str, int]] = Field(default_factory=empty_list, description="Top categories.")
    distinct: int | None = None
    below_min: int = Field(0, description="Values below the documented min.")
    above_max: int = Field(0, description="Values above the documented max.")
    outside_count: int = Field(0, description="Values not in the documented categories.")
    outside_top: list[tuple[str, int]] = Field(
        default_factory=empty_list,
        description="The most frequent of them, with counts (at most 10)."
    )


class DatasetProfile(Strict):
    """The reference sample of a dataset, profiled."""

    source: str = Field(description="The sample's path as shown to users.")
    digest: str = Field(description="sha256 of the file's bytes.")
    rows: int
    columns: dict[str, ColumnProfile] = Field(default_factory=dict)
