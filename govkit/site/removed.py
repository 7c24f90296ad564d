"""What the sanitizer took out of a page, in words: the elements and attributes of the input
and classes that the output no longer has, counted (`removed <script> (1)`,
`removed onerror= (2)`, `removed class "evil" (1)`)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Count(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[f"<{tag}>"] += 1
        for name, value in attrs:
            self.found[f"{name}="] += 1
            if name == "class":
                for word in (value or "").split():
                    self.found[f'class "{word}"'] += 1


def _count(html: str) -> Counter[str]:
    parser = _Count()
    parser.feed(html)
    parser.close()
    return parser.found


def removed(before: str, after: str) -> list[str]:
    """`removed <tag> (n)` / `removed attr= (n)` for what `before` had more of, sorted."""
    gone = _count(before) - _count(after)
    return [f"removed {what} ({n})" for what, n in sorted(gone.items())]
