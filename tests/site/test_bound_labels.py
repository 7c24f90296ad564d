"""A bound's label never covers a point (issue 24): the label of the allowed range's lower
or upper bound is placed where no point, failing cross or other label is, read from the
generated SVG's geometry (text box at a conservative 0.62 em per character)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govkit.site.charts import curve_svg, trend_svg

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


def _boxes(svg: bytes) -> tuple[list[tuple[str, Box]], list[Box]]:
    """The bound labels' boxes and every marker's box (dots, crosses)."""
    root = ET.fromstring(svg)
    labels = []
    for t in root.iter(f"{SVG}text"):
        text = "".join(t.itertext())
        if " bound " not in text:
            continue
        x, y, width = float(t.get("x", 0)), float(t.get("y", 0)), len(text) * 12 * 0.62
        anchor = t.get("text-anchor", "start")
        x0 = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        labels.append((text, (x0, y - 11.0, x0 + width, y + 3.0)))
    marks = [(float(c.get("cx", 0)) - float(c.get("r", 0)), float(c.get("cy", 0))
              - float(c.get("r", 0)), float(c.get("cx", 0)) + float(c.get("r", 0)),
              float(c.get("cy", 0)) + float(c.get("r", 0)))
             for c in root.iter(f"{SVG}circle")]
    for p in root.iter(f"{SVG}path"):
        m = re.fullmatch(r"M([\d.-]+),([\d.-]+) L([\d.-]+),([\d.-]+) M.*", p.get("d", ""))
        if m and p.get("stroke-linecap") == "round":  # a failing point's cross
            marks.append((float(m[1]) - 1.3, float(m[2]) - 1.3, float(m[3]) + 1.3,
                          float(m[4]) + 1.3))
    return labels, marks


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covered(svg: bytes) -> list[str]:
    labels, marks = _boxes(svg)
    assert labels, "no bound label drawn"
    return [text for text, box in labels if any(_overlaps(box, m) for m in marks)] + [
        a for i, (a, box) in enumerate(labels) for _, other in labels[i + 1:]
        if _overlaps(box, other)]


def test_failing_point_just_below_the_lower_bound_keeps_its_label_clear() -> None:
    # the old place (right edge, just under the line) sat on this cross
    svg = trend_svg("AUC-ROC by version", ["2.1.0", "2.2.0", "2.3.0"],
                    [("overall", [0.70, 0.90, 0.84], [True, False, True])], 0.85, None,
                    "version")
    assert _covered(svg) == []


@pytest.mark.parametrize("values", [[0.95, 0.86], [0.86, 0.95], [0.84, 0.84], [0.86, 0.86]])
def test_points_on_either_side_of_both_bounds(values: list[float]) -> None:
    failed = [not 0.85 <= v <= 0.96 for v in values]
    svg = trend_svg("m", ["a", "b"], [("overall", values, failed)], 0.85, 0.96, "version")
    assert _covered(svg) == []


@settings(max_examples=60, deadline=None)
@example([1.0, 0.890625, 0.890625, 1.0], 0.890625)  # no free place in the plot: the margin
@given(st.lists(st.floats(0.5, 1.0), min_size=1, max_size=8), st.floats(0.6, 0.9))
def test_no_trend_label_covers_a_point(values: list[float], low: float) -> None:
    xs = [f"v{i}" for i in range(len(values))]
    svg = trend_svg("m", xs, [("overall", values, [v < low for v in values]),
                              ("segment", [v - 0.02 for v in values], [False] * len(values))],
                    low, None, "version")
    assert _covered(svg) == []


def test_curve_label_clears_its_last_point() -> None:
    svg = curve_svg("loss", [1, 2, 3, 4], [0.9, 0.7, 0.62, 0.605], None, 0.6)
    assert _covered(svg) == []
