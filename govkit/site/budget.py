"""What one page's template may cost: output size, value sizes, loop iterations, call depth
and time. A template override comes from a pull request; it must not be able to stall or
exhaust the CI machine that builds it.

Sizes are checked before the costly step where they can be (string and list
multiplication, `range`, `center`, `indent`, `wordwrap`, `replace`, `join`, `format`,
`batch`, `slice`, `tojson`'s indent, huge integers; any other filter gets no number argument
past the item budget), and after it otherwise. Every loop iteration and every
macro call is counted and charged with the literal text its body writes (inserted into the
compiled template by `add_charges`), so nested loops, recursion and output built up in
`{% set %}` blocks all run out of budget instead of out of memory or time.
"""

from __future__ import annotations

import functools
import inspect
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, nodes
from jinja2.exceptions import TemplateRuntimeError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup

CHARGE = "govkit_charge"  # environment attributes the compiled template calls
SIZED = "govkit_sized"


@dataclass(frozen=True)
class Budget:
    """The limits of one page's rendering."""

    max_chars: int = 5_000_000  # one page's output, and any one value
    max_items: int = 100_000  # a range, a list built by `*`, a batch or slice count
    max_iterations: int = 200_000  # loop iterations and macro calls, per page
    max_depth: int = 40  # nested macro / caller / loop(...) calls
    max_seconds: float = 5.0  # per page
    max_int_bits: int = 10_000  # about 3,000 digits


class OverBudget(TemplateRuntimeError):
    def __init__(self, what: str, detail: str) -> None:
        super().__init__(f"over the {what} budget ({detail})")
        self.what = what


@dataclass
class _Spend:
    """What one page's rendering has spent so far."""

    budget: Budget
    started: float = field(default_factory=time.thread_time)  # CPU, not wall: load-proof
    iterations: int = 0
    depth: int = 0
    chars: int = 0
    ticks: int = 0


_DEFAULT = Budget()
_CURRENT: ContextVar[_Spend | None] = ContextVar("govkit_template_budget", default=None)


@contextmanager
def spending(budget: Budget = _DEFAULT) -> Iterator[_Spend]:
    """Count what one page's rendering spends against `budget`."""
    token = _CURRENT.set(_Spend(budget))
    try:
        yield _CURRENT.get()  # type: ignore[misc]
    finally:
        _CURRENT.reset(token)


def _spend() -> _Spend:
    spend = _CURRENT.get()
    if spend is None:  # compiling outside a render: sizes only
        spend = _Spend(_DEFAULT)
    return spend


#: ticks between reads of the CPU clock, a system call: the example's build ticks ~27,000
#: times (issue 26: ~7 ms of clock reads); each tick's work is bounded by the size budgets
CLOCK_EVERY = 32


def tick() -> _Spend:
    spend = _spend()
    spend.ticks += 1
    if spend.ticks % CLOCK_EVERY:
        return spend
    took = time.thread_time() - spend.started
    if took > spend.budget.max_seconds:
        raise OverBudget("time", f"{took:.1f} s of CPU, at most {spend.budget.max_seconds:g} s "
                         "per page")
    return spend


def charge(weight: int) -> str:
    """One loop iteration or macro call, writing up to `weight` characters of literal text."""
    spend = tick()
    spend.iterations += 1
    if spend.iterations > spend.budget.max_iterations:
        raise OverBudget("loop", f"more than {spend.budget.max_iterations} loop iterations "
                         "and macro calls on one page")
    _add_chars(spend, weight)
    return ""


def _add_chars(spend: _Spend, n: int) -> None:
    spend.chars += n
    if spend.chars > spend.budget.max_chars:
        raise OverBudget("output", f"more than {spend.budget.max_chars} characters on one page")


def emitted(text: str) -> str:
    """Output of one `{{ ... }}`: counted towards the page."""
    _add_chars(tick(), len(text))
    return text


