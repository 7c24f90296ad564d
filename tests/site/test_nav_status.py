"""The navigation of a fleet groups models by their dashboard status, failing first, each
group titled with its status word and count (issue 24); in Chromium, on a generated fleet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser import open_page, require_chromium
from tests.site.conftest import MODELS

require_chromium()



def test_failing_models_lead_the_navigation(chrome: Any, fleet: tuple[Path, list[str]]) -> None:
    from selenium.webdriver.common.by import By

    site, failing = fleet
    base = site.as_uri() + "/"
    open_page(chrome, base + "index.html")
    groups = chrome.execute_script(
        """return [...document.querySelectorAll(
        '.md-nav--primary .md-nav__item--nested > a.md-nav__link')].map(a => [a.textContent.trim(), a.href])""")
    assert groups[0] == [f"FAIL ({len(failing)})", f"{base}models/{failing[0]}/index.html"]
    assert [g[0] for g in groups[1:]] == [f"pass ({MODELS - len(failing)})"], groups
    # a failing model's page: its group on the path, no other model
    open_page(chrome, base + f"models/{failing[1]}/index.html")
    text = chrome.find_element(By.CSS_SELECTOR, ".md-nav--primary").get_attribute("textContent")
    assert f"FAIL ({len(failing)})" in text and f"Model {failing[1]}" in text
    others = [n for n in failing if n != failing[1]]
    assert not any(f"Model {n}" in text for n in others)


def test_a_status_file_not_govkits_leaves_the_order_alone() -> None:
    from govkit.site.nav import statuses

    assert statuses(None) == {} and statuses("not json") == {} and statuses("[1]") == {}
    assert statuses('{"models": [{"name": "a", "status": "fail"}, 3]}') == {"a": "fail"}
