"""The per-segment chart as readers see it on the built example card (issue 24), in Chromium:
shown under the segment table and loaded, its whiskers inside the plot (measured from the
drawn SVG's boxes), its text at >= 11 px and its ink at >= 4.5:1 against what is behind the
image (CONTRAST_JS), in the light and dark schemes at 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser import CONTRAST_JS, open_page, require_chromium
from tests.site.test_chart_text import _filtered, _rgb, _text_style

require_chromium()

CARD = "models/upsell/index.html"
FIND = """const img = [...document.querySelectorAll('article img.gk-chart')]
  .find(i => i.getAttribute('src').includes('-segments-'));
if (!img) return null;
img.scrollIntoView({block: 'center'});
const box = img.getBoundingClientRect();
const seen = document.elementFromPoint(Math.max(box.left, 0) + 10, box.top + box.height / 2);
return [img.src, img.complete && img.naturalWidth > 0, box.width, box.height, img.naturalWidth,
        seen === img, getComputedStyle(img).filter, img.alt,
        img.closest('p').nextElementSibling.textContent];"""
# the drawn SVG opened on its own: the axes (stroke-width 1) and each row's whisker
GEOMETRY = """const paths = [...document.querySelectorAll('path')];
const axes = paths.find(p => p.getAttribute('stroke-width') === '1').getBBox();
return [[axes.x, axes.y, axes.x + axes.width, axes.y + axes.height],
  paths.filter(p => p.getAttribute('stroke-width') === '1.6'
                    && (p.getAttribute('d').match(/M/g) || []).length === 3)
    .map(p => p.getBBox()).filter(b => b.y < axes.y + axes.height)
    .map(b => [b.x, b.y, b.x + b.width, b.y + b.height])];"""
CONTRAST = CONTRAST_JS + """
const img = [...document.querySelectorAll('article img.gk-chart')]
  .find(i => i.getAttribute('src').includes('-segments-'));
const back = behind(img);
return ratio(over(parse(arguments[0]), back), back);"""



@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_segment_chart_is_shown_readable_and_whiskers_inside(
        chrome: Any, example_html: Path, width: int, dark: bool) -> None:
    open_page(chrome, f"{example_html.as_uri()}/{CARD}", width=width, dark=dark)
    found = chrome.execute_script(FIND)
    assert found, "no segment chart on the card"
    src, loaded, shown, tall, natural, visible, css, alt, caption = found
    assert loaded and shown > 0 and tall > 0 and visible, found
    assert alt.startswith("Accuracy for New Users: 0.70 is below") and alt not in caption
    svg = Path(src.removeprefix("file://")).read_text(encoding="utf-8")
    size, fills = _text_style(svg)
    drawn = size * shown / natural
    assert drawn >= 11, (size, shown, natural)
    ratios = [chrome.execute_script(CONTRAST, "rgb({}, {}, {})".format(
        *_filtered(_rgb(fill), css))) for fill in fills]
    assert min(ratios) >= 4.5, (fills, css, ratios)
    open_page(chrome, src, width=width, dark=dark)
    (left, top, right, bottom), whiskers = chrome.execute_script(GEOMETRY)
    assert len(whiskers) == 4  # the four segments record an interval; overall has none
    assert all(left <= x0 and x1 <= right and top <= y0 and y1 <= bottom
               for x0, y0, x1, y1 in whiskers), ((left, top, right, bottom), whiskers)
    print(f"{width}px {'dark' if dark else 'light'}: text {drawn:.1f} px, ink "
          f">= {min(ratios):.2f}:1, {len(whiskers)} whiskers inside the plot")
