"""Every failure links to its evidence (issue 24): from the home banner, the dashboard and the
card's lead box, a failure's link opens the page and the row that shows the failing value;
check ids are the rows' anchors and the site's search finds them. Headless Chromium."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import chromium, require_chromium, serve

require_chromium()


@pytest.fixture(scope="module")
def http_base(example_html: Path) -> Iterator[str]:
    with serve(example_html) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chrome")) as driver:
        driver.set_window_size(1280, 1000)
        yield driver


def _links(chrome: Any, selector: str) -> list[tuple[str, str]]:
    return [tuple(x) for x in chrome.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(a => [a.href, a.textContent])",
        selector)]


def _landing(chrome: Any, href: str) -> tuple[str, str, int]:
    """The text of the table row (or paragraph) the link's anchor lands on, the anchor's
    own text, and its distance from the top of the window after the jump."""
    chrome.get(href)
    return tuple(chrome.execute_script("""
        const id = decodeURIComponent(location.hash.slice(1));
        const el = document.getElementById(id);
        if (!el) return ["", "", -1];
        const row = el.closest('tr') || el.closest('p');
        return [row.textContent, el.textContent,
                Math.round(el.getBoundingClientRect().top)];"""))


# the example's five failures: where each failing value is shown
EXPECTED = {
    "churn/live/2024-02-01/business/retention_30d/change":
        ("models/churn/monitoring/2024-02-01.html", "0.7935 against 0.8613"),
    "churn/live/2024-02-01/segment/user-segment-new-users/auc_roc":
        ("models/churn/monitoring/2024-02-01.html", "0.6032"),
    "churn/governance/postmortem-due/2024-02-02-new-users-auc":
        ("models/churn/runbooks/index.html", "no postmortem 7 days after the incident"),
    "churn/training/model-evaluation/auc": ("models/churn/training.html", "0.9"),
    "upsell/1.1.0/segment/new-users/accuracy": ("models/upsell/index.html", "0.70"),
}


def test_home_failures_land_on_the_row_with_the_failing_value(chrome: Any,
                                                              http_base: str) -> None:
    chrome.get(http_base + "index.html")
    links = [x for x in _links(chrome, "article .admonition.failure li li a") if "#" in x[0]]
    assert len(links) == 5, links
    seen = set()
    for href, _ in links:
        page, _, anchor = href.removeprefix(http_base).partition("#")
        assert anchor in EXPECTED, href
        assert page == EXPECTED[anchor][0], href
        row, text, top = _landing(chrome, href)
        assert text == anchor and EXPECTED[anchor][1] in row, (href, row)
        assert "FAIL" in row, row
        assert 0 <= top < 1000, (href, top)  # in view after the jump
        seen.add(anchor)
    assert seen == set(EXPECTED)
    # the dashboard's worst open finding of each model links to its row too
    chrome.get(http_base + "index.html")
    for href, _ in _links(chrome, "article table tbody td:nth-child(6) a"):
        row, text, _ = _landing(chrome, href)
        assert href.endswith("#" + text) and "FAIL" in row, (href, row)


@pytest.mark.parametrize("page", ["models/churn/index.html", "models/upsell/index.html",
                                  "models/churn/monitoring/2024-02-01.html",
                                  "models/churn/training.html"])
def test_lead_box_failures_land_on_their_rows(chrome: Any, http_base: str, page: str) -> None:
    chrome.get(http_base + page)
    anchored = [h for h, _ in _links(chrome, "article .admonition.failure li a") if "#" in h]
    # a check's row anchor is its id (model/.../metric); other anchors are guidance
    # ("what to do"), which must land on their heading
    links = [h for h in anchored if "/" in h.split("#", 1)[1]]
    assert links, page
    for href in set(anchored) - set(links):
        chrome.get(href)
        assert chrome.execute_script("""const el = document.getElementById(
            decodeURIComponent(location.hash.slice(1))); return el && el.tagName;""") in (
            "H2", "H3"), (page, href)
    for href in links:
        row, text, _ = _landing(chrome, href)
        assert row and href.endswith("#" + text), (page, href)
        assert "FAIL" in row or "warning" in row, (page, href, row)  # the status it reports


def test_overdue_postmortem_has_the_status_colour(chrome: Any, http_base: str) -> None:
    chrome.get(http_base + "models/churn/incidents.html")
    cells = chrome.execute_script("""return [...document.querySelectorAll('article td')]
        .filter(td => td.textContent.includes('overdue'))
        .map(td => !!td.querySelector('.gk-fail'))""")
    assert cells and all(cells), cells


def _search(chrome: Any, text: str) -> list[str]:
    """The href of each search result link, best first (pages and their rows)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    box = chrome.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys(text)
    WebDriverWait(chrome, 10).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, ".md-search-result__item"))

    def links() -> list[str]:
        return list(chrome.execute_script("""return [...document.querySelectorAll(
            '.md-search-result__link')].map(a => a.href.split('?')[0] + a.hash)"""))

    # each key typed runs a search: under load a prefix's results show first, so wait until
    # the list has stopped changing for a second (what a reader sees once typing is done)
    shown, since, end = links(), time.monotonic(), time.monotonic() + 20
    while time.monotonic() < end and time.monotonic() - since < 1.0:
        time.sleep(0.1)
        now = links()
        if now != shown:
            shown, since = now, time.monotonic()
    return shown


