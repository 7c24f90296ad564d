"""A template override runs under a budget (issue 21, class 5): output size, value sizes,
loop iterations, recursion depth and time per page. Going over is the template's input
error, `TEMPLATE:LINE: over the ... budget`, exit 2: never a hang, never exit 3."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from govkit.cli import main
from govkit.errors import InputError
from govkit.site.jinja import make_env, render
from tests.conftest import examples

BOUND_S = 20  # per build of the example, budget included (the budget's own limit is 5 s)


@pytest.mark.parametrize(("attack", "what"), [
    ("{{ 'x' * 3000000000 }}", "size"),
    ("{{ 'x'|center(3000000000) }}", "size"),
    ("{{ 'a\\nb'|indent(999999999) }}", "size"),
    ("{{ 0|indent(99999999999) }}", "size"),  # the width alone, on a value that is no text
    ("{{ '%999999999s'|format('x') }}", "size"),
    ("{{ '%*s' % (999999999, 'x') }}", "size"),
    ("{{ [1] * 1000000000 }}", "size"),
    ("{{ ('ab' * 1000)|replace('', 'x' * 10000) }}", "size"),
    ("{{ range(1000000000)|list }}", "size"),
    ("{{ 7 ** 100000000 }}", "size"),
    ("{% set ns = namespace(x='ab') %}{% for i in range(64) %}{% set ns.x = ns.x ~ ns.x %}"
     "{% endfor %}{{ ns.x|length }}", "size"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "loop"),
    ("{% for i in range(90000) %}" + "y" * 200 + "{% endfor %}", "output"),
    ("{% set s %}{% for i in range(90000) %}{{ 'z' * 100 }}{% endfor %}{% endset %}x",
     "output"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "recursion"),
    ("{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}", "recursion"),
    ("{% include 'card.md.j2' %}", "recursion"),
    # a size argument of a filter without its own estimate (tojson's indent, 1 GB per level)
    ("{{ {'a': {'b': {'c': {'d': 1}}}}|tojson(indent=999999999) }}", "size"),
    ("{{ {'a': {'b': 1}}|tojson(indent='x' * 4000000) }}", "size"),
])
def test_override_over_budget_is_an_input_error(
        example: Path, attack: str, what: str, capsys: pytest.CaptureFixture[str]) -> None:
    template = example / "templates" / "card.md.j2"
    template.parent.mkdir(exist_ok=True)
    template.write_text("# Card\n\nfine line\n" + attack + "\n", encoding="utf-8")
    before = sorted(p.as_posix() for p in example.parent.rglob("*"))
    started = time.monotonic()
    code = main(["-C", str(example), "build"])
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"templates/card.md.j2:4: over the {what} budget" in err, err
    assert took < BOUND_S, f"{took:.1f} s"
    assert sorted(p.as_posix() for p in example.parent.rglob("*")) == before


# A small grammar of risky constructs: big numbers, multiplication, padding filters,
# nested loops, recursion, concatenation that doubles.
NUMBERS = st.sampled_from(["0", "1", "3", "40", "1000", "100000", "10**6", "10**9", "2**64",
                           "-5", "99999999999"])


def _expr(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(NUMBERS, st.sampled_from(["'ab'", "'a\\nb'", "[1, 2]", "'%5s'", "n",
                                               "ns.s"]))
    if depth == 0:
        return leaf
    sub = _expr(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from(["*", "+", "**", "~", "%", "//"]), sub).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(sub, st.sampled_from(["center", "indent", "wordwrap", "truncate", "join",
                                        "replace('a', 'xyz')", "format", "list", "batch",
                                        "string", "length", "sum"]), NUMBERS).map(
            lambda t: f"({t[0]}|{t[1]}({t[2]}))" if "(" not in t[1] else f"({t[0]}|{t[1]})"),
        st.tuples(NUMBERS).map(lambda t: f"range({t[0]})"),
        st.tuples(sub).map(lambda t: f"f({t[0]})"),
    )


def _stmt(depth: int) -> st.SearchStrategy[str]:
    expr = _expr(2)
    simple = st.one_of(
        expr.map(lambda e: f"{{{{ {e} }}}}"),
        expr.map(lambda e: f"{{% set ns.s = {e} %}}"),
        st.just("{% set ns.s = ns.s ~ ns.s %}"),
        st.just("text "),
    )
    if depth == 0:
        return simple
    body = st.lists(_stmt(depth - 1), min_size=1, max_size=3).map("".join)
    return st.one_of(
        simple,
        st.tuples(expr, body).map(lambda t: f"{{% for n in {t[0]} %}}{t[1]}{{% endfor %}}"),
        st.tuples(expr, body).map(lambda t: f"{{% if {t[0]} %}}{t[1]}{{% endif %}}"),
    )


MACRO = ("{% macro f(n) %}{% if n is number and n < 10**6 %}{{ f(n * 2 + 1) }}{% endif %}"
         "{{ n }}{% endmacro %}{% set ns = namespace(s='ab') %}")


@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.lists(_stmt(2), min_size=1, max_size=4).map("".join))
def test_random_risky_templates_end_in_output_or_an_input_error(
        tmp_path_factory: pytest.TempPathFactory, body: str) -> None:
    folder = tmp_path_factory.mktemp("tpl")
    (folder / "page.md.j2").write_text(MACRO + body, encoding="utf-8")
    started = time.monotonic()
    with contextlib.suppress(InputError):  # exit 2; anything else fails the test (exit 3)
        render(make_env(folder), "page.md.j2")
    assert time.monotonic() - started < 12, body


def _weight_by_abc(value: object, limit: int) -> int:
    """budget.weight as it was before its exact-type fast paths (issue 26)."""
    from collections.abc import Mapping

    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, str | bytes):
            total += len(v) + 1
        elif isinstance(v, Mapping):
            total += 1
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list | tuple | set | frozenset | range):
            total += 1
            if isinstance(v, range):
                total += len(v)
            else:
                stack.extend(v)
        elif isinstance(v, int) and not isinstance(v, bool):
            total += v.bit_length() // 3 + 1
        else:
            total += 1
    return total


def test_weight_fast_paths_count_as_before() -> None:
    import collections
    import types

    from govkit.site.budget import weight

    class Text(str):
        pass

    class Record:  # a value of a type weight() remembers as a leaf
        pass

    values: list[object] = [
        "abc", b"xy", Text("sub"), 12345678901234567890, True, False, None, 1.5,
        {"a": [1, 2, (3, "x")], 7: {"n": None}}, collections.OrderedDict(k="v"),
        types.MappingProxyType({"p": "q"}), range(40), {1, 2}, frozenset("ab"),
        [["deep"] * 3, ("t", b"u"), collections.Counter("hello")],
        [Record(), Record(), {"r": Record()}],
    ]
    for value in [*values, values, *values]:  # again: the remembered leaf types
        for limit in (0, 3, 10, 10_000):
            assert weight(value, limit) == _weight_by_abc(value, limit), (value, limit)


@pytest.mark.parametrize("kind", [str, Markup])
def test_sized_text_fast_path_refuses_as_weight_does(kind: type) -> None:
    """sized() counts text without weight()'s loop (issue 26): the same limit, same count."""
    from govkit.site.budget import Budget, OverBudget, sized, spending, weight

    with spending(Budget(max_chars=10)):
        fits, over = kind("x" * 9), kind("x" * 10)
        assert weight(fits, 10) == 10 and weight(over, 10) == 11
        assert sized(fits) is fits
        with pytest.raises(OverBudget, match="size"):
            sized(over)


