"""CBPE: performance expected from calibrated scores before labels arrive."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from govkit.monitoring.estimated import estimate, expected_auc


def test_expected_auc_matches_the_pairwise_definition():
    s = np.round(np.random.default_rng(0).random(60), 1)  # many ties
    num = den = 0.0
    for i in range(60):
        for j in range(60):
            if i != j:
                w = s[i] * (1 - s[j])
                den += w
                num += w * (1.0 if s[i] > s[j] else 0.5 if s[i] == s[j] else 0.0)
    assert expected_auc(s) == pytest.approx(num / den, rel=1e-12)


def test_expected_counts_by_hand():
    # predicted positive: 0.9, 0.6 (TP 1.5, FP 0.5); negative: 0.2, 0.1 (FN 0.3, TN 1.7)
    acc, prec, rec, _ = estimate([0.9, 0.6, 0.2, 0.1], 0.5, 0.95)
    assert acc.value == pytest.approx((0.9 + 0.6 + 0.8 + 0.9) / 4)
    assert prec.value == pytest.approx(1.5 / 2.0)
    assert rec.value == pytest.approx(1.5 / 1.8)


def test_cbpe_interval_covers_the_true_accuracy():
    """Labels drawn from calibrated scores (200 rows): the realised accuracy falls inside the
    stated 95% interval in at least 95% of trials, and AUC and precision are unbiased.

    2,000 seeded trials, not 200: a 95% interval covers 190 of 200 only about half the time
    (seeds 0-199 give 187, 93.5%), so 200 trials cannot tell a good interval from a bad one."""
    hits, auc_gap, prec_gap = 0, [], []
    for seed in range(2000):
        rng = np.random.default_rng(seed)
        scores = rng.beta(2.0, 5.0, 200)
        y = rng.random(200) < scores
        acc, prec, _, auc = estimate(scores, 0.5, 0.95)
        assert acc.low is not None and acc.high is not None
        hits += acc.low <= float(np.mean((scores >= 0.5) == y)) <= acc.high
        if seed < 200:
            auc_gap.append((auc.value or 0.0) - roc_auc_score(y, scores))
            pred = scores >= 0.5
            prec_gap.append((prec.value or 0.0) - float(np.mean(y[pred])))
    assert 0.95 <= hits / 2000 <= 0.975
    assert abs(np.mean(auc_gap)) < 0.01
    assert abs(np.mean(prec_gap)) < 0.02


def test_miscalibrated_scores_are_what_the_assumption_warns_about():
    rng = np.random.default_rng(1)
    scores = rng.beta(2.0, 5.0, 5000)
    y = rng.random(5000) < scores**2  # true probability is s², not s
    acc = estimate(scores, 0.5, 0.95)[0]
    true = float(np.mean((scores >= 0.5) == y))
    assert not (acc.low or 0.0) <= true <= (acc.high or 1.0)


def test_result_keeps_estimate_and_measured_value():
    import pyarrow as pa

    from tests.monitoring.flat import compute_result

    rng = np.random.default_rng(3)
    scores = rng.beta(2.0, 5.0, 3000)
    y = (rng.random(3000) < scores).astype(np.int64)
    t = pa.table({"score": scores, "y": y})
    labelled = compute_result(t, t, model="m", window="w", features=[], predictions="score",
                              labels="y")
    est = {e.name: e for e in labelled.estimated_performance}
    measured = {m.name: m.value for m in labelled.performance if m.segment is None}
    assert est["accuracy"].measured == measured["accuracy"]
    assert est["accuracy"].ci_low <= measured["accuracy"] <= est["accuracy"].ci_high
    assert "calibrated" in (labelled.estimation_method or "")
    unlabelled = compute_result(t, t, model="m", window="w", features=[], predictions="score")
    assert unlabelled.performance == []
    assert [e.measured for e in unlabelled.estimated_performance] == [None] * 4
    binary = pa.table({"pred": (scores >= 0.5).astype(np.int64)})
    none = compute_result(binary, binary, model="m", window="w", features=[], predictions="pred")
    assert none.estimated_performance == []  # a 0/1 class carries no probability
