"""The one rule that decides a column's kind, for both engines (issue 23).

The local engine (arrow types) and the Spark engine (Spark SQL types) each map their type to a
:data:`TypeClass` and, for text columns, measure :class:`StringTraits`; :func:`column_kind`
then decides. A declared kind (govkit.yaml ``rules.features.<name>.kind`` or ``--feature``)
wins; numbers are numeric, booleans categorical, lists embeddings, dates and timestamps
timestamps; a text column is a timestamp when its values are ISO 8601 dates or date-times,
text when they average more than 5 words or 50 characters, else categorical, and a
categorical column is high-cardinality above ``high_cardinality`` distinct values
(:func:`categorical_kind`).

Where the traits are measured: the local engine reads the first 1,000 (ISO) and 10,000 (words)
non-null values; Spark, whose rows have no order, every value in one aggregation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from govkit.schemas.rules import FeatureKind

TypeClass = Literal["numeric", "string", "bool", "list", "time", "null", "other"]

ISO_8601 = (r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"
            r"(Z|[+-]\d{2}:?\d{2})?$")
TEXT_WORDS = 5  # mean words above which a string column is text
TEXT_CHARS = 50  # mean characters above which a string column is text

_BY_TYPE = {
    "numeric": FeatureKind.NUMERIC,
    "bool": FeatureKind.CATEGORICAL,
    "list": FeatureKind.EMBEDDING,
    "time": FeatureKind.TIMESTAMP,
    "null": FeatureKind.CATEGORICAL,  # only nulls: no values to judge, a null-rate finding
}


@dataclass(frozen=True)
class StringTraits:
    """What the values of a text column look like (non-null values only)."""

    values: int  # non-null values judged
    iso_times: int  # of which ISO 8601 dates or date-times
    mean_words: float
    mean_chars: float

    @property
    def times(self) -> bool:
        return self.values > 0 and self.iso_times == self.values

    @property
    def text(self) -> bool:
        return self.values > 0 and (self.mean_words > TEXT_WORDS or self.mean_chars > TEXT_CHARS)


def kind_of_type(type_class: TypeClass) -> FeatureKind | None:
    """The kind a type decides alone (None: text, whose values decide, or unsupported)."""
    return _BY_TYPE.get(type_class)


def column_kind(type_class: TypeClass, declared: FeatureKind | str | None,
                traits: Callable[[], StringTraits]) -> FeatureKind | None:
    """The column's kind; None for an unsupported type. ``traits`` is called only for an
    undeclared text column. CATEGORICAL for text means "categorical or high-cardinality":
    :func:`categorical_kind` decides from the distinct count."""
    if declared:
        return FeatureKind(declared)
    if type_class != "string":
        return kind_of_type(type_class)
    t = traits()
    if t.times:
        return FeatureKind.TIMESTAMP
    return FeatureKind.TEXT if t.text else FeatureKind.CATEGORICAL


def categorical_kind(distinct: int, high_cardinality: int) -> FeatureKind:
    return FeatureKind.CATEGORICAL if distinct <= high_cardinality else FeatureKind.HIGH_CARDINALITY
