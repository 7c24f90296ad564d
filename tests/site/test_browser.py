"""The built site in a real headless Chromium (Debian's chromium + chromedriver)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govkit.commands.build import build
from tests.browser import chromium, require_chromium, serve

require_chromium()


@pytest.fixture(scope="module")
def served(example_html: Path) -> Iterator[str]:
    with serve(example_html) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with chromium(tmp_path_factory.mktemp("chrome"), "--window-size=1280,1600") as driver:
        yield driver


def test_failing_check_is_impossible_to_miss(served: str, browser) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/models/upsell/")
    failure = browser.find_element(By.CSS_SELECTOR, ".admonition.failure")
    assert failure.is_displayed()
    assert "Accuracy (New Users): 0.70 is below the allowed range ≥ 0.80" in failure.text
    # the failure sits above the model details
    details = browser.find_element(By.ID, "model-details")
    assert failure.location["y"] < details.location["y"]
    # status column: Material icons as inline SVG, coloured by status
    icons = browser.find_elements(By.CSS_SELECTOR, "td .gk-fail svg")
    assert icons and icons[0].is_displayed()
    color = browser.execute_script(
        "return getComputedStyle(arguments[0].closest('.gk-fail')).color", icons[0])
    assert color == "rgb(198, 40, 40)"


def test_navigation_and_monitoring_page(served: str, browser) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served + "/")
    # the dashboard: the first table (the governance profiles' table comes last)
    rows = browser.find_elements(By.CSS_SELECTOR, "article table")[0].find_elements(
        By.CSS_SELECTOR, "tbody tr")
    # the Model column (after the release, live, and governance and training checks)
    assert [r.find_element(By.CSS_SELECTOR, "td:nth-child(4) a").text for r in rows] == [
        "Churn Prediction", "Upsell Propensity"]
    rows[0].find_element(By.LINK_TEXT, "2024-02-01").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Churn Prediction: Monitoring 2024-02-01"
    images = browser.find_elements(By.CSS_SELECTOR, "article img")
    assert len(images) == 3
    for image in images:  # charts load: natural size known once decoded
        assert browser.execute_script("return arguments[0].naturalWidth", image) > 300
    # no request left the machine: every resource came from the local server
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls and all(u.startswith(served) for u in urls)


DIALOG_TRAP = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__dialogs.push(String(message)); };
}
"""
POKE = """
for (const el of document.querySelectorAll("article *")) {
  for (const type of ["focus", "click", "mouseover", "mouseenter", "toggle", "animationstart"]) {
    el.dispatchEvent(new Event(type, {bubbles: true}));
  }
  if (el.focus) el.focus();
}
return window.__dialogs;
"""


def _dialogs(browser, url: str) -> list[str]:
    browser.get(url)
    return list(browser.execute_script(POKE))


def test_hostile_data_opens_no_dialog(example: Path, browser) -> None:
    """Every field of the churn card, releases and monitoring result carries an attack that
    fired in a browser before (attr_list handlers, autofocus, raw HTML after a newline, a
    comment breakout); none may run. A page planted in the built site (past the sanitizer and
    without the policy) proves the trap works."""
    from tests.hostile import make_hostile

    make_hostile(example)
    build(example, html=True)
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_TRAP})
    site = example.parent / "build/site-html"
    (site / "notes.html").write_text("<h1>Notes</h1><img src=x onerror=alert(1)>\n")
    with serve(site) as base:
        assert _dialogs(browser, f"{base}/notes.html") == ["1"]
        pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                       if p.name != "notes.html")
        assert "models/churn/index.html" in pages
        assert "models/churn/monitoring/2024-02-01.html" in pages
        for page in pages:
            assert _dialogs(browser, f"{base}/{page}") == [], page
