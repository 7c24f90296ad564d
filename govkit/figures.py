"""Charts as deterministic PNG bytes (matplotlib Agg, no timestamps or version in metadata)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

REFERENCE_COLOR = "#90a4ae"
CURRENT_COLOR = "#3f51b5"


def new_figure(width: float = 7.0, height: float = 3.2) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def png_bytes(fig: Figure) -> bytes:
    """Same figure, same bytes: the PNG carries no Software/date chunk."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def distribution_chart(
    title: str, labels: Sequence[str], reference: Sequence[float], current: Sequence[float]
) -> bytes:
    """Reference vs current share per bin or category, as grouped bars."""
    fig = new_figure(width=max(6.0, 0.55 * len(labels) + 2.0))
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
    return png_bytes(fig)


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
