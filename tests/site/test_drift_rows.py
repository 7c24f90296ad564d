"""Feature drift, one row per feature (issue 24): a summary line says how many features
drifted and which; each feature's row carries all its tests, the ones that found drift first
and in bold, and a severity only where drift was found. In Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser import open_page, require_chromium

require_chromium()

PAGE = "models/churn/monitoring/2024-02-01.html"



def test_one_row_per_feature_with_a_summary(chrome: Any, example_html: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(chrome, example_html.as_uri() + "/" + PAGE)
    heading = chrome.find_element(By.ID, "feature-drift")
    summary = heading.find_element(By.XPATH, "following-sibling::p[2]")
    assert summary.text.startswith(
        "3 of 5 features drifted: device, session_minutes, sessions_30d."), summary.text
    table = heading.find_element(By.XPATH, "following::table[1]")
    assert [h.text for h in table.find_elements(By.CSS_SELECTOR, "th")] == [
        "Status", "Feature", "Kind", "Tests", "Severity"]
    rows = [[c.text for c in r.find_elements(By.TAG_NAME, "td")]
            for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("drift", "device", "P3"), ("drift", "session_minutes", "P3"),
        ("drift", "sessions_30d", "P3"), ("ok", "plan", "–"), ("ok", "tenure_days", "–")]
    device = rows[0][3].split("\n")
    assert device[0].startswith("chi_square 1029.0117, p < 1e-12, cramers_v 0.1604, P3")
    assert [t.split()[0] for t in device] == [
        "chi_square", "category_psi", "new_categories", "null_rate"]
    bold = table.find_elements(By.CSS_SELECTOR, "tbody tr:first-child td:nth-child(4) strong")
    assert [b.text for b in bold] == ["chi_square 1029.0117"]
