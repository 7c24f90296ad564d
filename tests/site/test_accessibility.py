"""axe-core over the example site in Chromium, light and dark (issue 24): no serious or
critical violation on any key page, the theme's elements included. axe-core comes from the
`axe-core-python` wheel (the test extra), injected by WebDriver: nothing is fetched."""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any

import pytest

from tests.browser import open_page, require_chromium

require_chromium()

PAGES = ("index.html", "models/churn/index.html", "models/upsell/index.html",
         "models/churn/monitoring/2024-02-01.html", "models/churn/history.html",
         "models/churn/versions/2.2.0.html", "models/churn/compare.html",
         "models/churn/incidents.html", "models/churn/runbooks/index.html",
         "models/churn/runbooks/auc-degradation.html", "models/churn/training.html",
         "models/churn/dossiers/2.3.0/sr-11-7.html", "models/churn/profiles/sr-11-7.html",
         "tags/retention.html", "systems/churn.html", "datasets/churn-training.html",
         "experiments/churn-depth.html")
RUN = """const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => [n.target.join(' '),
    (n.any[0] || n.all[0] || n.none[0] || {}).message])}))), e => done(String(e)));"""


@pytest.fixture(scope="module")
def axe() -> str:
    return (importlib.resources.files("axe_core_python") / "axe.min.js").read_text("utf-8")



@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_no_serious_or_critical_violation(chrome: Any, example_html: Path, axe: str,
                                          dark: bool) -> None:
    chrome.set_script_timeout(120)
    found = []
    for page in PAGES:
        open_page(chrome, example_html.as_uri() + "/" + page, dark=dark)
        chrome.execute_script(axe)
        assert chrome.execute_script("return axe.version") == "4.4.3"
        result = chrome.execute_async_script(RUN)
        assert isinstance(result, list), (page, result)  # axe itself ran
        found += [(page, v["id"], v["impact"], node) for v in result for node in v["nodes"]]
    assert found == [], "\n".join(map(str, found))
    print(f"{'dark' if dark else 'light'}: {len(PAGES)} pages, 0 serious/critical nodes")
