"""Escaping of every value that reaches a Markdown page (and the HTML it becomes)."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from govkit.formatting import fmt

NOT_DOCUMENTED = Markup('*Not documented* <!-- guidance: add this to the source YAML -->')
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {c: "\\" + c for c in "\\`*_[]|#!"}
    | {chr(c): " " for c in [*range(32), 127]}  # control characters become spaces
)
_ESCAPED: dict[str, Markup] = {}
STATUS_ICONS = {
    "pass": ":material-check-circle:{ .gk-pass title=\"pass\" } pass",
    "fail": ":material-close-octagon:{ .gk-fail title=\"fail\" } **FAIL**",
    "no_range": ":material-minus-circle-outline:{ .gk-none title=\"no range\" } no range",
    "insufficient_data": ":material-help-circle-outline:{ .gk-none title=\"insufficient data\" }"
                         " insufficient data",
}


def md(value: Any) -> Markup:
    """Escape a value for inline Markdown inside tables and lists (and HTML)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return NOT_DOCUMENTED
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, float):
        return Markup(fmt(value))
    text = str(value)
    escaped = _ESCAPED.get(text)
    if escaped is None:
        if len(_ESCAPED) > 50_000:  # card texts repeat on every version's page: keep them
            _ESCAPED.clear()
        escaped = _ESCAPED[text] = Markup(" ".join(text.translate(_ESCAPES).split()))
    return escaped


def block(value: Any) -> Markup:
    """Escape multi-paragraph prose, keeping blank-line paragraph breaks."""
    if value is None:
        return NOT_DOCUMENTED
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return Markup("\n\n".join(str(md(p)) for p in paragraphs))


def status_icon(status: str | None) -> Markup:
    return Markup(STATUS_ICONS.get(status or "", "–"))


def or_marker(value: Any) -> Any:
    """An explicit marker for a missing value or an empty list."""
    if value is None or value == [] or value == {} or value == "":
        return NOT_DOCUMENTED
    return value


def _finalize(value: Any) -> Any:
    return md(value)
