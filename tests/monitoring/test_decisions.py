"""Decisions that use the sample size: a real drop is never hidden by a row minimum, and a
window with no drop does not cry wolf."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from govkit.schemas.monitoring import PerformanceMetric
from govkit.schemas.rules import Rules
from tests.monitoring.flat import compute_result

KW = {"model": "m", "window": "w", "predictions": "score", "labels": "y", "features": []}


def labelled(rng: np.random.Generator, parts: dict[str, tuple[int, float]]) -> pa.Table:
    """Rows per segment with a true accuracy: score 0.9/0.1 agrees with the label or not."""
    seg, y, correct = [], [], []
    for name, (n, accuracy) in parts.items():
        seg += [name] * n
        y.append(rng.random(n) < 0.4)
        correct.append(rng.random(n) < accuracy)
    labels, ok = np.concatenate(y), np.concatenate(correct)
    score = np.where(ok == labels, 0.9, 0.1)
    return pa.table({"score": score, "y": labels.astype(np.int64), "seg": seg})


def accuracy(table: pa.Table, baseline: float, **kw) -> dict[str | None, PerformanceMetric]:
    res = compute_result(table, table, segments=["seg"], baseline={"accuracy": baseline},
                         **KW, **kw)
    return {m.segment: m for m in res.performance if m.name == "accuracy"}


def test_real_drop_at_n70_is_possible_degradation_with_rows_needed():
    """Baseline 0.90, the new segment truly at 0.846 (6% lower), 70 rows."""
    t = labelled(np.random.default_rng(5), {"new": (70, 0.846), "old": (3000, 0.90)})
    acc = accuracy(t, 0.90)["seg=new"]
    assert acc.sample_size == 70
    assert acc.relative_drop is not None and acc.relative_drop > 0.05
    assert acc.status == "possible_degradation"
    assert acc.severity == "info"
    assert acc.rows_needed is not None and acc.rows_needed > 70
    assert f"n = 70, need about {acc.rows_needed} rows to confirm" in (acc.reason or "")
    assert acc.ci_low is not None and acc.ci_high is not None
    assert acc.ci_low < 0.90 * 0.95 < acc.ci_high  # the interval says: can't tell yet


def test_same_drop_at_n5000_is_degraded():
    t = labelled(np.random.default_rng(5), {"new": (5000, 0.846), "old": (3000, 0.90)})
    acc = accuracy(t, 0.90)["seg=new"]
    assert acc.status == "degraded"
    assert acc.severity == "P2"
    assert acc.p_adjusted is not None and acc.p_adjusted < 1e-6
    assert acc.ci_high is not None and acc.ci_high < 0.90


def test_the_issue_segment_is_never_pass_or_silent():
    """0.963 -> 0.910 on 67 rows (finding 1): a warning with its evidence, not a pass."""
    rows = 67
    y = np.array([1] * 20 + [0] * 47)
    correct = np.ones(rows, dtype=bool)
    correct[:6] = False  # 61 of 67 correct
    score = np.where(correct == (y == 1), 0.9, 0.1)
    big = np.random.default_rng(1).random(4000) < 0.963
    t = pa.table({
        "score": np.concatenate([score, np.where(big, 0.9, 0.1)]),
        "y": np.concatenate([y, np.ones(4000, dtype=np.int64)]),
        "seg": ["small"] * rows + ["big"] * 4000,
    })
    res = compute_result(t, t, segments=["seg"], baseline={"accuracy": 0.963}, **KW)
    acc = {m.segment: m for m in res.performance if m.name == "accuracy"}["seg=small"]
    assert acc.value == pytest.approx(61 / 67)
    assert acc.status == "possible_degradation"
    assert res.recommended_action.unconfirmed is not None
    assert "accuracy (segment seg=small) is 5.5% below its baseline" in (
        res.recommended_action.unconfirmed)


def test_too_few_rows_is_not_evaluated_and_counted():
    t = labelled(np.random.default_rng(3), {"tiny": (1, 0.0), "old": (2000, 0.9)})
    res = compute_result(t, t, segments=["seg"], baseline={"accuracy": 0.9, "roc_auc": 0.9},
                         **KW)
    tiny = {m.name: m for m in res.performance
            if m.segment == "seg=tiny" and m.name in ("accuracy", "roc_auc")}
    assert {m.status for m in tiny.values()} == {"not_evaluated"}
    assert "cannot show any drop" in (tiny["accuracy"].reason or "")
    assert "at least 2 positives and 2 negatives" in (tiny["roc_auc"].reason or "")
    assert res.recommended_action.not_evaluated == sum(
        m.status == "not_evaluated" for m in res.performance)
    assert res.max_severity in ("none", "info")


def test_no_drop_windows_rarely_alarm_family_wise():
    """200 seeded windows at the baseline, 4 segments x accuracy and AUC (10 tests each):
    Holm keeps windows with any 'degraded' near alpha (5%); uncorrected tests would not."""
    alarms = uncorrected = 0
    parts = {f"s{i}": (160, 0.9) for i in range(4)}
    for seed in range(200):
        t = labelled(np.random.default_rng(seed), parts)
        res = compute_result(t, t, segments=["seg"], baseline={"accuracy": 0.9}, **KW)
        alarms += any(m.status == "degraded" for m in res.performance)
        raw = compute_result(t, t, segments=["seg"], baseline={"accuracy": 0.9},
                             rules=Rules(multiple_testing="none"), **KW)
        uncorrected += any(m.status == "degraded" for m in raw.performance)
    assert alarms / 200 <= 0.07
    assert uncorrected > alarms


def test_metric_without_baseline_is_reported_not_passed():
    t = labelled(np.random.default_rng(9), {"a": (500, 0.9)})
    res = compute_result(t, t, segments=[], baseline={}, **KW)
    assert {m.status for m in res.performance} == {"no_baseline"}
    assert all(m.ci_low is not None for m in res.performance)


def test_per_segment_baseline_changes_the_reported_drop():
    """Finding 2: the segment's own documented 0.963 gives 5.5%, the overall 0.975 gives 6.6%."""
    rows = 67
    y = np.array([1] * 20 + [0] * 47)
    correct = np.ones(rows, dtype=bool)
    correct[:6] = False  # 61 of 67
    t = pa.table({"score": np.where(correct == (y == 1), 0.9, 0.1), "y": y,
                  "seg": ["New Users"] * rows})
    plain = accuracy(t, 0.975)["seg=New Users"]
    assert plain.baseline == 0.975 and plain.baseline_source == "overall"
    assert plain.relative_drop == pytest.approx((0.975 - 61 / 67) / 0.975)  # 6.6%
    res = compute_result(t, t, segments=["seg"], baseline={"accuracy": 0.975},
                         segment_baselines={"New Users": {"accuracy": 0.963}}, **KW)
    own = {m.segment: m for m in res.performance if m.name == "accuracy"}
    assert own["seg=New Users"].baseline == 0.963
    assert own["seg=New Users"].baseline_source == "segment New Users"
    assert own["seg=New Users"].relative_drop == pytest.approx((0.963 - 61 / 67) / 0.963)
    assert own[None].baseline_source == "overall"
    assert res.segments[0].baseline_source == "segment New Users"


def test_segment_baseline_by_column_value_and_fallback_per_metric():
    t = labelled(np.random.default_rng(2), {"a": (400, 0.9), "b": (400, 0.9)})
    res = compute_result(t, t, segments=["seg"], baseline={"accuracy": 0.9, "roc_auc": 0.9},
                         segment_baselines={"seg=a": {"accuracy": 0.8}}, **KW)
    got = {(m.segment, m.name): (m.baseline, m.baseline_source) for m in res.performance
           if m.name in ("accuracy", "roc_auc")}
    assert got[("seg=a", "accuracy")] == (0.8, "segment seg=a")
    assert got[("seg=a", "roc_auc")] == (0.9, "overall")  # not documented for the segment
    assert got[("seg=b", "accuracy")] == (0.9, "overall")
