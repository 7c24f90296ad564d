"""A live value on an exclusive bound is out of range, and its interval is read on the side it
left the range by (checks/live.py `live_status`)."""

from __future__ import annotations

import pytest

from govkit.checks.live import live_status
from govkit.checks.results import DocumentedRange
from govkit.schemas.monitoring import PerformanceMetric


def _live(value: float, low: float, high: float) -> PerformanceMetric:
    return PerformanceMetric(name="auc", value=value, sample_size=400, ci_low=low, ci_high=high,
                             confidence=0.95, status="pass")


EXCLUSIVE = DocumentedRange(0.8, 0.95, "card", exclusive=True)


@pytest.mark.parametrize(("value", "low", "high", "status"), [
    # on the exclusive minimum, its interval reaching into the range: out, not yet significant
    (0.8, 0.75, 0.85, "insufficient_data"),
    # on the exclusive minimum, its whole interval at or below it: out
    (0.8, 0.7, 0.8, "fail"),
    # on the exclusive maximum, its interval reaching into the range: out, not yet significant
    (0.95, 0.9, 0.97, "insufficient_data"),
    (0.95, 0.95, 0.99, "fail"),
    # just inside: in
    (0.81, 0.7, 0.9, "pass"),
])
def test_a_live_value_on_an_exclusive_bound_is_out_of_range(
    value: float, low: float, high: float, status: str
) -> None:
    got, message = live_status(_live(value, low, high), EXCLUSIVE)
    assert got == status, message
    if status != "pass":
        assert "below" in message if value == 0.8 else "above" in message


def test_a_live_value_on_an_inclusive_minimum_is_in_range() -> None:
    rng = DocumentedRange(0.8, None, "card")
    assert live_status(_live(0.8, 0.7, 0.9), rng)[0] == "pass"
