"""Pages a template override and a person wrote, and the Content-Security-Policy, in Debian's
headless Chromium (issue 21): no dialog opens and no request leaves the site, served from
127.0.0.1 or opened from the disk; and the policy costs the example site none of its features
(search, palette toggle, charts, navigation) either way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from govkit.commands.build import build
from tests.browser import chromium, require_chromium, serve
from tests.conftest import copy_example

require_chromium()

ATTACK = ("<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
          '<img src="https://example.com/x.png">\n\n<img src="\x01https://example.com/y.png">\n')
TRAP = """
window.__dialogs = []; window.__violations = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__dialogs.push(String(message)); };
}
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""
POKE = """
for (const el of document.querySelectorAll("body *")) {
  for (const type of ["focus", "click", "mouseover", "toggle", "animationstart"]) {
    el.dispatchEvent(new Event(type, {bubbles: true}));
  }
}
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with a card override that leaves out govkit's header, a hand-written page,
    a static page and an SVG in the docs folder, and a stylesheet override, all hostile."""
    project = copy_example(tmp_path_factory.mktemp("override"))
    (project / "templates/card.md.j2").write_text("# Card\n\nOverride.\n\n" + ATTACK)
    (project / "templates/govkit.css").write_text(
        '@import url("https://example.com/a.css");\n'
        "body { background: url(https://example.com/b.png) }\n")
    docs = project.parent / "site"
    docs.mkdir()
    (docs / "notes.md").write_text("# Notes\n\nHand-written.\n\n" + ATTACK)
    (docs / "evil.html").write_text("<p>static</p>" + ATTACK)
    (docs / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
        '<script>alert(3)</script><rect width="9" height="9" onload="alert(4)"/>'
        '<image href="https://example.com/z.png" width="9" height="9"/></svg>')
    # front matter the theme prints unescaped, a script file for script-src 'self' to allow,
    # and a page of a kind the sanitizer does not read (left out of the site)
    (docs / "front.md").write_text(
        "---\ntitle: '<img src=x onerror=alert(5)>'\nsubtitle: '<script src=evil.js>"
        "</script>'\ndescription: '\"><script src=\"evil.js\"></script>'\n---\n# Front\n")
    (docs / "evil.js").write_text("alert(6)\n")
    (docs / "evil.xhtml").write_text('<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                                     "<script>alert(7)</script></body></html>")
    build(project, html=True)
    site = project.parent / "build/site-html"
    assert not (site / "evil.js").exists() and not (site / "evil.xhtml").exists()
    # behind the sanitizer, the policy: a page whose content escaped it runs nothing
    page = (site / "index.html").read_text()
    (site / "escaped.html").write_text(page.replace(
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset">' + ATTACK.replace("\n", ""), 1))
    # and a page without either, to prove the trap and the network log see an attack
    (site / "unprotected.html").write_text("<p>x</p>" + ATTACK.replace("\n", ""))
    return site


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chrome"), "--window-size=1280,1000",
                  capabilities={"goog:loggingPrefs": {"performance": "ALL"}}) as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
        yield driver


@contextmanager
def _root(site: Path, where: str) -> Iterator[str]:
    """The site's root URL with a trailing slash: served on 127.0.0.1, or on the disk."""
    if where == "file":
        yield site.as_uri() + "/"
    else:
        with serve(site) as url:
            yield url + "/"


def _visit(chrome: Any, url: str) -> tuple[list[str], list[str], list[str]]:
    """Dialogs, policy violations and every URL requested, for one page after a poke."""
    chrome.get_log("performance")
    chrome.get(url)
    chrome.execute_script(POKE)
    chrome.execute_script("return new Promise(r => setTimeout(r, 300))")
    dialogs, violations = chrome.execute_script(
        "return [window.__dialogs, window.__violations]")
    requests, blocked = {}, set()
    for entry in chrome.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            requests[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason") == "csp":
            blocked.add(params["requestId"])  # refused by the policy: never left the browser
    return dialogs, violations, [u for i, u in requests.items() if i not in blocked
                                 and not u.startswith(("data:", "about:"))]


@pytest.mark.parametrize("where", ["http", "file"])
def test_no_dialog_and_no_outside_request(chrome: Any, hostile_site: Path, where: str) -> None:
    with _root(hostile_site, where) as root:
        dialogs, _, requests = _visit(chrome, root + "unprotected.html")
        assert dialogs == ["1", "2"]  # the trap and the log see an unprotected page
        assert "https://example.com/x.png" in requests
        for page in ("models/churn/index.html", "notes.html", "evil.html", "evil.svg",
                     "escaped.html", "index.html", "front.html"):
            dialogs, violations, requests = _visit(chrome, root + page)
            assert dialogs == [], (page, dialogs)
            assert requests and all(u.startswith(root) for u in requests), (page, requests)
            if page == "escaped.html":  # the policy refused what the sanitizer never saw
                assert any("example.com" in v for v in violations), violations
                assert any(v.startswith("script-src") for v in violations), violations


@pytest.mark.parametrize("where", ["http", "file"])
def test_the_policy_costs_no_feature(chrome: Any, example_html: Path, where: str) -> None:
    """Search, the palette toggle, charts and navigation, with no policy violation."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with _root(example_html, where) as root:
        for page in sorted(p.relative_to(example_html).as_posix()
                           for p in example_html.rglob("*.html")):
            if page == "404.html" and where == "file":
                continue  # a server's error page: its links start at the server's root
            dialogs, violations, requests = _visit(chrome, root + page)
            assert violations == [] and dialogs == [], (page, violations)
            assert all(u.startswith(root) for u in requests), (page, requests)
        # charts
        _visit(chrome, root + "models/churn/monitoring/2024-02-01.html")
        widths = chrome.execute_script(
            "return [...document.querySelectorAll('article img')].map(i => i.naturalWidth)")
        assert len(widths) == 3 and min(widths) > 300, widths
        # palette toggle
        chrome.get(root + "index.html")
        chrome.execute_script("localStorage.clear()")
        chrome.refresh()
        before = chrome.execute_script("return document.body.dataset.mdColorScheme")
        chrome.find_element(By.CSS_SELECTOR, "form[data-md-component=palette] label:not([hidden])"
                            ).click()
        after = chrome.execute_script("return document.body.dataset.mdColorScheme")
        assert {before, after} == {"default", "slate"}, (before, after)
        chrome.execute_script("localStorage.clear()")
        # navigation
        chrome.get(root + "index.html")
        chrome.find_element(By.LINK_TEXT, "Churn Prediction").click()
        WebDriverWait(chrome, 10).until(lambda d: d.current_url.endswith("models/churn/index.html"))
        assert "Churn Prediction" in chrome.find_element(By.TAG_NAME, "h1").text
        # search (a Web Worker over http, the file:// shim's iframe from the disk)
        box = chrome.find_element(By.CSS_SELECTOR, "input.md-search__input")
        box.click()
        box.send_keys("Desktop Users")
        WebDriverWait(chrome, 10).until(lambda d: d.find_elements(
            By.CSS_SELECTOR, ".md-search-result__item"))
        assert chrome.execute_script("return window.__violations") == []
