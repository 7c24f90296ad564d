"""A card's tag chips are links to govkit's page of that tag (issue 24), in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser import open_page, require_chromium

require_chromium()



def test_a_cards_tag_chip_opens_the_tags_page(chrome: Any, example_html: Path) -> None:
    from selenium.webdriver.common.by import By

    base = example_html.as_uri() + "/"
    open_page(chrome, base + "models/churn/index.html")
    chips = {c.text: c for c in chrome.find_elements(By.CSS_SELECTOR, ".md-tags .md-tag")}
    assert set(chips) == {"retention", "subscriptions", "status: FAIL"}, list(chips)
    hrefs = {name: chip.get_attribute("href") for name, chip in chips.items()}
    assert hrefs["retention"] == base + "tags/retention.html", hrefs
    assert hrefs["subscriptions"] == base + "tags/subscriptions.html", hrefs
    assert hrefs["status: FAIL"] is None  # no page of its own: a chip, not a dead link
    chips["retention"].click()
    assert chrome.current_url == base + "tags/retention.html"
    assert chrome.find_element(By.CSS_SELECTOR, "article h1").text.startswith("Tag: retention")
    rows = chrome.find_elements(By.CSS_SELECTOR, "article table tbody tr")
    assert "Churn Prediction" in rows[0].text
