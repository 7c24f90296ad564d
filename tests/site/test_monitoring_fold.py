"""The monitoring page leads with the metrics it judges (issue 24): the live-performance table
holds the metrics with a documented range; those without one fold into a closed block that
says how many and that they are not judged. In Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser import open_page, require_chromium

require_chromium()

PAGE = "models/churn/monitoring/2024-02-01.html"



def test_unranged_live_metrics_are_folded(chrome: Any, example_html: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(chrome, example_html.as_uri() + "/" + PAGE)
    live = chrome.find_element(  # the first table after the heading (the three layers' is above)
        By.XPATH, "//article//h2[@id='live-performance']/following::table[1]")
    rows = [r.text for r in live.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert len(rows) == 5 and not [r for r in rows if "no range" in r], rows
    assert rows[0].startswith("FAIL")
    fold = chrome.find_element(By.XPATH, "//article//details[.//td[contains(., 'no range')]]")
    assert fold.get_attribute("open") is None
    assert fold.find_element(By.TAG_NAME, "summary").text == (
        "15 live metrics without a documented range: measured, not judged")
    print("monitoring page:", chrome.execute_script(
        "return document.documentElement.scrollHeight"), "px at 1280, folded")
    hidden = fold.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(hidden) == 15 and not any(r.is_displayed() for r in hidden)
    fold.find_element(By.TAG_NAME, "summary").click()
    assert all(r.is_displayed() for r in hidden)
    assert all(r.text.startswith("–\nno range") for r in hidden)
