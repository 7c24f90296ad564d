"""Check ids as addresses: the HTML anchor of each check's row, and where that row is.

A check's CI id (`churn/live/2024-02-01/segment/user-segment-new-users/auc_roc`) is its
anchor, reduced to a safe alphabet. Every anchor holds a `/`: it can never be a JavaScript
identifier (no DOM clobbering of a global) nor one of the theme's own ids; the sanitizer
keeps an `id` only in that shape (`site/sanitize.py`).
"""

from __future__ import annotations

import re

from markupsafe import Markup

from govkit.site.escape import md

_UNSAFE = re.compile(r"[^A-Za-z0-9._/-]")
SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*/[A-Za-z0-9._/-]*")


def anchor(check_id: str) -> str:
    """The id attribute of a check's row: its id, other characters as `-`."""
    out = _UNSAFE.sub("-", check_id).lstrip("./-_") or "check"
    return out if "/" in out else f"check/{out}"


def row_anchor(check: dict[str, object] | None) -> Markup:
    """A check row's anchor with its id as text (what CI prints, to copy and to search)."""
    if not check:
        return Markup("")
    text = str(check["id"])
    return Markup('<span class="gk-check" id="{}">{}</span>').format(
        Markup(anchor(text)), md(text))

