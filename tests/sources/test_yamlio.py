from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from govkit.errors import InputError
from govkit.sources.yamlio import dotted, parse_yaml


def test_lines_of_nested_values() -> None:
    doc = parse_yaml("a: 1\nmetrics:\n  auc:\n    value: 0.8\n    min: 0.7\nlist:\n  - x\n  - y\n",
                     "f.yaml")
    assert doc.line_of(("metrics", "auc", "min")) == 5
    assert doc.line_of(("metrics", "auc", "value")) == 4
    assert doc.line_of(("list", 1)) == 8
    # unknown child falls back to the nearest ancestor
    assert doc.line_of(("metrics", "auc", "max")) == 3


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml("title: a\ntitle: b\n", "card.yaml")
    assert str(exc.value) == ("card.yaml:2: title: duplicate key (first defined on line 1) "
                              "(keep only one)")


def test_malformed_yaml_names_line() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "x.yaml")
    problem = exc.value.problems[0]
    assert problem.path == "x.yaml" and problem.line is not None and problem.line >= 2
    assert "malformed YAML" in problem.message


def test_unsafe_tags_are_rejected() -> None:
    with pytest.raises(InputError, match="malformed YAML"):
        parse_yaml("a: !!python/object/apply:os.system ['echo hi']\n", "evil.yaml")


def test_dotted() -> None:
    assert dotted(("segments", 0, "metrics", "auc")) == "segments[0].metrics.auc"


keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
leaves = st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=10), st.booleans())
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


def _paths(data: object, loc: tuple = ()) -> list[tuple]:
    out = [loc]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*loc, i))
    return out


@given(st.dictionaries(keys, trees, min_size=1, max_size=5))
def test_every_value_has_a_line_and_data_round_trips(data: dict) -> None:
    text = yaml.safe_dump(data, sort_keys=True)
    doc = parse_yaml(text, "p.yaml")
    assert doc.data == data
    n_lines = text.count("\n") + 1
    for loc in _paths(data):
        line = doc.lines.get(loc)
        assert line is not None and 1 <= line <= n_lines


def test_more_values_than_the_node_budget_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from govkit.sources import yamlbudget

    assert yamlbudget.MAX_NODES == 500_000
    monkeypatch.setattr(yamlbudget, "MAX_NODES", 2_000)  # the same rule, composed in ms
    parse_yaml("ok: 1\nbig: [" + "0," * 1_995 + "]\n", "fits.yaml")  # 5 + 1,995 values
    text = "ok: 1\nbig: [" + "0," * 1_996 + "]\n" + "more: [" + "1," * 50_000 + "]\n"
    with pytest.raises(InputError) as exc:
        parse_yaml(text, "big.yaml")
    assert str(exc.value) == "big.yaml:2: more than 2000 values in one file (split the file)"


def test_alias_budget_counts_nested_aliases_once_per_use() -> None:
    # 9 aliases of a 10-value list = 90 repeated values, far under the budget
    doc = parse_yaml("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [" + ", ".join(["*a"] * 9) + "]\n",
                     "ok.yaml")
    assert doc.data["b"][8] == list(range(1, 10))
    assert doc.line_of(("b", 8)) == 1  # the repeated value is written on line 1


def test_merge_keys_are_standard_yaml_not_duplicates() -> None:
    text = ("base: &base\n"  # 1
            "  value: 0.87\n"  # 2
            "  min: 0.8\n"  # 3
            "  max: 0.99\n"  # 4
            "other:\n"  # 5
            "  <<: *base\n"  # 6
            "  value: 0.45\n"  # 7
            "  min: 0.4\n")  # 8
    doc = parse_yaml(text, "m.yaml")
    assert doc.data["other"] == {"value": 0.45, "min": 0.4, "max": 0.99}
    assert doc.line_of(("other", "value")) == 7  # written here
    assert doc.line_of(("other", "min")) == 8
    assert doc.line_of(("other", "max")) == 4  # inherited: where it is written
    assert doc.line_of(("base", "min")) == 3


def test_merge_key_lists_take_the_first_mapping_that_has_the_key() -> None:
    text = ("a: &a {x: 1, y: 1}\n"
            "b: &b {y: 2, z: 2}\n"
            "c:\n"
            "  <<: [*a, *b]\n"
            "  z: 3\n")
    doc = parse_yaml(text, "m.yaml")
    assert doc.data["c"] == {"x": 1, "y": 1, "z": 3}
    assert [doc.line_of(("c", k)) for k in "xyz"] == [1, 1, 5]


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml("a: &a {x: 1}\nb:\n  <<: *a\n  x: 2\n  x: 3\n", "m.yaml")
    assert str(exc.value) == ("m.yaml:5: b.x: duplicate key (first defined on line 4) "
                              "(keep only one)")


def _bomb(levels: int) -> str:
    lines = ["l0: &l0 [a, a, a, a, a, a, a, a, a]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("loader", ["Loader", "PyLoader"])
@pytest.mark.parametrize(("text", "message", "line"), [
    (_bomb(9), "more than 500000 values once aliases are expanded (an alias bomb?)", 6),
    ("a: &a [1, *a]\n", "alias *a refers to a value that contains it", 1),
    ("a:\n  b: " + "[" * 101 + "]" * 101 + "\n", "nested deeper than 100 levels", 2),
])
def test_both_loaders_hold_the_budget(loader: str, text: str, message: str, line: int) -> None:
    from govkit.sources import yamlbudget

    composer = getattr(yamlbudget, loader)(text)
    try:
        with pytest.raises(yamlbudget.BudgetExceeded) as exc:
            composer.get_single_node()
    finally:
        composer.dispose()
    assert (exc.value.message, exc.value.line) == (message, line)


@pytest.mark.parametrize("loader", ["Loader", "PyLoader"])
def test_both_loaders_read_the_same_values(loader: str) -> None:
    from govkit.sources import yamlbudget

    text = "a: &a {x: 1, d: 2024-01-15, bad: 2024-13-45}\nb: {<<: *a, x: 2.5}\nc: [yes, ~]\n"
    composer = getattr(yamlbudget, loader)(text)
    try:
        data = composer.get_single_data()
    finally:
        composer.dispose()
    assert data == yaml.safe_load(text.replace("2024-13-45", "'2024-13-45'"))


def test_a_merged_key_that_is_not_text_is_reported_where_it_is_written() -> None:
    with pytest.raises(InputError) as exc:
        parse_yaml("b:\n  <<: {yes: 1}\n  c: 2\n", "m.yaml")
    assert str(exc.value) == ('m.yaml:2: b.yes: key is read as a boolean, not as text '
                              '(quote it: "yes":)')
