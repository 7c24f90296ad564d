"""Turn pydantic errors into `FILE:LINE: field: message (fix)` problems."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from govkit.errors import Problem
from govkit.model import Loc, YamlDoc, dotted

M = TypeVar("M", bound=BaseModel)

_HINTS = {
    "float_parsing": "write a number, e.g. 0.85",
    "float_type": "write a number, e.g. 0.85",
    "finite_number": "NaN and infinity are not allowed: write a finite number",
    "int_parsing": "write a whole number, e.g. 1000",
    "int_from_float": "write a whole number, e.g. 1000",
    "string_type": "write text; quote it if YAML reads it as something else",
    "list_type": "write a list: one '- item' per line",
    "dict_type": "write a mapping of 'key: value' lines",
    "model_type": "write a mapping of 'key: value' lines",
    "date_from_datetime_parsing": "write a date like 2024-01-15",
    "date_parsing": "write a date like 2024-01-15",
    "date_type": "write a date like 2024-01-15",
    "literal_error": "use one of the listed values",
    "string_too_short": "write some text or remove the field",
    "string_pattern_mismatch": "use letters, digits and _ . @ % -",
    "greater_than_equal": "use a value that is not negative",
    "tuple_type": "write a two-item list, e.g. [0.84, 0.89]",
    "too_short": "write a two-item list, e.g. [0.84, 0.89]",
    "too_long": "write a two-item list, e.g. [0.84, 0.89]",
}


def validate_doc(model: type[M], doc: YamlDoc, problems: list[Problem]) -> M | None:
    """Validate `doc.data` into `model`; append every problem found and return None on failure."""
    if not isinstance(doc.data, dict):
        got = "an empty file" if doc.data is None else type(doc.data).__name__
        problems.append(
            Problem(doc.path, 1, "", f"expected a mapping of fields, got {got}",
                    "see `govkit schema` for the fields")
        )
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problem_from_error(model, doc, err) for err in exc.errors())
        return None


def problem_from_error(model: type[BaseModel], doc: YamlDoc, err: Any) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    field = dotted(loc)
    line = doc.line_of(loc)
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(model, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        return Problem(doc.path, line, field, "unknown field", hint)
    if kind == "missing":
        return Problem(doc.path, line, field, "required field is missing",
                       f"add '{loc[-1]}:'")
    msg = err["msg"].removeprefix("Value error, ")
    if kind not in ("value_error", "assertion_error") and "input" in err:
        msg += f", got {_short(err['input'])}"
    return Problem(doc.path, line, field, msg, _HINTS.get(kind, ""))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """Field names of the model class reached by following `loc` from `model`."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return set()
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else tp
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    return tp


def _step(tp: Any, part: str | int) -> Any:
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(str(part))
        return info.annotation if info else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is dict and args:
        return args[1]
    if origin in (list, tuple) and args:
        return args[0]
    return None