@contextmanager
def deeper() -> Iterator[None]:
    spend = tick()
    spend.depth += 1
    try:
        if spend.depth > spend.budget.max_depth:
            raise OverBudget("recursion", f"calls nested more than {spend.budget.max_depth} "
                             "deep")
        yield
    finally:
        spend.depth -= 1


def weight(value: Any, limit: int) -> int:
    """Characters (or items) `value` stands for, counting shared parts each time they occur;
    stops counting once past `limit`, so it costs at most `limit` steps."""
    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        kind = type(v)  # exact built-in types first: the ABC check below is slow (issue 26)
        if kind is str:
            total += len(v) + 1
        elif kind is dict:
            total += 1
            stack.extend(v.keys())
            stack.extend(v.values())
        elif kind is list or kind is tuple:
            total += 1
            stack.extend(v)
        elif kind is int:
            total += v.bit_length() // 3 + 1
        elif kind in _LEAVES and v.__class__ is kind:  # seen before: counts 1
            total += 1
        elif isinstance(v, str | bytes):
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
            if v.__class__ is kind:
                _LEAVES.add(kind)
    return total


#: types whose values took weight()'s last branch (records, None, floats, bools): they take
#: it again without the slow ABC checks (issue 26)
_LEAVES: set[type] = set()


def sized(value: Any) -> Any:
    """`value`, refused when it stands for more than one value may hold."""
    limit = tick().budget.max_chars
    kind = type(value)  # most values are text: weight()'s count without its loop (issue 26)
    size = len(value) + 1 if kind is str or kind is Markup else weight(value, limit)
    if size > limit:
        raise OverBudget("size", f"a value of more than {limit} characters")
    return value


def _refuse_over(estimate: int, what: str) -> None:
    limit = tick().budget.max_chars
    if estimate > limit:
        raise OverBudget("size", f"{what} would make more than {limit} characters")


def _items(n: int, what: str) -> None:
    limit = tick().budget.max_items
    if n > limit:
        raise OverBudget("size", f"{what} of {n} items, at most {limit}")


def budget_range(*args: int) -> range:
    try:
        rng = range(*args)
        n = len(rng)
    except OverflowError:
        n = 1 << 64
    except TypeError as exc:
        raise TemplateRuntimeError(f"range: {exc}") from None
    _items(n, "a range")
    return rng


# --- operators ---------------------------------------------------------------------------

BINOPS = frozenset({"+", "-", "*", "/", "//", "%", "**"})
_TABLE: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "//": lambda a, b: a // b, "%": lambda a, b: a % b,
    "**": lambda a, b: a ** b,
}
_SEQUENCE = (str, list, tuple)


def binop(operator: str, left: Any, right: Any) -> Any:
    spend = tick()
    limit, bits = spend.budget.max_chars, spend.budget.max_int_bits
    if operator == "*":
        seq, n = (left, right) if isinstance(left, _SEQUENCE) else (right, left)
        if isinstance(seq, _SEQUENCE) and _is_int(n) and n > 0:
            if not isinstance(seq, str):
                _items(len(seq) * n, "a list")
            _refuse_over(weight(seq, limit) * n, "multiplying")
        elif _is_int(left) and _is_int(right):
            _int_bits(left.bit_length() + right.bit_length(), bits)
    elif operator == "**" and _is_int(left) and _is_int(right) and right > 0 \
            and abs(left) > 1:
        _int_bits(left.bit_length() * right, bits)
    elif operator == "%" and isinstance(left, str):
        _format_widths(left, right if isinstance(right, tuple) else (right,))
    try:
        result = _TABLE[operator](left, right)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise TemplateRuntimeError(f"{operator!r}: {exc}") from None
    if operator == "+" and isinstance(result, _SEQUENCE):
        sized(result)
    if _is_int(result):
        _int_bits(result.bit_length(), bits)
    return result


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _int_bits(n: int, limit: int) -> None:
    if n > limit:
        raise OverBudget("size", f"an integer of more than {limit} bits")


