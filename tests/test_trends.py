"""Trend charts (issue 11, finding 7): each documented metric by version and by monitoring
window, SVG with the allowed range shaded and failing points marked, same bytes every build."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

from govkit.commands.build import build
from govkit.site.charts import FAIL, RANGE, trend_svg
from tests.conftest import snapshot

SVG = "{http://www.w3.org/2000/svg}"
ARGS = ("AUC-ROC by version", ["2.2.0", "2.3.0"],
        [("overall", [0.86, 0.70], [False, True])], 0.85, None, "version")


def test_trend_svg_is_deterministic_and_undated() -> None:
    first = trend_svg(*ARGS)
    with matplotlib.rc_context({"svg.hashsalt": None, "svg.fonttype": "path",
                                "axes.facecolor": "black"}):
        assert trend_svg(*ARGS) == first  # the user's rc settings do not leak in
    text = first.decode()
    assert "<dc:date>" not in text and "<dc:creator>" in text and "govkit" in text
    ET.fromstring(first)  # well-formed


def test_trend_svg_shades_the_range_and_marks_failures() -> None:
    text = trend_svg(*ARGS).decode()
    assert f"fill: {RANGE}; opacity: 0.18" in text  # the allowed range, shaded
    assert FAIL in text and "fails its range" in text  # the red cross and its legend entry
    assert 'style="fill: none; opacity: 0"' in text  # transparent: reads on a dark page
    passing = trend_svg("x", ["a", "b"], [("overall", [0.9, 0.95], [False, False])],
                        0.85, None, "version").decode()
    assert FAIL not in passing and "fails its range" not in passing
    assert "$" in trend_svg("a $5 $ label", ["1"], [("s", [1.0], [False])], None, None,
                            "v").decode()  # a dollar sign is text, not mathtext


def test_history_pages_carry_trends_with_their_numbers(example: Path) -> None:
    build(example)
    site = example.parent / "site"
    upsell = (site / "models/upsell/history.md").read_text()
    alt = re.search(r"!\[(Accuracy by version[^]]*)\]\(charts/accuracy-versions\.svg\)", upsell)
    assert alt and "1.0.0: overall 0.90; 1.1.0: overall 0.92" in alt.group(1)
    assert "New Users 0.70 (FAIL)" in alt.group(1) and "allowed range ≥ 0.80" in alt.group(1)
    assert f"*{alt.group(1)}*" in upsell  # the caption states the same numbers
    chart = (site / "models/upsell/charts/accuracy-versions.svg").read_text()
    assert FAIL in chart
    churn = (site / "models/churn/history.md").read_text()
    assert "### AUC-ROC in production by monitoring window" in churn
    assert "user\\_segment=New Users 0.6032 (FAIL)" in churn
    assert sorted(p.name for p in (site / "models/churn/charts").iterdir()) == [
        "auc-roc-versions.svg", "auc-roc-windows.svg", "precision-at-10-versions.svg",
        "recall-at-10-versions.svg"]
    before = snapshot(site)
    build(example)
    assert snapshot(site) == before


def test_a_windows_chart_marks_only_failing_points(example: Path) -> None:
    build(example)
    svg = ET.parse(example.parent / "site/models/churn/charts/auc-roc-windows.svg").getroot()
    marks = [u for u in svg.iter(f"{SVG}use") if FAIL in (u.get("style") or "")]
    assert len(marks) == 2  # New Users' point and the legend's sample
