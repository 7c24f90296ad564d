"""The shared kind rule (govkit/monitoring/kinds.py): what it decides, and both engines' type
classes for the same column types (issue 23)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from govkit.monitoring import columns as colmod
from govkit.monitoring import kinds
from govkit.schemas.rules import FeatureKind


def _traits(values: int, iso: int, words: float = 1.0, chars: float = 8.0
            ) -> kinds.StringTraits:
    return kinds.StringTraits(values, iso, words, chars)


@pytest.mark.parametrize(("type_class", "declared", "traits", "want"), [
    ("numeric", None, None, FeatureKind.NUMERIC),
    ("bool", None, None, FeatureKind.CATEGORICAL),
    ("time", None, None, FeatureKind.TIMESTAMP),
    ("list", None, None, FeatureKind.EMBEDDING),
    ("null", None, None, FeatureKind.CATEGORICAL),
    ("other", None, None, None),
    ("string", None, _traits(10, 10), FeatureKind.TIMESTAMP),
    ("string", None, _traits(10, 9), FeatureKind.CATEGORICAL),
    ("string", None, _traits(10, 0, words=6.0), FeatureKind.TEXT),
    ("string", None, _traits(10, 0, chars=51.0), FeatureKind.TEXT),
    ("string", None, _traits(0, 0), FeatureKind.CATEGORICAL),  # only nulls
    ("string", "categorical", None, FeatureKind.CATEGORICAL),  # traits never measured
    ("numeric", "high_cardinality", None, FeatureKind.HIGH_CARDINALITY),
])
def test_column_kind(type_class: kinds.TypeClass, declared: str | None,
                     traits: kinds.StringTraits | None, want: FeatureKind | None) -> None:
    def measured() -> kinds.StringTraits:
        assert traits is not None, "traits measured for a column the type decides"
        return traits

    assert kinds.column_kind(type_class, declared, measured) == want


def test_local_string_columns_follow_the_rule() -> None:
    dates = pa.array(["2024-01-01", None, "2024-01-02T10:00:00Z"])
    assert colmod.detect_kind(dates) == FeatureKind.TIMESTAMP
    assert colmod.string_traits(dates) == kinds.StringTraits(2, 2, 1.0, 15.0)
    assert colmod.detect_kind(pa.array(["a", "b"] * 3)) == FeatureKind.CATEGORICAL
    assert colmod.detect_kind(pa.array([f"k{i}" for i in range(60)])) == (
        FeatureKind.HIGH_CARDINALITY)


ARROW_AND_SPARK = [
    (pa.int32(), "IntegerType"), (pa.float64(), "DoubleType"), (pa.string(), "StringType"),
    (pa.bool_(), "BooleanType"), (pa.date32(), "DateType"),
    (pa.timestamp("us", tz="UTC"), "TimestampType"), (pa.timestamp("us"), "TimestampNTZType"),
    (pa.null(), "NullType"), (pa.binary(), "BinaryType"),
]


@pytest.mark.parametrize(("arrow", "spark_name"), ARROW_AND_SPARK)
def test_both_engines_class_the_same_types_alike(arrow: pa.DataType, spark_name: str) -> None:
    types = pytest.importorskip("pyspark.sql.types", reason="pyspark is not installed")
    from govkit.monitoring.spark import type_class as spark_type_class

    assert spark_type_class(getattr(types, spark_name)()) == colmod.type_class(arrow)
