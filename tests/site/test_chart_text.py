"""Chart text as readers see it (issue 24): every SVG chart on the history, monitoring and card
pages is drawn with its text at >= 11 px (the chart never scaled below that; a wide chart
scrolls in its own box) and its ink at >= 4.5:1 against the page, light and dark, at 1280 and
390 px. Sizes come from Chromium's layout, colours from the SVG and the computed CSS filter."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser import open_page, require_chromium

require_chromium()

PAGES = ("models/churn/history.html", "models/churn/monitoring/2024-02-01.html",
         "models/churn/index.html")
IMAGES = """return [...document.querySelectorAll('article img')]
  .filter(i => i.getAttribute('src').endsWith('.svg') && !i.src.includes('/systems/'))
  .map(i => { const box = i.parentElement.getBoundingClientRect();
    return [i.src, i.getBoundingClientRect().width, i.naturalWidth, getComputedStyle(i).filter,
            getComputedStyle(document.body).backgroundColor,
            i.getBoundingClientRect().right <= innerWidth || getComputedStyle(i.parentElement)
              .overflowX === 'auto', box.right <= innerWidth + 1]; })"""


def _rgb(text: str) -> tuple[float, ...]:
    if text.startswith("#"):
        return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(float(v) for v in re.findall(r"[\d.]+", text)[:3])


def _filtered(rgb: tuple[float, ...], css: str) -> tuple[float, ...]:
    """CSS filter functions invert() and hue-rotate() (Filter Effects 1) applied to a colour."""
    for name, arg in re.findall(r"(invert|hue-rotate)\(([^)]*)\)", css):
        if name == "invert":
            amount = float(arg)
            rgb = tuple(v * (1 - amount) + (255 - v) * amount for v in rgb)
        else:
            a = math.radians(float(arg.removesuffix("deg")))
            c, s = math.cos(a), math.sin(a)
            m = [[0.213 + c * 0.787 - s * 0.213, 0.715 - c * 0.715 - s * 0.715,
                  0.072 - c * 0.072 + s * 0.928],
                 [0.213 - c * 0.213 + s * 0.143, 0.715 + c * 0.285 + s * 0.140,
                  0.072 - c * 0.072 - s * 0.283],
                 [0.213 - c * 0.213 - s * 0.787, 0.715 - c * 0.715 + s * 0.715,
                  0.072 + c * 0.928 + s * 0.072]]
            rgb = tuple(min(255.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3))))
                        for i in range(3))
    return rgb


def _contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def lum(c: tuple[float, ...]) -> float:
        lin = [v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4
               for v in c]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _text_style(svg: str) -> tuple[float, list[str]]:
    """The smallest font size and every text fill of a chart (the root's, else the text's)."""
    root = re.search(r"<svg[^>]*>", svg)
    assert root
    base_size = float(re.search(r'font-size="([\d.]+)"', root[0])[1])  # type: ignore[index]
    base_fill = re.search(r'fill="(#[0-9a-f]{6})"', root[0])[1]  # type: ignore[index]
    sizes, fills = [base_size], [base_fill]
    for tag in re.findall(r"<text[^>]*>", svg):
        size, fill = re.search(r'font-size="([\d.]+)"', tag), re.search(r'fill="([^"]+)"', tag)
        sizes.append(float(size[1]) if size else base_size)
        fills.append(fill[1] if fill else base_fill)
    return min(sizes), sorted(set(fills))



@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_chart_text_is_large_and_dark_enough(chrome: Any, example_html: Path, width: int,
                                              dark: bool) -> None:
    charts, smallest, weakest = 0, 99.0, 21.0
    for page in PAGES:
        open_page(chrome, example_html.as_uri() + "/" + page, width=width, dark=dark)
        for src, shown, natural, css, body, inside, box_fits in chrome.execute_script(IMAGES):
            svg = Path(src.removeprefix("file://")).read_text(encoding="utf-8")
            size, fills = _text_style(svg)
            drawn = size * shown / natural
            assert drawn >= 11, (page, src, size, shown, natural)
            assert inside and box_fits, (page, src)  # scrolls in its own box, not the page
            for fill in fills:
                ratio = _contrast(_filtered(_rgb(fill), css), _rgb(body))
                assert ratio >= 4.5, (page, src, fill, css, body, ratio)
                weakest = min(weakest, ratio)
            smallest = min(smallest, drawn)
            charts += 1
    assert charts >= 7  # 4 trend charts, 3 drift charts
    print(f"{width}px {'dark' if dark else 'light'}: {charts} charts, text >= {smallest:.1f} px,"
          f" ink >= {weakest:.2f}:1")
