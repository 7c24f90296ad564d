"""Shared building blocks of every govkit schema."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")


class Strict(BaseModel):
    """Base of all input schemas: unknown fields are errors, values are re-validated."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


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


Slug = Annotated[str, AfterValidator(_slug)]
Version = Annotated[str, BeforeValidator(_version), AfterValidator(_safe_version)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1)]


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Natural sort key: '2.10.0' after '2.9.1'; numbers before letters in each part."""
    parts = re.findall(r"\d+|[A-Za-z]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)
