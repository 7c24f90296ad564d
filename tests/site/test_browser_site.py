"""The example site as people use it (issue 11), in Debian's headless Chromium, served from
127.0.0.1 and opened from the file system. Screenshots of home, card and monitoring pages
(light, dark, mobile) are saved under the test's tmp dir."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium, require_chromium, serve

require_chromium()

PAGES = {"home": "index.html", "card": "models/churn/index.html",
         "history": "models/churn/history.html",
         "upsell": "models/upsell/index.html",
         "monitoring": "models/churn/monitoring/2024-02-01.html"}


@pytest.fixture(scope="module")
def site(example_html: Path) -> Path:
    return example_html


@pytest.fixture(scope="module")
def http_base(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url + "/"


@pytest.fixture(params=["http", "file"])
def base(request: pytest.FixtureRequest, site: Path) -> str:
    """The site's root URL, served or opened from the disk."""
    if request.param == "file":
        return site.as_uri() + "/"
    return str(request.getfixturevalue("http_base"))


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chrome"), "--hide-scrollbars",
                  capabilities={"goog:loggingPrefs": {"browser": "ALL",
                                                      "performance": "ALL"}}) as driver:
        yield driver


def _open(chrome: Any, url: str, width: int = 1280, dark: bool = False) -> None:
    chrome.set_window_size(width, 1000)
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
    chrome.get(url)
    # Material keeps the reader's palette in localStorage: forget it, so the media query decides
    chrome.execute_script("localStorage.clear()")
    chrome.get_log("browser")  # each page starts with empty console and network logs
    chrome.get_log("performance")
    chrome.refresh()


def _requests(chrome: Any) -> list[str]:
    """Every URL the browser asked for since the last call (DevTools network log)."""
    import json

    urls = []
    for entry in chrome.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [u for u in urls if not u.startswith(("data:", "about:"))]