_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _format_widths(text: str, args: tuple[Any, ...]) -> None:
    """`%`-format widths and precisions (written, or passed for `*`) within the budget."""
    limit = tick().budget.max_chars
    star = False
    for m in _WIDTH.finditer(text):
        for g in m.groups():
            if g == "*":
                star = True
            elif g and (len(g) > 9 or int(g) > limit):
                _refuse_over(limit + 1, f"a format width of {g}")
    if star and any(_is_int(a) and abs(a) > limit for a in args):
        _refuse_over(limit + 1, "a format width passed for '*'")


# --- filters -----------------------------------------------------------------------------

# filters whose result is small whatever they are given: their input is not measured
_SMALL = frozenset({"length", "count", "first", "last", "abs", "int", "float", "round",
                    "min", "max", "wordcount", "default", "d", "safe", "random",
                    "filesizeformat", "truncate"})


def _center(a: dict[str, Any]) -> None:
    if _is_int(a.get("width")):
        _refuse_over(a["width"], "centering")


def _indent(a: dict[str, Any]) -> None:
    width, s = a.get("width", 4), a.get("s", "")
    w = len(width) if isinstance(width, str) else width if _is_int(width) else 0
    _refuse_over(w, "indenting")  # Jinja builds the indent before it looks at the value
    if isinstance(s, str):
        _refuse_over(len(s) + (s.count("\n") + 1) * w, "indenting")