def test_a_pass_context_filter_measures_its_values_not_the_pages_variables(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`map`, `select`... get Jinja's Context (every variable of the page) as their first
    argument: it is not weighed at each call (issue 26: most of the budget's cost on the
    example), while the values they are given still are."""
    from jinja2.runtime import Context

    from govkit.site import budget

    weighed: list[type] = []
    real = budget.weight
    monkeypatch.setattr(budget, "weight",
                        lambda v, limit: weighed.append(type(v)) or real(v, limit))
    (tmp_path / "page.md.j2").write_text(
        "{{ rows|map(attribute='n')|join(',') }}", encoding="utf-8")
    rows = [{"n": str(i)} for i in range(50)]
    assert render(make_env(tmp_path), "page.md.j2", rows=rows, big=["x" * 1000] * 1000) \
        == ",".join(str(i) for i in range(50))
    assert list in weighed and Context not in weighed

    (tmp_path / "page.md.j2").write_text(
        "{% set a = ['x' * 4000000] %}{% set b = [a, a] %}{{ b|map('length')|list }}",
        encoding="utf-8")
    with pytest.raises(InputError, match="over the size budget"):
        render(make_env(tmp_path), "page.md.j2")


def test_a_page_over_its_cpu_time_is_refused_within_one_clock_period() -> None:
    """The clock is read every CLOCK_EVERY ticks (issue 26): a page that has spent its CPU
    time is still stopped, at the latest CLOCK_EVERY ticks later."""
    from govkit.site.budget import CLOCK_EVERY, Budget, OverBudget, spending, tick

    with spending(Budget(max_seconds=0.01)) as spend:
        started = time.thread_time()
        while time.thread_time() - started < 0.02:  # burn the page's CPU time
            pass
        with pytest.raises(OverBudget, match="over the time budget"):
            for _ in range(CLOCK_EVERY):
                tick()
        assert spend.ticks <= CLOCK_EVERY
