"""A failing row is highlighted and everything written in it stays readable (issue 24): text
and links against the row's background at >= 4.5:1 (WCAG AA), both schemes, measured from the
colours Chromium computes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser import CONTRAST_JS, open_page, require_chromium

require_chromium()

PAGES = ("index.html", "models/churn/index.html", "models/upsell/index.html",
         "models/churn/monitoring/2024-02-01.html", "tags/retention.html")

# The colour a cell's text is drawn in and the opaque colour behind it: the cell's background
# laid over its ancestors' (an alpha background is composited, as the screen shows it).
MEASURE = CONTRAST_JS + """
const out = [];
for (const row of document.querySelectorAll('article tr:has(.gk-fail)')) {
  const rowBg = behind(row.querySelector('td'));
  for (const el of row.querySelectorAll('td, td *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const fg = parse(getComputedStyle(el).color);
    const bg = behind(el);
    out.push({text: el.textContent.trim().slice(0, 40), tag: el.tagName,
              ratio: ratio(over(fg, bg), bg), highlighted: ratio(rowBg, behind(row.closest("article"))) > 1.1});
  }
}
return out;
"""



@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_failing_rows_are_highlighted_and_readable(chrome: Any, example_html: Path,
                                                   dark: bool) -> None:
    measured, low, least = 0, [], 21.0
    for page in PAGES:
        open_page(chrome, example_html.as_uri() + "/" + page, dark=dark)
        assert chrome.execute_script("return document.body.dataset.mdColorScheme") == (
            "slate" if dark else "default")
        cells = chrome.execute_script(MEASURE)
        assert cells, page  # every one of these pages has a failing row
        assert all(c["highlighted"] for c in cells), (page, cells[0])
        low += [(page, round(c["ratio"], 2), c["text"]) for c in cells if c["ratio"] < 4.5]
        measured += len(cells)
        least = min(least, *(c["ratio"] for c in cells))
    assert low == [], "\n".join(map(str, low))
    print(f"{'dark' if dark else 'light'}: {measured} texts in failing rows, lowest {least:.2f}:1")
