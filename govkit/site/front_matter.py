"""A page's front matter as the theme may see it: Material prints page.meta values (title,
description, author, subtitle in every page's navigation, ...) unescaped, and some name
templates or icon files. Only the keys below stay, as text; every other key is removed and
reported. Hand-written pages and template overrides write front matter, so this runs on every
page, whoever wrote it."""

from __future__ import annotations

import html
from typing import Any

TEXT_KEYS = frozenset({"title", "description"})
HIDE = frozenset({"navigation", "toc", "footer", "path", "tags", "feedback"})


def _text(value: Any) -> str:
    """Plain text, HTML-escaped once (an already escaped value stays as it was)."""
    return html.escape(html.unescape(str(value)))


def clean(meta: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The allowed part of `meta`, and what was removed, in words."""
    kept: dict[str, Any] = {}
    gone: list[str] = []
    for key, value in meta.items():
        if key in TEXT_KEYS and isinstance(value, str | int | float):
            kept[key] = _text(value)
        elif key == "tags" and isinstance(value, list) and all(
                isinstance(t, str | int | float) for t in value):
            kept[key] = [_text(t) for t in value]
        elif key == "hide" and isinstance(value, list) and set(value) <= HIDE:
            kept[key] = list(value)
        else:
            gone.append(f"removed front matter {str(key)[:40]}")
    return kept, gone


def plain_titles(items: list[Any], pages: list[Any]) -> None:
    """Every navigation title and every page's title as text: mkdocs makes them from file and
    folder names too, and Material prints them unescaped."""
    for item in items:
        if item.title is not None:
            item.title = _text(item.title)
        plain_titles(getattr(item, "children", None) or [], [])
    for page in pages:
        if page.title is not None:
            page.title = _text(page.title)
