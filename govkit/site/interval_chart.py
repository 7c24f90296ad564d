"""A dot-and-whisker chart as SVG text: one row per group (overall, each segment), the value
as a marker whose shape says its status, its confidence interval as a whisker, the allowed
range as a band in the row. Pure, same input -> same bytes; drawn with the trend charts' ink,
colours and text (site/charts.py), so the site's stylesheet inverts it in the dark scheme.

Bound labels sit in a strip above the rows, never among the points."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from govkit.formatting import fmt
from govkit.site.charts import (
    _CHAR,
    _LABEL_CHAR,
    CURRENT_COLOR,
    INK,
    RANGE,
    _axes,
    _close,
    _cross,
    _n,
    _open,
    _short,
    _text,
    _ticks,
)

ROW = 30.0
PLOT = 360.0
_LINE = 15.0  # one line of the bound-label strip
_NAME_CHARS = 24


class IntervalRow(NamedTuple):
    """A group's value, its interval (None: none documented), its check's status and the
    allowed range its check used."""

    name: str
    value: float
    ci: tuple[float, float] | None
    status: str
    low: float | None
    high: float | None


def value_text(row: IntervalRow) -> str:
    """What the right-hand column says: the value and its interval, or that it has none."""
    if row.ci is None:
        return f"{fmt(row.value)} (no interval)"
    return f"{fmt(row.value)} ({fmt(row.ci[0])}–{fmt(row.ci[1])})"


def interval_svg(title: str, rows: Sequence[IntervalRow], xlabel: str, desc: str) -> bytes:
    names = [_short(r.name, _NAME_CHARS) for r in rows]
    left = max(90.0, max((len(n) for n in names), default=0) * _CHAR + 16)
    right = left + PLOT
    width = round(right + 16 + max((len(value_text(r)) for r in rows), default=0) * _CHAR + 8)
    numbers = [v for r in rows for v in (r.value, *(r.ci or ()), r.low, r.high) if v is not None]
    lo, hi = min(numbers, default=0.0), max(numbers, default=1.0)
    span = hi - lo or 0.1
    x_lo, x_hi = lo - 0.1 * span, hi + 0.1 * span

    def px(v: float) -> float:
        return left + (right - left) * (v - x_lo) / (x_hi - x_lo)

    labels = _bound_labels(rows, px, width)
    top = 12.0 + _LINE * max((line for _, _, _, line in labels), default=0) + 14
    bottom = top + ROW * len(rows)
    height = round(bottom + 74)
    out = _open(width, height, title, desc)
    for t in _ticks(x_lo, x_hi):
        if x_lo <= t <= x_hi:
            out += (f'<line x1="{_n(px(t))}" x2="{_n(px(t))}" y1="{_n(top)}" y2="{_n(bottom)}" '
                    f'stroke="{INK}" stroke-opacity="0.3" stroke-width="0.6"/>\n'
                    + _text(px(t), bottom + 17, fmt(t), ' text-anchor="middle"'))
    for i, r in enumerate(rows):  # the allowed range, row by row (a segment may have its own)
        if r.low is None and r.high is None:
            continue
        y0, a = top + ROW * i, px(max(r.low, x_lo)) if r.low is not None else left
        b = px(min(r.high, x_hi)) if r.high is not None else right
        out += (f'<rect x="{_n(a)}" y="{_n(y0)}" width="{_n(max(b - a, 0.0))}" '
                f'height="{_n(ROW)}" fill="{RANGE}" fill-opacity="0.18"/>\n')
        for bound in (r.low, r.high):
            if bound is not None:
                out += (f'<line x1="{_n(px(bound))}" x2="{_n(px(bound))}" y1="{_n(y0)}" '
                        f'y2="{_n(y0 + ROW)}" stroke="{RANGE}" stroke-width="1.2" '
                        'stroke-dasharray="5 3"/>\n')
    for text, x, anchor, line in labels:
        out += _text(x, 12.0 + _LINE * line, text, f' text-anchor="{anchor}"')
    for i, (r, name) in enumerate(zip(rows, names, strict=True)):
        cy = top + ROW * (i + 0.5)
        out += _text(left - 8, cy + 4, name, ' text-anchor="end"')
        if r.ci is not None:
            a, b = px(r.ci[0]), px(r.ci[1])
            out += (f'<path d="M{_n(a)},{_n(cy - 6)} L{_n(a)},{_n(cy + 6)} M{_n(a)},{_n(cy)} '
                    f'L{_n(b)},{_n(cy)} M{_n(b)},{_n(cy - 6)} L{_n(b)},{_n(cy + 6)}" '
                    f'fill="none" stroke="{INK}" stroke-width="1.6"/>\n')
        out += _marker(px(r.value), cy, r.status)
        out += _text(right + 16, cy + 4, value_text(r))
    out += _axes(left, right, top, bottom)
    out += _text((left + right) / 2, bottom + 36, xlabel, ' text-anchor="middle"')
    return _close(out + _legend(left, bottom + 60, rows))


def _marker(x: float, y: float, status: str) -> str:
    if status == "fail":
        return _cross(x, y)
    if status == "pass":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.5" fill="{CURRENT_COLOR}"/>\n'
    return (f'<path d="M{_n(x)},{_n(y - 6)} L{_n(x + 6)},{_n(y)} L{_n(x)},{_n(y + 6)} '
            f'L{_n(x - 6)},{_n(y)} Z" fill="none" stroke="{INK}" stroke-width="1.6"/>\n')


_OTHER = "not judged"


def _legend(x: float, y: float, rows: Sequence[IntervalRow]) -> str:
    statuses = {r.status for r in rows}
    entries = [(status, word) for status, word in (("pass", "passes"), ("fail", "fails"))
               if status in statuses]
    if statuses - {"pass", "fail"}:
        entries.append((_OTHER, _OTHER))
    out = ""
    for status, word in entries:
        out += _marker(x + 6, y - 4, status) + _text(x + 16, y, word)
        x += 16 + len(word) * _CHAR + 18
    if any(r.ci is not None for r in rows):
        out += (f'<path d="M{_n(x)},{_n(y - 10)} L{_n(x)},{_n(y + 2)} M{_n(x)},{_n(y - 4)} '
                f'L{_n(x + 18)},{_n(y - 4)} M{_n(x + 18)},{_n(y - 10)} L{_n(x + 18)},'
                f'{_n(y + 2)}" fill="none" stroke="{INK}" stroke-width="1.6"/>\n'
                + _text(x + 24, y, "95% CI"))
        x += 24 + 6 * _CHAR + 18
    if any(r.low is not None or r.high is not None for r in rows):
        out += (f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="18" height="12" fill="{RANGE}" '
                f'fill-opacity="0.18" stroke="{RANGE}" stroke-dasharray="5 3"/>\n'
                + _text(x + 24, y, "allowed range"))
    return out


Label = tuple[str, float, str, int]  # text, x, anchor, line of the strip


def _bound_labels(
    rows: Sequence[IntervalRow], px: Callable[[float], float], width: int
) -> list[Label]:
    """Each distinct bound once, above the rows: a lower bound's label ends left of its line
    and an upper bound's starts right of it (both outside the band), on the first line of the
    strip where it overlaps no other label and stays inside the image."""
    bounds = sorted({(which, b) for r in rows
                     for which, b in (("lower", r.low), ("upper", r.high)) if b is not None})
    placed: list[tuple[Label, float, float]] = []
    for which, b in bounds:
        text = f"{which} bound {fmt(b)}"
        size = len(text) * _LABEL_CHAR
        x = px(b)
        anchor = "end" if which == "lower" else "start"
        if anchor == "end" and x - 4 - size < 2:
            anchor = "start"
        if anchor == "start" and x + 4 + size > width - 2:
            anchor = "end"
        at = x - 4 if anchor == "end" else x + 4
        start, end = (at - size, at) if anchor == "end" else (at, at + size)
        line = 0
        while any(other[3] == line and s < end and start < e for other, s, e in placed):
            line += 1
        placed.append(((text, at, anchor, line), start, end))
    return [label for label, _, _ in placed]