@pytest.mark.parametrize("query,page,anchor", [
    ("churn/live/2024-02-01/segment/user-segment-new-users/auc_roc",
     "models/churn/monitoring/2024-02-01.html",
     "churn/live/2024-02-01/segment/user-segment-new-users/auc_roc"),
    ("upsell/1.1.0/segment/new-users/accuracy", "models/upsell/index.html",
     "upsell/1.1.0/segment/new-users/accuracy"),
    ("churn/governance/postmortem-due/2024-02-02-new-users-auc",
     "models/churn/runbooks/index.html",
     "churn/governance/postmortem-due/2024-02-02-new-users-auc"),
])
def test_search_for_a_check_id_lands_on_its_row(chrome: Any, http_base: str, query: str,
                                                page: str, anchor: str) -> None:
    chrome.get(http_base + "index.html")
    found = _search(chrome, query)
    rows = [h for h in found if "#" in h]
    assert rows and rows[0] == f"{http_base}{page}#{anchor}", found
    row, text, _ = _landing(chrome, rows[0])
    assert text == anchor and row, row


@pytest.mark.parametrize("query", ["precision_at_10", "Precision@10%"])
def test_metric_keys_and_labels_find_the_cards_rows(chrome: Any, http_base: str,
                                                    query: str) -> None:
    chrome.get(http_base + "index.html")
    found = _search(chrome, query)
    assert http_base + "models/churn/index.html#churn/2.3.0/precision_at_10" in found, found


