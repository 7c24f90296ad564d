"""A chart's finding is heard once (issue 24): every chart image on the built example site has
alt text of one short sentence stating the finding, and a visible caption that says something
else (what is plotted, how to read it, the values), so a screen reader that reads the image's
alt and then the caption never hears the same words twice."""

from __future__ import annotations

import html
import re
from pathlib import Path

CHART = re.compile(r'<p><img alt="([^"]*)" class="gk-chart" src="([^"]+)"\s*/?></p>\s*'
                   r"(?:<p><em>(.*?)</em></p>)?", re.S)


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def test_no_chart_alt_repeats_its_caption(example_html: Path) -> None:
    charts: dict[str, tuple[str, str]] = {}
    for page in sorted(example_html.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for alt, src, caption in CHART.findall(text):
            charts[f"{page.relative_to(example_html)} {src}"] = (_plain(alt), _plain(caption))
    kinds = {re.sub(r".*/", "", k.split()[1]).split("-")[-1] for k in charts}
    assert len(charts) >= 11 and {"versions.svg", "windows.svg"} <= kinds, sorted(charts)
    for where, (alt, caption) in charts.items():
        assert alt and caption, where  # every chart has both
        assert alt != caption and alt not in caption, (where, alt)  # the finding said once
        assert len(alt) <= 200 and alt.count(". ") == 0, (where, alt)  # one sentence
