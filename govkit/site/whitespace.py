"""The theme's template whitespace taken out of built pages.

Material's navigation templates emit indentation for every item they loop over, pruned ones
included, so a page's HTML grew with the number of pages in its section (a third of a card's
bytes at 2,000 pages). Runs of whitespace that hold a line break and touch a tag become one
line break: the browser renders them the same (one space at most). Inside ``pre``,
``textarea``, ``code``, ``script`` and ``style`` nothing changes.
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"<(pre|textarea|code|script|style)\b", re.I)
_CLOSE = {tag: re.compile(rf"</{tag}\s*>", re.I)
          for tag in ("pre", "textarea", "code", "script", "style")}
_AFTER_TAG = re.compile(r">[ \t\r\f\v]*\n\s*")
# runs before a tag, matched in the reversed text: a pattern that starts with a literal is
# searched for quickly, one that starts with whitespace is tried at every space (4x slower)
_BEFORE_TAG_REVERSED = re.compile(r"<[ \t\r\f\v]*\n\s*")


def _kept(html: str) -> list[tuple[int, int]]:
    """Spans of the elements left as they are, in one pass: an element without its closing
    tag is not kept, and once a tag has no closing tag ahead, none of its later openings is
    looked up again (so unclosed tags in a hostile page cost linear time)."""
    spans: list[tuple[int, int]] = []
    unclosed: set[str] = set()
    pos = 0
    while (start := _OPEN.search(html, pos)) is not None:
        tag = start[1].lower()
        end = None if tag in unclosed else _CLOSE[tag].search(html, start.end())
        if end is None:
            unclosed.add(tag)
            pos = start.end()
            continue
        spans.append((start.start(), end.end()))
        pos = end.end()
    return spans


def _collapse_text(text: str) -> str:
    text = _AFTER_TAG.sub(">\n", text)
    return _BEFORE_TAG_REVERSED.sub("<\n", text[::-1])[::-1]


def collapse(html: str) -> str:
    out = []
    pos = 0
    # a kept element's own tags bound the text beside it, so they are put back while that
    # text is collapsed
    for start, end in [*_kept(html), (len(html), len(html))]:
        before, after = (">" if pos else ""), ("<" if start < len(html) else "")
        text = _collapse_text(before + html[pos:start] + after)
        out.append(text[len(before):len(text) - len(after)])
        out.append(html[start:end])
        pos = end
    return "".join(out)
