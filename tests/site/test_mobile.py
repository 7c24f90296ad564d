"""Every page of the example at 400 px (issue 24): nothing widens the page; a table wider
than the screen scrolls inside its own box. In Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser import open_page, require_chromium

require_chromium()

WIDE = """return [document.documentElement.scrollWidth, window.innerWidth,
  [...document.querySelectorAll('article *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                 && !e.closest('.md-typeset__scrollwrap, pre, p:has(> img.gk-chart)'))
    .map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 30)).slice(0, 3),
  [...document.querySelectorAll('article table')].map(t => {
    const box = t.closest('.md-typeset__scrollwrap');
    return [!!box, box ? getComputedStyle(box).overflowX : null,
            t.scrollWidth > (box || t).clientWidth]; })]"""



def test_no_page_is_wider_than_a_phone(chrome: Any, example_html: Path) -> None:
    pages = sorted(p.relative_to(example_html).as_posix() for p in example_html.rglob("*.html")
                   if "search" not in p.parts and p.name != "404.html")
    assert len(pages) > 30
    scrolling = 0
    for page in pages:
        open_page(chrome, example_html.as_uri() + "/" + page, width=400)
        width, screen, wide, tables = chrome.execute_script(WIDE)
        assert width <= screen and wide == [], (page, width, screen, wide)
        assert all(boxed and overflow == "auto" for boxed, overflow, _ in tables), (page, tables)
        scrolling += sum(1 for *_, wider in tables if wider)
    assert scrolling > 0  # some tables are wider than the phone, and scroll in their box
