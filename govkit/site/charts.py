"""Charts: pure, same input -> same bytes. Imported lazily: matplotlib is slow to import.

matplotlib's object API (no pyplot, no global backend) under matplotlib's default style, so a
user's matplotlibrc cannot change the output. Training curves and drift distributions are PNG
(Agg, saved without the 'Software' chunk). Trend charts are SVG: matplotlib's SVG canvas with a
fixed `svg.hashsalt` (stable clip-path ids), text kept as text (`svg.fonttype: none`) and no
date or creator in the metadata. They have a transparent background and mid-tone colours, so
they read on Material's light and dark schemes alike.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

REFERENCE_COLOR = "#90a4ae"
CURRENT_COLOR = "#3f51b5"
# Trend charts: readable on white and on Material's slate (#1e2129) background.
INK = "#8a8f98"
SERIES = ("#5c6bc0", "#26a69a", "#ffa726", "#ab47bc", "#8d6e63", "#78909c", "#ec407a")
RANGE = "#43a047"
FAIL = "#e53935"
MAX_PANELS = 12  # beyond this a card gets unreadable; the rest stay in the release file
_COLS = 2


def curve_metrics(history: Mapping[str, Mapping[str, Sequence[float]]]) -> list[str]:
    """The metrics that get a panel: those with at least two points, sorted by name."""
    return sorted(k for k, v in history.items() if len(v.get("values", ())) > 1)[:MAX_PANELS]


def training_curves_png(
    history: Mapping[str, Mapping[str, Sequence[float]]], title: str = ""
) -> bytes | None:
    """One panel per metric (value by step), or None when no metric has a curve."""
    names = curve_metrics(history)
    if not names:
        return None
    cols = min(_COLS, len(names))
    rows = math.ceil(len(names) / cols)
    with _default_style():
        fig = _figure(4.2 * cols, 2.6 * rows + (0.4 if title else 0))
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax, name in zip(axes.flat, names, strict=False):
            steps = list(history[name]["steps"])
            values = list(history[name]["values"])
            ax.plot(steps, values, color="#3f51b5", linewidth=1.6,
                    marker="o" if len(values) <= 20 else None, markersize=3)
            ax.set_title(name, fontsize=10)
            ax.set_xlabel("step", fontsize=8)
            ax.tick_params(labelsize=8)
            ax.grid(True, linewidth=0.4, alpha=0.6)
        for ax in list(axes.flat)[len(names):]:
            ax.set_visible(False)
        if title:
            fig.suptitle(title, fontsize=11)
        fig.tight_layout()
        return _png(fig)


def distribution_chart(
    title: str, labels: Sequence[str], reference: Sequence[float], current: Sequence[float]
) -> bytes:
    """Reference vs current share per bin or category, as grouped bars."""
    with _default_style():
        fig = _figure(max(6.0, 0.55 * len(labels) + 2.0), 3.2)
        ax = fig.add_subplot()
        positions = range(len(labels))
        ax.bar([p - 0.2 for p in positions], reference, width=0.4, label="reference",
               color=REFERENCE_COLOR)
        ax.bar([p + 0.2 for p in positions], current, width=0.4, label="current",
               color=CURRENT_COLOR)
        ax.set_xticks(list(positions), [_short(label) for label in labels], rotation=30,
                      ha="right", fontsize=8)
        ax.set_ylabel("share of rows")
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        return _png(fig)


def _default_style() -> AbstractContextManager[None]:
    """matplotlib's defaults, whatever the user's matplotlibrc says."""
    import matplotlib.style

    return matplotlib.style.context("default")


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    """No 'Software' chunk and no timestamp: the bytes depend on the figure alone."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def trend_svg(
    title: str, x: Sequence[str], series: Sequence[tuple[str, Sequence[float | None],
                                                    Sequence[bool]]],
    low: float | None, high: float | None, xlabel: str,
) -> bytes:
    """One metric over versions or windows: a line per series (name, values, failed flags),
    the allowed range [low, high] shaded, failing points marked with a red cross."""
    import matplotlib

    values = [v for _, ys, _ in series for v in ys if v is not None]
    bounds = [b for b in (low, high) if b is not None]
    span = max(values + bounds, default=1.0) - min(values + bounds, default=0.0) or 0.1
    bottom = min(values + bounds, default=0.0) - 0.15 * span
    top = max(values + bounds, default=1.0) + 0.15 * span
    with _default_style(), matplotlib.rc_context({"svg.hashsalt": "govkit",
                                                  "svg.fonttype": "none"}):
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure

        fig = Figure(figsize=(max(6.0, 0.9 * len(x) + 3.0), 3.0))
        FigureCanvasSVG(fig)
        fig.patch.set_alpha(0)
        ax = fig.add_subplot()
        ax.patch.set_alpha(0)
        if bounds:
            ax.axhspan(bottom if low is None else low, top if high is None else high,
                       color=RANGE, alpha=0.18, linewidth=0, label="allowed range")
        positions = list(range(len(x)))
        for i, (name, ys, failed) in enumerate(series):
            points = [(p, v) for p, v in zip(positions, ys, strict=True) if v is not None]
            ax.plot([p for p, _ in points], [v for _, v in points], marker="o", markersize=4,
                    linewidth=1.6, color=SERIES[i % len(SERIES)], label=_short(name, 30))
            bad = [(p, v) for p, v, f in zip(positions, ys, failed, strict=True)
                   if f and v is not None]
            ax.plot([p for p, _ in bad], [v for _, v in bad], linestyle="none", marker="X",
                    markersize=10, color=FAIL, label="_nolegend_")
        if any(f for _, _, fs in series for f in fs):
            ax.plot([], [], linestyle="none", marker="X", markersize=8, color=FAIL,
                    label="fails its range")
        ax.set_xlim(-0.5, len(x) - 0.5)
        ax.set_ylim(bottom, top)
        ax.set_xticks(positions, [_short(v) for v in x], fontsize=8)
        ax.set_xlabel(xlabel, fontsize=8, color=INK)
        ax.set_title(title, fontsize=10, color=INK)
        ax.tick_params(labelsize=8, colors=INK)
        ax.grid(True, axis="y", linewidth=0.4, alpha=0.5, color=INK)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("bottom", "left"):
            ax.spines[side].set_color(INK)
        legend = ax.legend(fontsize=7, frameon=False, loc="center left",
                           bbox_to_anchor=(1.0, 0.5))
        for text in legend.get_texts():
            text.set_color(INK)
        # fixed margins (inches) instead of tight_layout, which draws the figure once more
        width = fig.get_figwidth()
        fig.subplots_adjust(left=0.75 / width, right=1 - 2.3 / width, bottom=0.2, top=0.88)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "govkit"})
    declaration, rest = buf.getvalue().split(b"\n", 1)
    # the writer recognises its own files by this mark in their first bytes
    return declaration + b"\n<!-- Generated by govkit. Do not edit. -->\n" + rest


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
