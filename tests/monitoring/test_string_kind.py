"""string_kind gives detect_kind's kind and category_counts' counts from one pass."""

import pyarrow as pa
import pytest

from govkit.monitoring import columns as colmod
from govkit.schemas.rules import FeatureKind

COLUMNS = {
    "categorical": pa.array(["a", "b", None, "a", "c"] * 200),
    "dictionary": pa.array(["x", "y", None, "x"] * 50).dictionary_encode(),
    "large_string": pa.array(["p", "q", "p"] * 30, type=pa.large_string()),
    "high_cardinality": pa.array([f"id{i}" for i in range(500)] + [None]),
    "text": pa.array(["the cat sat on the mat again today"] * 40 + [None]),
    "all null": pa.array([None, None], type=pa.string()),
    "chunked": pa.chunked_array([["a", "b"], ["b", None, "c"]]),
}


@pytest.mark.parametrize("name", list(COLUMNS))
def test_string_kind_matches_detect_kind_and_category_counts(name):
    col = COLUMNS[name]
    kind, counts = colmod.string_kind(col, high_cardinality=50)
    assert kind == colmod.detect_kind(col, high_cardinality=50)
    if kind == FeatureKind.TEXT:
        assert counts is None
    else:
        assert counts == colmod.category_counts(pa.table({"c": col}), "c")
