"""Accessible names Material's templates leave out, added to each page the theme renders.

Material's search overlay is a `role="dialog"` without a name (axe-core: aria-dialog-name,
serious): screen readers announce "dialog" and nothing else. The `govkit` plugin names it.
"""

from __future__ import annotations

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_SEARCH = SEARCH_DIALOG[:-1] + ' aria-label="Search">'


def add(html: str) -> str:
    """`html` with the theme's search dialog named (once; other pages unchanged)."""
    return html.replace(SEARCH_DIALOG, NAMED_SEARCH, 1)
