"""Check rows in the site's search: pasting a CI check id finds its row and opens it there.

The search plugin indexes whole pages. After it wrote its index, each row that carries a
check's anchor (`site/anchors.py`) is added as a section of its page, `page#anchor`: titled
with the cell that holds the id (label, segment, id), its text the row's cells and the id's
parts (so a metric key such as `precision_at_10` and a label such as `Precision@10%` both
find it).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from govkit.site.anchors import SAFE


class _Rows(HTMLParser):
    """(anchor, title, text) of each table row (or paragraph) holding a `gk-check` span; the
    title is the text of the cell that holds it (the label, segment and id)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, str, str]] = []
        self._depth = 0  # inside a <tr> or <p>
        self._text: list[str] = []
        self._cell: list[str] = []
        self._anchor: str | None = None
        self._title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("tr", "p") and not self._depth:
            self._depth, self._text, self._anchor, self._title = 1, [], None, ""
            self._cell = []
        elif tag in ("td", "th"):
            self._cell = []
        if tag in ("td", "th", "br"):
            self._text.append(" ")
            self._cell.append(" ")
        found = dict(attrs)
        if tag == "span" and "gk-check" in (found.get("class") or "").split():
            value = found.get("id") or ""
            if SAFE.fullmatch(value):
                self._anchor = value

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._anchor and not self._title:
            self._title = _words(self._cell)
        if tag in ("tr", "p") and self._depth:
            self._depth = 0
            if self._anchor:
                text = _words(self._text)
                self.rows.append((self._anchor, self._title or text, text))

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._text.append(data)
            self._cell.append(data)


def _words(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def collect(html: str) -> list[tuple[str, str, str]]:
    parser = _Rows()
    parser.feed(html)
    parser.close()
    return parser.rows


def with_rows(index: str, rows: dict[str, list[tuple[str, str, str]]]) -> str:
    """The search index (JSON text) with each page's check rows after the page's entries."""
    data = json.loads(index)
    docs = []
    for doc in data.get("docs", []):
        docs.append(doc)
        location = doc.get("location", "")
        for anchor, title, text in rows.get(location, []) if "#" not in location else []:
            docs.append({"location": f"{location}#{anchor}", "title": title,
                         "text": f"{text} {' '.join(anchor.split('/'))}"})
    data["docs"] = docs
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
