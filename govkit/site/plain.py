"""Templates receive plain data: dicts, lists, strings, numbers, booleans and None.

Never a pydantic model, a dataclass or anything else with methods a template could call.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, TypedDict

from pydantic import BaseModel

from govkit.checks.results import CheckResult, Kind, Status
from govkit.site.anchors import anchor

Plain = dict[str, Any] | list[Any] | str | int | float | bool | None


def plain(value: Any) -> Any:
    """`value` as nested dicts/lists/scalars (pydantic models dumped by alias, dates as ISO)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, BaseModel):  # JSON mode: already str keys, lists and scalars
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not plain data for a template: {type(value).__name__}")


class CheckData(TypedDict):
    """A check result as a template sees it."""

    id: str
    anchor: str
    model: str
    version: str
    metric: str
    label: str
    segment: str | None
    value: float | None
    range: str
    status: Status
    message: str
    source: str
    line: int | None
    kind: Kind
    window: str | None
    failed: bool


def check_data(check: CheckResult) -> CheckData:
    """A check result as a template sees it."""
    return {
        "id": check.id, "anchor": anchor(check.id), "model": check.model, "version": check.version,
        "metric": check.metric, "label": check.label, "segment": check.segment,
        "value": check.value, "range": str(check.range), "status": check.status,
        "message": check.message, "source": check.source, "line": check.line,
        "kind": check.kind, "window": check.window, "failed": check.failed,
    }