def test_dashboard_filters_and_sorts_with_govkits_own_script(chrome: Any,
                                                             http_base: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    chrome.get(http_base + "index.html")
    scripts = chrome.execute_script(
        "return [...document.scripts].filter(s => s.src.includes('govkit-fleet')).length")
    assert scripts == 1  # a file of the site, not an inline script

    def shown() -> list[str]:
        # the dashboard is the page's first table (the profiles' coverage table follows)
        return list(chrome.execute_script("""return [...document.querySelector('article table')
            .querySelectorAll('tbody tr:not([hidden]) td:nth-child(4)')].map(td => td.textContent)"""))

    assert shown() == ["Churn Prediction", "Upsell Propensity"]
    boxes = chrome.find_elements(By.CSS_SELECTOR, ".gk-fleet-filters select")
    assert len(boxes) == 3  # status, owner, tag
    Select(boxes[2]).select_by_value("retention")
    assert shown() == ["Churn Prediction"]
    Select(boxes[2]).select_by_value("all")
    Select(boxes[1]).select_by_value("Growth ML Team")
    assert shown() == ["Upsell Propensity"]
    Select(boxes[1]).select_by_value("all")
    Select(boxes[0]).select_by_value("pass")
    assert shown() == []
    assert "0 of 2 models shown" in chrome.find_element(By.CSS_SELECTOR,
                                                          ".gk-fleet-filters").text
    Select(boxes[0]).select_by_value("all")
    model = chrome.find_element(By.XPATH, "//article//th//button[normalize-space()='Model']")
    model.click()
    model.click()  # descending
    assert shown() == ["Upsell Propensity", "Churn Prediction"]


def test_home_summary_and_failures_grouped_by_model(chrome: Any, http_base: str) -> None:
    from selenium.webdriver.common.by import By

    chrome.get(http_base + "index.html")
    article = chrome.find_element(By.CSS_SELECTOR, "article")
    assert "2 models: 2 failing, 1 stale" in article.text
    box = chrome.find_element(By.CSS_SELECTOR, "article .admonition.failure")
    assert box.find_element(By.CSS_SELECTOR, ".admonition-title").text.startswith(
        "2 of 2 models fail: 5 documented checks")
    groups = chrome.execute_script("""return [...arguments[0].querySelectorAll(
        ':scope > ul > li')].map(li => [li.querySelector('a').textContent,
        li.querySelectorAll('li').length])""", box)
    assert groups == [["Churn Prediction", 4], ["Upsell Propensity", 1]]
    chrome.get(http_base + "tags/retention.html")
    rows = chrome.execute_script("""return [...document.querySelectorAll(
        'article table tbody tr')].map(r => r.cells[2].textContent)""")
    assert rows == ["Churn Prediction"]


@pytest.mark.parametrize("page", ["index.html", "models/churn/index.html",
                                  "models/churn/monitoring/2024-02-01.html"])
def test_links_in_text_are_underlined(chrome: Any, http_base: str, page: str) -> None:
    """Links in running text and tables do not rely on colour alone (axe: link-in-text-block)."""
    chrome.get(http_base + page)
    plain = chrome.execute_script("""return [...document.querySelectorAll(
        'article :is(p, li, td) a:not(.headerlink):not(.md-tag)')]
        .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline'))
        .map(a => a.textContent)""")
    assert plain == [], plain


GOVERNANCE_AND_TRAINING = ("churn/governance/postmortem-due/2024-02-02-new-users-auc",
                           "churn/training/model-evaluation/auc")


def _column_links(chrome: Any, heading: str) -> list[str]:
    """The hrefs in the dashboard column headed `heading`, row by row."""
    return list(chrome.execute_script("""
        const table = document.querySelector('article table');
        const i = [...table.querySelectorAll('thead th')]
            .findIndex(th => th.textContent.trim() === arguments[0]);
        if (i < 0) return [];
        return [...table.querySelectorAll('tbody tr')]
            .flatMap(r => [...r.cells[i].querySelectorAll('a')].map(a => a.href));""",
        heading))


def test_dashboard_governance_and_training_column_lands_on_the_failing_value(
        chrome: Any, http_base: str) -> None:
    """Governance and training failures are their own dashboard column, each linked to the
    row that shows the failing value, with the status shown as on every page."""
    chrome.get(http_base + "index.html")
    cells = chrome.execute_script("""
        const table = document.querySelector('article table');
        const i = [...table.querySelectorAll('thead th')]
            .findIndex(th => th.textContent.trim() === 'Governance and training');
        return i < 0 ? [] : [...table.querySelectorAll('tbody tr')].map(r => [
            r.cells[i].textContent, !!r.cells[i].querySelector('.gk-fail')]);""")
    assert cells, "no Governance and training column"
    assert cells[0][1] and "governance" in cells[0][0] and "training" in cells[0][0], cells
    links = _column_links(chrome, "Governance and training")
    anchors = {h.partition("#")[2]: h for h in links if "#" in h}
    assert set(GOVERNANCE_AND_TRAINING) <= set(anchors), links
    for anchor in GOVERNANCE_AND_TRAINING:
        href = anchors[anchor]
        assert href.removeprefix(http_base).partition("#")[0] == EXPECTED[anchor][0], href
        row, text, top = _landing(chrome, href)
        assert text == anchor and EXPECTED[anchor][1] in row and "FAIL" in row, (href, row)
        assert 0 <= top < 1000, (href, top)


def test_card_lead_box_lists_governance_and_training_failures(chrome: Any,
                                                             http_base: str) -> None:
    """The card's lead box names the failing governance check and training gate, linked to
    the page and the row holding the failing value."""
    chrome.get(http_base + "models/churn/index.html")
    links = [h for h, _ in _links(chrome, "article .admonition.failure li a") if "#" in h]
    anchors = {h.partition("#")[2]: h for h in links}
    assert set(GOVERNANCE_AND_TRAINING) <= set(anchors), links
    for anchor in GOVERNANCE_AND_TRAINING:
        href = anchors[anchor]
        assert href.removeprefix(http_base).partition("#")[0] == EXPECTED[anchor][0], href
        row, text, _ = _landing(chrome, href)
        assert text == anchor and EXPECTED[anchor][1] in row and "FAIL" in row, (href, row)
