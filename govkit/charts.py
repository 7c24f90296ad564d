"""Training curves as PNG bytes: pure (no file is written here), same input -> same bytes.

Uses matplotlib's object API with the Agg canvas (no pyplot, no global backend) under
matplotlib's default style, so a user's matplotlibrc cannot change the output, and saves
without the 'Software' text chunk. Imported lazily: matplotlib is slow to import.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence

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
    import matplotlib as mpl
    import matplotlib.style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cols = min(_COLS, len(names))
    rows = math.ceil(len(names) / cols)
    with mpl.style.context("default"):
        fig = Figure(figsize=(4.2 * cols, 2.6 * rows + (0.4 if title else 0)), dpi=100)
        FigureCanvasAgg(fig)
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
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
