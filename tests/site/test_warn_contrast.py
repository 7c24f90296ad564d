"""The warning colour is readable (issue 24): the `.gk-warn` marks on the pages that carry a
warning, against what is behind them (a failing row's background included), and the white
word on a "warning" badge, at >= 4.5:1 in both schemes, from the colours Chromium computes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govkit.site.badge import badge_svg
from tests.browser import CONTRAST_JS, open_page, require_chromium

require_chromium()

PAGES = ("systems/churn.html", "models/churn/training.html")

# Same compositing and WCAG ratio as test_fail_rows: the element's colour over the opaque
# colour behind it. `fill` for SVG (the badge), else `color` (an icon drawn in currentColor).
MEASURE = CONTRAST_JS + """
if (document.documentElement.tagName === 'svg') {
  const rects = [...document.querySelectorAll('rect')];
  const back = parse(getComputedStyle(rects[rects.length - 1]).fill);
  return [...document.querySelectorAll('text')].slice(1).map(t =>
    ({text: t.textContent, ratio: ratio(over(parse(getComputedStyle(t).fill), back), back)}));
}
return [...document.querySelectorAll('article .gk-warn')].map(el => {
  const bg = behind(el);
  return {text: el.closest('td, p, li')?.textContent.trim().slice(0, 50),
          ratio: ratio(over(parse(getComputedStyle(el).color), bg), bg)}; });
"""



@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_warning_marks_are_readable(chrome: Any, example_html: Path, dark: bool) -> None:
    marks: list[dict[str, Any]] = []
    for page in PAGES:
        open_page(chrome, example_html.as_uri() + "/" + page, dark=dark)
        found = chrome.execute_script(MEASURE)
        assert found, page  # both pages show a warning
        marks += [{**m, "page": page} for m in found]
    low = [m for m in marks if m["ratio"] < 4.5]
    assert low == [], low
    print(f"{'dark' if dark else 'light'}: {len(marks)} warning marks, lowest "
          f"{min(m['ratio'] for m in marks):.2f}:1")


def test_warning_badge_word_is_readable(chrome: Any, tmp_path: Path) -> None:
    badge = tmp_path / "badge.svg"
    badge.write_bytes(badge_svg("churn", "warn"))
    open_page(chrome, badge.as_uri())
    words = chrome.execute_script(MEASURE)
    assert [w["text"] for w in words] == ["warning"]
    assert words[0]["ratio"] >= 4.5, words
    print(f"badge: white on the warning colour at {words[0]['ratio']:.2f}:1")
