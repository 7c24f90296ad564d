"""Charts say a thing once and say the finding first (issue 24): the page's heading names the
chart (the SVG keeps its `<title>` for screen readers but draws no title of its own), each
bound of the allowed range is labelled on the axis, a trend's alt text is the verdict of the
latest point and its `<desc>` opens with it before listing the values."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from govkit.site.charts import curve_svg, distribution_svg, trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def _read(svg: bytes) -> tuple[str, str, list[str]]:
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    return root.findtext(f"{SVG}title") or "", root.findtext(f"{SVG}desc") or "", texts


def test_no_chart_draws_its_title() -> None:
    charts = [
        trend_svg("AUC-ROC by version", ["2.2.0", "2.3.0"],
                  [("overall", [0.86, 0.7], [False, True])], 0.8, None, "version", "d"),
        curve_svg("Loss during training", [1, 2, 3], [0.5, 0.4, 0.3], None, 0.6, "d"),
        distribution_svg("device: PSI 0.3", ["a", "b"], [0.5, 0.5], [0.2, 0.8], "d"),
    ]
    for svg in charts:
        title, _, texts = _read(svg)
        assert title and title not in texts, (title, texts)


def test_each_bound_is_labelled() -> None:
    _, _, texts = _read(trend_svg("m", ["1", "2"], [("overall", [0.86, 0.7], [False, True])],
                                  0.8, 0.95, "version"))
    assert "lower bound 0.80" in texts and "upper bound 0.95" in texts, texts
    _, _, texts = _read(curve_svg("loss", [1, 2], [0.5, 0.3], None, 0.6))
    assert "upper bound 0.60" in texts and not any("lower" in t for t in texts), texts


def test_trend_alt_text_states_the_finding_first(example_html: Path) -> None:
    history = (example_html / "models/churn/history.html").read_text(encoding="utf-8")
    alts = dict((src, alt) for alt, src in re.findall(
        r'<img alt="([^"]*)"[^>]*src="(charts/[^"]+)"', history))
    windows = alts["charts/auc-roc-windows.svg"]
    assert windows == ("AUC-ROC fails in window 2024-02-01: user_segment=New Users 0.6032 "
                       "outside the allowed range &gt; 0.85."), windows
    versions = alts["charts/auc-roc-versions.svg"]
    assert versions == ("AUC-ROC passes in version 2.3.0: every value inside the allowed range "
                        "&gt; 0.85."), versions
    svg = (example_html / "models/churn/charts/auc-roc-windows.svg").read_bytes()
    desc = _read(svg)[1]  # the finding, then the values
    assert desc.startswith("AUC-ROC fails in window 2024-02-01: user_segment=New Users 0.6032")
    assert "user_segment=Desktop Users 0.9067" in desc
