"""The theme's template whitespace taken out of built pages.

Material's navigation templates emit indentation for every item they loop over, pruned ones
included, so a page's HTML grew with the number of pages in its section (a third of a card's
bytes at 2,000 pages). Runs of whitespace that hold a line break and touch a tag become one
line break: the browser renders them the same (one space at most). Inside ``pre``,
``textarea``, ``code``, ``script`` and ``style`` nothing changes.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"(<(pre|textarea|code|script|style)\b.*?</\2\s*>)", re.S | re.I)
_AFTER_TAG = re.compile(r">[ \t\r\f\v]*\n\s*")
# runs before a tag, matched in the reversed text: a pattern that starts with a literal is
# searched for quickly, one that starts with whitespace is tried at every space (4x slower)
_BEFORE_TAG_REVERSED = re.compile(r"<[ \t\r\f\v]*\n\s*")


def collapse(html: str) -> str:
    parts = _KEEP.split(html)
    out = []
    # split() yields text, whole kept element, its tag name, text, ...; a kept element's own
    # tags bound the text beside it, so they are put back while that text is collapsed
    for i in range(0, len(parts), 3):
        before, after = (">" if i else ""), ("<" if i + 1 < len(parts) else "")
        text = _AFTER_TAG.sub(">\n", before + parts[i] + after)
        text = _BEFORE_TAG_REVERSED.sub("<\n", text[::-1])[::-1]
        out.append(text[len(before):len(text) - len(after)])
        if after:
            out.append(parts[i + 1])
    return "".join(out)
