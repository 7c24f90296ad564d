"""The home page's failure box at fleet scale (issue 24): with more failing models than fit a
screen, one folded line per model (its name, linked, and its count), opened for its checks,
each linked to its evidence; in Chromium, on a generated fleet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser import open_page, require_chromium
from tests.site.conftest import MODELS

require_chromium()

FAILING = 10  # failing models (tests/site/conftest.py): more than the open list shows



def test_failing_models_fold_one_line_each(chrome: Any,
                                           fleet: tuple[Path, list[str]]) -> None:
    from selenium.webdriver.common.by import By

    site, failing = fleet
    assert len(failing) == FAILING
    base = site.as_uri() + "/"
    open_page(chrome, base + "index.html")
    box = chrome.find_element(By.CSS_SELECTOR, "article .admonition.failure")
    assert box.find_element(By.CSS_SELECTOR, ".admonition-title").text.startswith(
        f"{FAILING} of {MODELS} models fail")
    folds = box.find_elements(By.CSS_SELECTOR, "details")
    summaries = [d.find_element(By.CSS_SELECTOR, "summary") for d in folds]
    # every failing model by name, its page linked, its count; closed: no check shown yet
    assert [s.text for s in summaries] == [
        f"Model {n}: {2 if i % 2 == 0 else 1} {'checks' if i % 2 == 0 else 'check'}"
        for i, n in enumerate(failing)]
    assert [s.find_element(By.TAG_NAME, "a").get_attribute("href") for s in summaries] == [
        f"{base}models/{n}/index.html" for n in failing]
    assert not any(d.get_attribute("open") for d in folds)
    assert all("failure" in d.get_attribute("class") for d in folds)
    assert max(s.size["height"] for s in summaries) < 36  # one line each
    assert not [a for a in box.find_elements(By.CSS_SELECTOR, "details li a") if a.is_displayed()]
    # in columns: at most half as tall as the folded lines one under another
    lines = sum(d.size["height"] for d in folds)
    folded = box.find_element(By.CSS_SELECTOR, ".gk-by-model").size["height"]
    assert folded <= lines / 2, (folded, lines)
    # open one: its checks, each linked to the anchor of the row that holds the value
    chrome.execute_script("arguments[0].open = true", folds[0])
    links = [a for a in folds[0].find_elements(By.CSS_SELECTOR, "li a") if a.is_displayed()]
    assert len(links) == 2
    links[0].click()
    assert chrome.current_url == f"{base}models/{failing[0]}/index.html#{failing[0]}/1.0.0/auc_roc"
    target = chrome.execute_script("return document.querySelector(':target').closest('tr')"
                                   ".textContent")
    assert "FAIL" in target
