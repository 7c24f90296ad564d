"""How numbers, names and paths are shown: one place for every page, report and message."""

from __future__ import annotations

import os
import re
from pathlib import Path

# C0/C1 controls but tab and newline; Unicode line/paragraph separators; bidi overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n]")


def fmt(value: float | None) -> str:
    """Stable number formatting: integers as is, else 2 to 4 decimals (0.40, 0.8725)."""
    if value is None:
        return "–"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    if abs(value) < 1e-3 or abs(value) >= 1e9:
        return f"{value:.4g}"
    text = f"{value:.4f}".rstrip("0")
    decimals = len(text.split(".")[1])
    return text + "0" * max(0, 2 - decimals)


def slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p) or "segment"


def display_path(path: Path) -> str:
    """Path as the user should see it: relative to the working directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def printable(text: str) -> str:
    """Text safe for a terminal or CI log: control characters (CR, ESC, ...) become spaces."""
    return _CONTROL.sub(" ", text)


def one_line(text: str) -> str:
    """`printable`, and tabs and newlines too: a table cell or a log field from an input."""
    return _BREAKS.sub(" ", printable(text))


def page_url(md_path: str, html_pages: bool = True) -> str:
    """A generated page's URL relative to the site root: `a/b.md` -> `a/b.html`, or with
    MkDocs' directory URLs `a/b/` (and `a/index.md` -> `a/`)."""
    stem = md_path.removesuffix(".md")
    if html_pages:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"
