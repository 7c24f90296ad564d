"""Shared building blocks of every govkit schema."""


import datetime as dt
import re
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")


def empty_list() -> list[Any]:
    """`Field(default_factory=empty_list)`, not `list`: pydantic reads a default factory's
    signature for every field it builds, and `list`'s is parsed from text (~70 µs, with a
    one-off ~1.5 ms tokenizer build) where a function's takes ~4 µs (issue 26)."""
    return []


M = TypeVar("M", bound=BaseModel)


def default_of(model: type[M]) -> Callable[[], M]:
    """`Field(default_factory=default_of(X))`: X with every field at its default, made with
    `model_construct` (defaults are not validated either way, and X has no validator), so a
    file that leaves X out does not build X's own validator: 0.2-1.4 ms each (issue 26).
    tests/schemas/test_defaults.py checks each such default equals `X()`."""
    def factory() -> M:
        return model.model_construct()

    factory.default_of = model  # type: ignore[attr-defined]  # read by the test
    return factory


class Strict(BaseModel):
    """Base of all input schemas: unknown fields are errors, values are re-validated.

    Files are validated with ``strict=True`` (sources/validation.py): a quoted number is
    text, as in the JSON Schemas. The few conversions those allow are explicit below.
    """

    # defer_build (every govkit model): a validator is built when first used, so a command
    # pays for the shapes it reads, not all ~100 (issue 26: ~0.06 s of `govkit check`)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False,
                              defer_build=True)


def present(*names: str) -> dict[str, Any]:
    """JSON Schema: each of `names` is written and is not null."""
    return {"required": list(names),
            "properties": {n: {"not": {"type": "null"}} for n in names}}


def cross_field(*rules: dict[str, Any], govkit_only: str = "") -> dict[str, Any]:
    """A model's `json_schema_extra`: the cross-field rules JSON Schema can state (all must
    hold), and a `$comment` naming those only govkit checks (comparing two values, a file's
    name, uniqueness by a key: draft 2020-12 cannot say them)."""
    extra: dict[str, Any] = {"allOf": list(rules)} if rules else {}
    if govkit_only:
        extra["$comment"] = f"checked by govkit, not by this schema: {govkit_only}"
    return extra


ORDER_RULE = "min <= max"


def require_order(low: float | None, high: float | None) -> None:
    """A documented range's bounds in order (min <= max), said the same way in every file."""
    if low is not None and high is not None and low > high:
        raise ValueError(f"min ({low}) is greater than max ({high})")


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(
            f"{value!r} is not a safe name: use lowercase letters, digits, '-' or '_' "
            "(at most 64 characters, no '/', '.' or spaces)"
        )
    return value


def _version(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a version string such as '2.3.0'")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(f"version {value!r} was read as a number: quote it, e.g. '{value}'")
    return value


def _safe_version(value: str) -> str:
    if not VERSION_RE.match(value) or ".." in value:
        raise ValueError(
            f"{value!r} is not a safe version: use letters, digits and . _ + - "
            "(no '/', no '..', at most 64 characters)"
        )
    return value


INPUT_RULE = "govkit_input_rule"


def input_rule(message: str, hint: str) -> PydanticCustomError:
    """A broken rule of an input file, with its fix (shown as `message (hint)`)."""
    return PydanticCustomError(INPUT_RULE, message, {"hint": hint})


def usable_url(value: str) -> str:
    """A URL urllib can take apart: a port that is a number from 0 to 65535, brackets that
    close (the value is not repeated: it may hold credentials)."""
    try:
        _ = urlsplit(value).port  # urllib checks the port when asked for it
    except ValueError as exc:
        raise input_rule(f"not a usable URL: {exc}",
                         "write e.g. https://mlflow.example.com:5000/") from None
    return value


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_date(value: Any) -> Any:
    """YAML reads 2024-01-15 as a date; the JSON Schema writes it as text: both are dates."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "expected a date without a time")
    if not isinstance(value, str):
        return value
    if not _ISO_DATE.match(value):
        raise PydanticCustomError("date_parsing", "expected a date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise PydanticCustomError("date_parsing", "not a valid date: {reason}",
                                  {"reason": str(exc)}) from None


def _pair(value: Any) -> Any:
    """YAML and JSON write a pair as a list."""
    return tuple(value) if isinstance(value, list) else value


def member_of(enum: type[Enum]) -> BeforeValidator:
    """A YAML string names a member of `enum` (strict validation accepts only members)."""

    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return enum(value)
        except ValueError:
            names = ", ".join(repr(m.value) for m in enum)
            raise PydanticCustomError("enum", "Input should be one of {names}",
                                      {"names": names}) from None

    checked: Callable[[Any], Any] = convert
    return BeforeValidator(checked)


Slug = Annotated[str, AfterValidator(_slug),
                 Field(json_schema_extra={"pattern": SLUG_RE.pattern})]
Version = Annotated[str, BeforeValidator(_version), AfterValidator(_safe_version)]
# JSON Schema of a finite number: the bounds refuse infinity (YAML `.inf`, `1e400`), and the
# `not` refuses NaN, the one number that satisfies both impossible bounds (comparisons with
# NaN are false), so editors and check-jsonschema reject what govkit rejects.
# A field's own bound (`ge=0`, `gt=0`) is kept: the finite bounds only fill a missing side.
_MAX = 1.7976931348623157e308


def _finite(schema: dict[str, Any]) -> None:
    if "minimum" not in schema and "exclusiveMinimum" not in schema:
        schema["minimum"] = -_MAX
    if "maximum" not in schema and "exclusiveMaximum" not in schema:
        schema["maximum"] = _MAX
    schema["not"] = {"type": "number", "minimum": _MAX, "maximum": -_MAX}


FiniteFloat = Annotated[float, Field(allow_inf_nan=False, json_schema_extra=_finite)]
Text = Annotated[str, Field(min_length=1)]
Url = Annotated[str, AfterValidator(usable_url)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
FloatPair = Annotated[tuple[FiniteFloat, FiniteFloat], BeforeValidator(_pair)]


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural sort key: '2.10.0' after '2.9.1'; numbers before letters in each part."""
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)
