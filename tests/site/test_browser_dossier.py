"""The churn model's Annex IV dossier of its serving version and coverage pages in Debian's headless Chromium: every section
present, every link resolves (page and anchor), and the dossier prints to A4 PDF pages
(Chromium's Page.printToPDF through selenium) with no table wider than the page."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest

from govkit.site.dossier import section_order
from govkit.sources.profiles import shipped_doc
from tests.browser import chromium, require_chromium, serve

require_chromium()

DOSSIER = "models/churn/dossiers/2.3.0/eu-ai-act-annex-iv.html"
COVERAGE = "models/churn/profiles/eu-ai-act-annex-iv.html"


@pytest.fixture(scope="module")
def base(example_html: Path) -> Iterator[str]:
    with serve(example_html) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chrome-dossier")) as driver:
        yield driver


def _links(chrome: Any) -> list[str]:
    return list(chrome.execute_script(
        "return [...document.querySelectorAll('article a[href]')].map(a => a.href)"))


def _resolves(chrome: Any, base: str, url: str) -> str | None:
    """Why a same-site link does not resolve (page missing, anchor missing), else None."""
    page, anchor = urldefrag(url)
    chrome.get(page)
    if "404" in chrome.title or not chrome.find_elements("css selector", "article"):
        return f"{url}: no page"
    if anchor and not chrome.execute_script(
            "return !!document.getElementById(arguments[0])", anchor):
        return f"{url}: no #{anchor}"
    return None


def test_dossier_has_every_section_and_its_links_resolve(chrome: Any, base: str) -> None:
    chrome.get(base + DOSSIER)
    headings = chrome.execute_script(
        "return [...document.querySelectorAll('article h2')].map(h => [h.id, h.textContent])")
    assert [h[0] for h in headings] == _annex_iv_order()
    assert [h[1].rstrip("¶") for h in headings[:3]] == [  # Annex IV(2)(a) before (2)(d)
        "Model card", "Training guide", "Pipeline gate results"]
    text = chrome.find_element("css selector", "article").text
    for needle in ("Version 2.3.0", "Date 2024-01-15", "ML Team (ML Engineer)",
                   "inputs digest", "churn-prediction-training", "2024-02-02-new-users-auc",
                   "Human oversight measures"):
        assert needle in text, needle
    local = sorted({u for u in _links(chrome) if u.startswith(base)})
    assert len(local) > 30  # 9 sections, 12 Annex IV requirements, runbooks, pages
    broken = [why for u in local if (why := _resolves(chrome, base, u))]
    assert broken == []


def _annex_iv_order() -> list[str]:
    from govkit.model import ProfileRecord, Where
    from govkit.schemas.profiles import Profile

    doc = shipped_doc("eu-ai-act-annex-iv")
    record = ProfileRecord(Profile.model_validate(doc.data), doc, "govkit:eu-ai-act-annex-iv",
                           Where("govkit.yaml", None))
    return section_order(record)


def test_coverage_page_links_resolve(chrome: Any, base: str) -> None:
    chrome.get(base + COVERAGE)
    text = chrome.find_element("css selector", "article").text
    assert "the card names no ethical consideration 'Human oversight'" in text
    local = sorted({u for u in _links(chrome) if u.startswith(base)})
    broken = [why for u in local if (why := _resolves(chrome, base, u))]
    assert broken == []


def test_dossier_prints_to_a4_without_cut_tables(chrome: Any, base: str) -> None:
    from selenium.webdriver.common.print_page_options import PrintOptions

    chrome.get(base + DOSSIER)
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        # A4 is 210 mm wide; at 96 px per inch the printable width is below 794 px
        chrome.set_window_size(794, 1123)
        widest = chrome.execute_script(
            "const a = document.querySelector('article');"
            "return Math.max(...[...a.querySelectorAll('table')].map("
            "t => t.getBoundingClientRect().right - a.getBoundingClientRect().left))"
            " - a.clientWidth")
        assert widest <= 1, f"a table is {widest}px wider than the printed page"
    finally:
        chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    options = PrintOptions()
    options.page_width, options.page_height = 21.0, 29.7  # A4, in cm
    pdf = base64.b64decode(chrome.print_page(options))
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages > 1, pages
    assert urlparse(base).hostname == "127.0.0.1"
