"""Release records are written exactly as `yaml.safe_dump` writes them, number lists too."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.sources.release_records import dump_yaml
from tests.conftest import examples

numbers = st.one_of(st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False))
scalars = st.one_of(numbers, st.text(max_size=30), st.booleans(), st.none(),
                    st.floats(allow_nan=True, allow_infinity=True))
keys = st.text(min_size=1, max_size=12)
values = st.recursive(
    st.one_of(scalars, st.lists(numbers, max_size=6)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(keys, inner, max_size=4)),
    max_leaves=30,
)


def _safe_dump(record: object) -> str:
    return yaml.safe_dump(record, sort_keys=True, allow_unicode=True, default_flow_style=False)


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_dump_is_safe_dump_byte_for_byte(record: dict) -> None:
    assert dump_yaml(record) == _safe_dump(record)


def test_metric_histories_and_a_record_naming_the_placeholder() -> None:
    record = {"training": {"metric_history": {"auc": {"steps": [0, 1, 2],
                                                       "values": [0.5, 1e-05, 3e20]}},
                           "runs": [{"steps": [1, 2]}]},
              "note": "govkitnumberlist7f3a0"}
    assert dump_yaml(record) == _safe_dump(record)
    assert dump_yaml({"\n": {"A": [0]}, "x": [{"y": [1.5]}]}) == _safe_dump(
        {"\n": {"A": [0]}, "x": [{"y": [1.5]}]})  # under a complex key, in a list item
    del record["note"]
    assert dump_yaml(record) == _safe_dump(record)
    assert "      - 1.0e-05\n" in dump_yaml(record)