def _cells(row: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [c.text for c in row.find_elements(By.CSS_SELECTOR, "td")]


def test_home_lists_every_model_failing_first(chrome: Any, base: str) -> None:
    from selenium.webdriver.common.by import By

    _open(chrome, base + PAGES["home"])
    # the dashboard is the first table (the governance profiles' table comes last)
    dashboard = chrome.find_elements(By.CSS_SELECTOR, "article table")[0]
    rows = dashboard.find_elements(By.CSS_SELECTOR, "tbody tr")
    cells = [_cells(r) for r in rows]
    assert [c[3] for c in cells] == ["Churn Prediction", "Upsell Propensity"]
    # churn documents the other two layers: its live check has a line per layer
    assert [(c[0], c[1]) for c in cells] == [
        ("pass", "model\nFAIL\ninfrastructure\npass\nbusiness\nFAIL"),
        ("FAIL", "not monitored")]
    assert cells[0][5].startswith("P1 AUC-ROC (user_segment=New Users)")
    # a page per tag (issue 24), linked from the table's Tags column
    assert cells[0][7] == "ML Team, ml-team@example.com\ntags: retention, subscriptions"
    tag = chrome.find_element(By.LINK_TEXT, "retention").get_attribute("href")
    assert tag == base + "tags/retention.html"
    # each failing row is highlighted
    for row in rows:
        colour = chrome.execute_script(
            "return getComputedStyle(arguments[0].querySelector('td')).backgroundColor", row)
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour


def test_failing_card_shows_its_failing_metric_first(chrome: Any, base: str) -> None:
    from selenium.webdriver.common.by import By

    _open(chrome, base + PAGES["upsell"])
    first = chrome.find_element(By.CSS_SELECTOR, "article .admonition")
    assert "failure" in first.get_attribute("class")
    assert "Accuracy (New Users): 0.70 is below the allowed range ≥ 0.80" in first.text
    segment_rows = chrome.find_elements(By.CSS_SELECTOR, "article table")[1].find_elements(
        By.CSS_SELECTOR, "tbody tr")
    assert _cells(segment_rows[0])[:2] == ["FAIL", "New Users"]
    _open(chrome, base + PAGES["card"])
    first = chrome.find_element(By.CSS_SELECTOR, "article .admonition")
    assert "AUC-ROC (user_segment=New Users): live 0.6032" in first.text
    tags = [a.text for a in chrome.find_elements(By.CSS_SELECTOR, ".md-tags .md-tag")]
    assert "retention" in tags and "status: FAIL" in tags, tags
    metric_row = chrome.find_element(By.CSS_SELECTOR, "article table tbody tr")
    assert _cells(metric_row)[1].startswith("FAIL")
    # the label, then the check id CI prints (issue 24)
    assert _cells(metric_row)[2].split("\n") == ["AUC-ROC", "churn/2.3.0/auc_roc"]


def test_monitoring_page_speaks_the_cards_labels(chrome: Any, http_base: str) -> None:
    """Failing row first, labels from the card, the segment grid marks the failing cell in
    words, and the drift charts are SVG titled with their statistic."""
    from selenium.webdriver.common.by import By

    _open(chrome, http_base + PAGES["monitoring"])
    article = chrome.find_element(By.CSS_SELECTOR, "article")
    assert "roc_auc" not in article.text and "AUC-ROC" in article.text
    tables = article.find_elements(By.CSS_SELECTOR, "table")
    live = article.find_element(By.XPATH, ".//h2[@id='live-performance']/following::table[1]")
    first = _cells(live.find_element(By.CSS_SELECTOR, "tbody tr"))
    assert first[0].split("\n") == ["FAIL", "> 0.85"], first
    assert first[1].split("\n") == [
        "AUC-ROC", "user_segment=New Users",
        "churn/live/2024-02-01/segment/user-segment-new-users/auc_roc"], first
    grid = next(t for t in tables if t.find_element(By.CSS_SELECTOR, "th").text
                == "Range checks")
    heads = [h.text for h in grid.find_elements(By.CSS_SELECTOR, "th")]
    row = _cells(grid.find_element(By.CSS_SELECTOR, "tbody tr"))
    assert row[:2] == ["FAIL", "user_segment = New Users"], row
    assert row[heads.index("AUC-ROC")] == "FAIL 0.6032 (degraded)"
    charts = chrome.execute_script("""return [...document.querySelectorAll('article img')]
        .map(i => [i.getAttribute('src'), i.naturalWidth, i.alt])""")
    assert [c[0] for c in charts] == ["2024-02-01/device.svg", "2024-02-01/session-minutes.svg",
                                      "2024-02-01/sessions-30d.svg"]
    assert all(width >= 560 for _, width, _ in charts)
    # the alt text states the finding; the caption below says what is plotted
    assert charts[1][2] == "session_minutes drifted from the reference: KS 0.156 (p < 1e-12)."


def test_page_titles_are_model_titles(chrome: Any, base: str) -> None:
    from selenium.webdriver.common.by import By

    expected = {"card": "Churn Prediction", "upsell": "Upsell Propensity",
                "monitoring": "Churn Prediction: monitoring 2024-02-01",
                "models/churn/versions/2.2.0.html": "Churn Prediction v2.2.0",
                "models/churn/history.html": "Churn Prediction: version history"}
    for page, title in expected.items():
        _open(chrome, base + PAGES.get(page, page))
        assert chrome.title == f"{title} - govkit example: model documentation"
    nav = [a.text for a in chrome.find_elements(By.CSS_SELECTOR, ".md-nav--primary a")]
    assert "Churn Prediction" in nav and "Upsell Propensity" not in nav  # its model only
    _open(chrome, base + PAGES["home"])
    nav = [a.text for a in chrome.find_elements(By.CSS_SELECTOR, ".md-nav--primary a")]
    assert "Churn Prediction" in nav and "Upsell Propensity" in nav


def _search(chrome: Any, text: str) -> list[tuple[str, str]]:
    """(page URL, page title) of each search result."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    box = chrome.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys(text)
    WebDriverWait(chrome, 10).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, ".md-search-result__item"))
    return [tuple(r) for r in chrome.execute_script("""
        return [...document.querySelectorAll('.md-search-result__item')].map(item => [
          item.querySelector('a').href.split('?')[0],
          item.querySelector('h1').textContent.trim()])""")]


def test_search_finds_a_segment_and_a_metric_on_the_right_model(chrome: Any, base: str) -> None:
    _open(chrome, base + PAGES["home"])
    found = _search(chrome, "Desktop Users")
    assert (base + "models/upsell/index.html", "Upsell Propensity") in found, found
    assert (base + PAGES["monitoring"], "Churn Prediction: monitoring 2024-02-01") in found
    _open(chrome, base + PAGES["home"])
    found = _search(chrome, "Recall@10%")
    assert (base + PAGES["card"], "Churn Prediction") in found, found
    assert all(url.startswith(base + "models/churn/") and title.startswith("Churn Prediction")
               for url, title in found), found


def test_no_broken_image_no_console_error_no_foreign_request(chrome: Any, base: str) -> None:
    for page in [*PAGES.values(), "models/upsell/history.html",
                 "models/churn/versions/2.3.0.html"]:
        _open(chrome, base + page)
        broken = chrome.execute_script(
            "return [...document.images].filter(i => !i.complete || !i.naturalWidth)"
            ".map(i => i.src)")
        assert broken == [], page
        errors = [e for e in chrome.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], (page, errors)
        urls = _requests(chrome)
        assert len(urls) > 5 and all(u.startswith(base) for u in urls), (page, urls)


def test_status_columns_visible_without_scrolling(chrome: Any, base: str) -> None:
    """Status first: its column lies inside the visible part of each table at 1280 and
    400 px, and at 1280 px every table fits whole (the live-performance table stacks its
    evidence: value over interval, baseline over drop, rows over p and severity)."""
    for width in (1280, 400):
        for page in ("monitoring", "card", "home"):
            _open(chrome, base + PAGES[page], width=width)
            for box in chrome.execute_script("""
                return [...document.querySelectorAll('article table')].map(t => {
                  const wrap = t.closest('.md-typeset__scrollwrap') || t.parentElement;
                  const cell = t.querySelector('th').getBoundingClientRect();
                  const view = wrap.getBoundingClientRect();
                  return {head: t.querySelector('th').textContent.trim(),
                          left: cell.left, right: cell.right, viewLeft: view.left,
                          viewRight: Math.min(view.right, window.innerWidth),
                          fits: t.getBoundingClientRect().width <= view.width + 1};
                })"""):
                if box["head"] in ("Range check", "Range checks", "Status", "Release check"):
                    assert box["viewLeft"] - 1 <= box["left"], (page, width, box)
                    assert box["right"] <= box["viewRight"] + 1, (page, width, box)
                if width == 1280:
                    assert box["fits"], (page, width, box)


def test_dark_mode_renders(chrome: Any, base: str) -> None:
    _open(chrome, base + PAGES["upsell"], dark=True)
    scheme = chrome.execute_script("return document.body.dataset.mdColorScheme")
    assert scheme == "slate"
    fail = chrome.execute_script(
        "return getComputedStyle(document.querySelector('td .gk-fail')).color")
    assert fail == "rgb(255, 138, 128)"  # the dark variant of the one fail colour
    background = chrome.execute_script(
        "return getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    # the trend charts load, transparent, with their finding as alt text
    _open(chrome, base + PAGES["history"], dark=True)
    charts = chrome.execute_script("""return [...document.querySelectorAll('article img')]
        .map(i => [i.getAttribute('src'), i.naturalWidth, i.alt])""")
    assert [c[0] for c in charts] == [
        "charts/auc-roc-versions.svg", "charts/precision-at-10-versions.svg",
        "charts/recall-at-10-versions.svg", "charts/auc-roc-windows.svg",
        "charts/business-retention-30d-change-windows.svg", "charts/service-error-rate-windows.svg",
        "charts/service-p99-latency-windows.svg"]
    assert all(width > 300 for _, width, _ in charts)
    assert charts[3][2] == ("AUC-ROC fails in window 2024-02-01: user_segment=New Users 0.6032 "
                            "outside the allowed range > 0.85.")


def test_screenshots(chrome: Any, site: Path, tmp_path: Path) -> None:
    """Artifacts for a person to look at: home, card, monitoring and history (trend charts),
    light/dark/mobile, in $GOVKIT_SCREENSHOTS, else $GOVKIT_ARTIFACTS/screenshots, else the
    test's tmp dir (never committed)."""
    artifacts = os.environ.get("GOVKIT_ARTIFACTS")
    out = Path(os.environ.get("GOVKIT_SCREENSHOTS")
               or (Path(artifacts) / "screenshots" if artifacts else tmp_path / "screenshots"))
    out.mkdir(parents=True, exist_ok=True)
    for name in ("home", "card", "monitoring", "history"):
        for mode, width, dark in (("light", 1280, False), ("dark", 1280, True),
                                  ("mobile", 400, False)):
            _open(chrome, site.as_uri() + "/" + PAGES[name], width=width, dark=dark)
            height = chrome.execute_script("return document.documentElement.scrollHeight")
            chrome.set_window_size(width, min(int(height), 6000))
            path = out / f"{name}-{mode}.png"
            assert chrome.save_screenshot(str(path)) and path.stat().st_size > 10_000
    print(f"screenshots: {out}")
