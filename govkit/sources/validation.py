"""Turn pydantic errors into `FILE:LINE: field: message (fix)` problems."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import types
import typing
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.resolver import Resolver

from govkit.errors import Problem
from govkit.model import Loc, YamlDoc, dotted
from govkit.schemas.alerts import DURATION_RE
from govkit.schemas.common import INPUT_RULE
from govkit.schemas.config import UI_URL_RE

M = TypeVar("M", bound=BaseModel)

_HINTS = {
    "float_parsing": "write a number, e.g. 0.85",
    "float_type": "write a number, e.g. 0.85",
    "finite_number": "NaN and infinity are not allowed: write a finite number",
    "int_parsing": "write a whole number, e.g. 1000",
    "int_from_float": "write a whole number, e.g. 1000",
    "int_type": "write a whole number, e.g. 1000",
    "bool_type": "write true or false",
    "enum": "use one of the listed values",
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
# a pattern's own fix (default: the generic string_pattern_mismatch hint)
_PATTERN_HINTS = {
    DURATION_RE: "write a duration such as 15m or 1h30m",
    UI_URL_RE: "write an http(s) URL without spaces, quotes or < >",
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
    try:  # strict: as the JSON Schemas, a quoted number or boolean is text
        return model.model_validate(doc.data, strict=True)
    except ValidationError as exc:
        problems.extend(problem_from_error(model, doc, err) for err in exc.errors())
        return None


def problem_from_error(model: type[BaseModel], doc: YamlDoc, err: Any) -> Problem:
    schema_loc: Loc = tuple(err["loc"])
    loc = _in_data(doc.data, schema_loc)
    kind = err["type"]
    field = dotted(loc)
    line = doc.line_of(loc)
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(model, schema_loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"
        return Problem(doc.path, line, field, "unknown field", hint)
    if kind == "missing":
        return Problem(doc.path, line, field, "required field is missing",
                       f"add '{loc[-1]}:'")
    msg = err["msg"].removeprefix("Value error, ")
    if kind not in ("value_error", "assertion_error", INPUT_RULE) and "input" in err:
        msg += f", got {_short(err['input'])}"
    ctx = err.get("ctx") or {}
    fix = (ctx.get("hint") or _quoted_hint(kind, err.get("input"))
           or _PATTERN_HINTS.get(ctx.get("pattern", "")))
    return Problem(doc.path, line, field, msg, str(fix or _HINTS.get(kind, "")))


_TAGS = {"tag:yaml.org,2002:int": "int", "tag:yaml.org,2002:float": "float",
         "tag:yaml.org,2002:bool": "bool"}


def _quoted_hint(kind: str, value: Any) -> str | None:
    """Text where a number or boolean belongs: say what to write without quotes."""
    if not isinstance(value, str) or kind not in ("float_type", "int_type", "bool_type"):
        return None
    plain = _TAGS.get(Resolver().resolve(yaml.ScalarNode, value, (True, False)))
    if kind == "bool_type":
        return "remove the quotes: write true or false" if plain == "bool" else None
    try:
        number = float(value)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if plain == "int" or (plain == "float" and kind == "float_type"):
        return f"remove the quotes: write {value}"
    if kind == "float_type":  # e.g. 1e-3, a float in YAML 1.2 and JSON
        return f"YAML 1.1 reads {value} as text: write {yaml.safe_dump(number).split()[0]}"
    return None


def _in_data(data: Any, loc: Loc) -> Loc:
    """`loc` without the member names pydantic adds for tagged unions (features.x.numeric.mean)."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if i < len(loc) - 1 and isinstance(data, dict) and part not in data:
            continue
        out.append(part)
        data = _child(data, part)
    return tuple(out)


def _child(data: Any, part: str | int) -> Any:
    if isinstance(data, dict):
        return data.get(part)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


def _short(value: Any) -> str:
    text = str(value) if isinstance(value, dt.date) else repr(value)
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
        return {info.alias or name for name, info in current.model_fields.items()}
    return set()


def _member(union: Any, tag: str | int) -> Any:
    """The member of a tagged union whose Literal field holds `tag` (pydantic's loc part)."""
    for member in typing.get_args(union):
        if isinstance(member, type) and issubclass(member, BaseModel) and any(
            tag in typing.get_args(info.annotation) for info in member.model_fields.values()
            if typing.get_origin(info.annotation) is typing.Literal
        ):
            return member
    return None


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
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return _member(tp, part)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        fields = tp.model_fields
        info = fields.get(str(part)) or next(
            (i for i in fields.values() if i.alias == part), None)  # YAML keys are aliases
        return info.annotation if info else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is dict and args:
        return args[1]
    if origin in (list, tuple) and args:
        return args[0]
    return None
