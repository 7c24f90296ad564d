"""One escaping function per Markdown position, for every value that reaches a page.

The Markdown extensions of the Material setup each open a door that HTML escaping leaves
unlocked: `attr_list` turns a trailing `{ onclick=... }` into an attribute, `emoji` turns
`:name:` into markup, a leading `1.` or `???` starts a block, a newline leaves inline code.
Each function below closes them for its position; `site/sanitize.py` checks the final HTML.

- `md`: inline text (table cells, list items, headings, link text, admonition titles)
- `block`: prose of several paragraphs
- `code`: inline code (the backticks included)
- `codeblock`: the body of a fenced ```text block
- `comment`: the body of an HTML comment
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from govkit.formatting import fmt

NOT_DOCUMENTED = Markup('*Not documented* <!-- guidance: add this to the source YAML -->')
_INVISIBLE = [*range(32), 127, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"}
    | {c: "\\" + c for c in "\\`*_[]|#!"}
    | dict.fromkeys(_INVISIBLE, " ")  # control and direction characters become spaces
)
# `:name:` is an emoji shortcode (pymdownx.emoji); break it at its first colon. Names have
# a letter but for these four, so times such as 04:28:53 stay as written.
_SHORTCODE = re.compile(r":(?=(?:[+\-\w]*[A-Za-z][+\-\w]*|100|1234|[+-]1):)")
# What starts a block when it begins a line: a list item, a numbered item, a setext
# underline, a details block, a fence, a definition.
_BLOCK_START = re.compile(r"^(?:-(?=[\s-]|$)|\+(?=\s|$)|\d+[.)](?=\s|$)|=+\s*$|\?{3}|~{3}|:(?=\s))")
_ESCAPED: dict[str, Markup] = {}
STATUS_ICONS = {
    "pass": ":material-check-circle:{ .gk-pass title=\"pass\" } pass",
    "fail": ":material-close-octagon:{ .gk-fail title=\"fail\" } **FAIL**",
    "no_range": ":material-minus-circle-outline:{ .gk-none title=\"no range\" } no range",
    "insufficient_data": ":material-help-circle-outline:{ .gk-none title=\"insufficient data\" }"
                         " insufficient data",
}


def md(value: Any) -> Markup:
    """Inline Markdown text: one line, no markup, no extension syntax, no raw HTML."""
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
        out = " ".join(text.translate(_ESCAPES).split())
        out = _SHORTCODE.sub("&#58;", out)
        out = _BLOCK_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), out)
        escaped = _ESCAPED[text] = Markup(out)
    return escaped


def block(value: Any) -> Markup:
    """Prose: paragraphs separated by blank lines, each escaped as inline text."""
    if value is None:
        return NOT_DOCUMENTED
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return Markup("\n\n".join(str(md(p)) for p in paragraphs))


def code(value: Any) -> Markup:
    """Inline code, backticks included: one line, no backtick inside."""
    if value is None:
        return NOT_DOCUMENTED
    text = " ".join(str(value).translate(_CODE).split()) or " "
    return Markup(f"`{text}`")


_CODE = str.maketrans({"`": "'"} | dict.fromkeys(_INVISIBLE, " "))


def codeblock(value: Any) -> Markup:
    """The lines of a fenced block: no backtick (no closing fence), no control characters."""
    lines = str(value or "").replace("\r\n", "\n").split("\n")
    keep = [line.translate(_CODE).rstrip() for line in lines]
    return Markup("\n".join(keep).strip("\n"))


def comment(value: Any) -> Markup:
    """The body of an HTML comment: it cannot end the comment (`-->`, `--!>`) early."""
    text = " ".join(str(value).translate(_CODE).split())
    return Markup(re.sub(r"-(?=-)", "- ", text).replace(">", "&gt;"))


def status_icon(status: str | None) -> Markup:
    return Markup(STATUS_ICONS.get(status or "", "–"))


def or_marker(value: Any) -> Any:
    """An explicit marker for a missing value or an empty list."""
    if value is None or value == [] or value == {} or value == "":
        return NOT_DOCUMENTED
    return value