def _wordwrap(a: dict[str, Any]) -> None:
    s, width, wrap = a.get("s", ""), a.get("width", 79), a.get("wrapstring") or "\n"
    if isinstance(s, str) and _is_int(width) and isinstance(wrap, str):
        _refuse_over(len(s) + (len(s) // max(width, 1) + 1) * len(wrap), "wrapping")


def _replace(a: dict[str, Any]) -> None:
    s, old, new = a.get("s"), a.get("old"), a.get("new")
    if isinstance(s, str) and isinstance(old, str) and isinstance(new, str):
        _refuse_over(len(s) + s.count(old) * max(len(new) - len(old), 0), "replacing")


def _join(a: dict[str, Any]) -> None:
    value, sep = a.get("value"), a.get("d", "")
    limit = tick().budget.max_chars
    if isinstance(sep, str) and isinstance(value, list | tuple):
        _refuse_over(weight(value, limit) + len(value) * len(sep), "joining")


def _format(a: dict[str, Any]) -> None:
    if isinstance(a.get("value"), str):
        _format_widths(a["value"], tuple(a.get("args", ())))


def _batch(a: dict[str, Any]) -> None:
    if _is_int(a.get("linecount")):
        _items(a["linecount"], "a batch")


def _slice(a: dict[str, Any]) -> None:
    if _is_int(a.get("slices")):
        _items(a["slices"], "a slice count")


def _depth(value: Any, limit: int) -> int:
    """How deep lists and mappings nest in `value` (counting stops past `limit`)."""
    deepest, stack = 0, [(value, 1)]
    while stack and deepest <= limit:
        v, d = stack.pop()
        if isinstance(v, Mapping):
            deepest = max(deepest, d)
            stack.extend((c, d + 1) for c in v.values())
        elif isinstance(v, list | tuple):
            deepest = max(deepest, d)
            stack.extend((c, d + 1) for c in v)
    return deepest


def _tojson(a: dict[str, Any]) -> None:
    indent = a.get("indent")
    width = len(indent) if isinstance(indent, str) else indent if _is_int(indent) else 0
    if width:  # every line is indented once per level it sits at
        limit = tick().budget.max_chars
        value = a.get("value")
        _refuse_over(weight(value, limit) * _depth(value, limit) * width, "indenting JSON")


_BEFORE: dict[str, Callable[[dict[str, Any]], None]] = {
    "center": _center, "indent": _indent, "wordwrap": _wordwrap, "replace": _replace,
    "join": _join, "format": _format, "batch": _batch, "slice": _slice, "tojson": _tojson,
}


def _numbers(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A filter without its own estimate gets no number argument past the item budget: a
    width, count or indent that large is never a page's (and may be its size)."""
    limit = tick().budget.max_items
    rest = list(args)
    while rest and isinstance(rest[0], Context | EvalContext | Environment):
        rest.pop(0)  # pass_context / pass_eval_context filters get these first
    for n in (*rest[1:], *kwargs.values()):
        if _is_int(n) and abs(n) > limit:
            raise OverBudget("size", f"a filter argument of {n}, at most {limit}")


# filters whose number arguments are values, not sizes
_NUMERIC = frozenset({"sum", "attr", "map", "select", "reject", "selectattr", "rejectattr"})

# what a built-in filter raises when given the wrong kind of value
_WRONG_KIND = (TypeError, ValueError, ArithmeticError, AttributeError, LookupError,
               AssertionError)


def budgeted_filters(filters: Mapping[str, Callable[..., Any]],
                     builtin: frozenset[str]) -> dict[str, Callable[..., Any]]:
    """Every filter, measured: inputs and results within the value budget, risky widths
    refused before the work. A built-in filter's TypeError or ValueError (a template
    passing the wrong kind of value) is a template error."""
    return {name: _measured(name, f, name in builtin) for name, f in filters.items()}


def _measured(name: str, f: Callable[..., Any], builtin: bool) -> Callable[..., Any]:
    before = _BEFORE.get(name)
    signature: inspect.Signature | None = None
    if before is not None:  # only an estimate binds the arguments (~60 filters, issue 26)
        with suppress(TypeError, ValueError):
            signature = inspect.signature(f)

    @functools.wraps(f)
    def run(*args: Any, **kwargs: Any) -> Any:
        if name not in _SMALL:
            for value in (*args, *kwargs.values()):
                if type(value) is not Context:  # what Jinja passes a pass_context filter
                    sized(value)  # (map, select...): the page's variables, not a value given
        if before is None and name not in _SMALL and name not in _NUMERIC:
            _numbers(args, kwargs)
        if before is not None and signature is not None:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                pass
            else:
                before(dict(bound.arguments))
        try:
            result = f(*args, **kwargs)
        except _WRONG_KIND as exc:
            if not builtin:
                raise
            raise TemplateRuntimeError(f"filter {name}: {exc}") from None
        return sized(result) if isinstance(result, (*_SEQUENCE, Markup, dict)) else result

    return run


# --- the compiled template -----------------------------------------------------------------

def add_charges(template: nodes.Template) -> nodes.Template:
    """Insert a charge at the start of every loop body, macro and call block (counting it
    and the literal text it writes), and measure every `~` concatenation."""
    for node in template.find_all((nodes.For, nodes.Macro, nodes.CallBlock)):
        body: list[nodes.Node] = node.body  # type: ignore[attr-defined]
        body.insert(0, _charge_stmt(_literal_size(body), node.lineno))
    for concat in list(template.find_all(nodes.Concat)):
        concat.nodes = [_call(SIZED, [n], n.lineno) for n in concat.nodes]
    template.body.insert(0, _charge_stmt(_literal_size(template.body), 1))
    return template


def _literal_size(body: list[nodes.Node]) -> int:
    return 1 + sum(len(d.data) for n in body for d in n.find_all(nodes.TemplateData)) + sum(
        len(n.data) for n in body if isinstance(n, nodes.TemplateData))


def _charge_stmt(weight: int, lineno: int) -> nodes.Stmt:
    return nodes.ExprStmt(_call(CHARGE, [nodes.Const(weight, lineno=lineno)], lineno),
                          lineno=lineno)


def _call(name: str, args: list[Any], lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(name, lineno=lineno), args, [], None, None,
                      lineno=lineno)
