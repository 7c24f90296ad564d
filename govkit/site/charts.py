"""Charts as PNG bytes (training curves, drift distributions): pure, same input -> same bytes.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global backend) under
matplotlib's default style, so a user's matplotlibrc cannot change the output, and saves
without the 'Software' text chunk. Imported lazily: matplotlib is slow to import.
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


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
