"""Training-curve images are byte-identical across renders; the progress bar only on a tty."""

from __future__ import annotations

import io

import pytest

from govkit.commands import ingest
from govkit.site.charts import MAX_PANELS, curve_metrics, training_curves_png

HISTORY = {
    "val_auc": {"steps": [0, 1, 2, 3], "values": [0.7, 0.8, 0.84, 0.85]},
    "loss": {"steps": [0, 10, 20], "values": [1.0, 0.6, 0.4]},
    "single": {"steps": [5], "values": [0.3]},
}


def test_two_renders_are_byte_identical_pngs() -> None:
    first = training_curves_png(HISTORY, "churn 2")
    second = training_curves_png(dict(reversed(HISTORY.items())), "churn 2")
    assert first is not None and first == second
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"Software" not in first and b"matplotlib" not in first
    assert training_curves_png(HISTORY, "other title") != first


def test_only_metrics_with_a_curve_get_a_panel() -> None:
    assert curve_metrics(HISTORY) == ["loss", "val_auc"]
    assert training_curves_png({"single": HISTORY["single"]}) is None
    many = {f"m{i:02d}": HISTORY["loss"] for i in range(MAX_PANELS + 3)}
    assert len(curve_metrics(many)) == MAX_PANELS


class _Stderr(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [False, True])
def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tty: bool) -> None:
    fake = _Stderr(tty)
    monkeypatch.setattr("sys.stderr", fake)
    items = list(range(5))
    assert list(ingest._progress(items)) == items  # type: ignore[arg-type]
    assert ("ingest" in fake.getvalue()) is tty
