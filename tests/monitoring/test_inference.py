"""Known answers for the live-metric statistics: Wilson, exact binomial, DeLong, Holm."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import roc_auc_score

from govkit.monitoring import inference as inf
from govkit.monitoring.performance import binary_labels
from tests.conftest import examples


def test_wilson_matches_the_closed_form():
    k, n, conf = 61, 67, 0.95
    z = stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = inf.wilson(k, n, conf)
    assert (low, high) == pytest.approx((centre - half, centre + half), rel=1e-12)
    assert (low, high) == pytest.approx((0.81807, 0.95831), abs=1e-5)  # the segment


def test_exact_binomial_p_value_is_the_lower_tail():
    k, n, b = 61, 67, 0.963
    tail = sum(math.comb(n, i) * b**i * (1 - b) ** (n - i) for i in range(k + 1))
    result = inf.proportion(k, n, b, 0.95)
    assert result.p_value == pytest.approx(tail, rel=1e-10)
    assert result.p_value == pytest.approx(0.03755, abs=1e-5)
    assert inf.proportion(k, n, None, 0.95).p_value is None


def _pairwise_delong(pos: np.ndarray, neg: np.ndarray) -> tuple[float, float]:
    """DeLong from its definition: the O(m·n) kernel psi(x, y) = 1, 1/2 or 0."""
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    return float(psi.mean()), float(var)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_delong_matches_its_definition_and_sklearn(seed: int):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 300).astype(bool)
    scores = np.round(rng.normal(y * 0.8, 1.0), 1)  # rounded: many ties
    auc, var = inf.delong(y, scores)
    ref_auc, ref_var = _pairwise_delong(scores[y], scores[~y])
    assert auc == pytest.approx(ref_auc, rel=1e-12)
    assert auc == pytest.approx(roc_auc_score(y, scores), rel=1e-12)
    assert var == pytest.approx(ref_var, rel=1e-10)


def test_delong_by_hand():
    # positives 0.8, 0.4; negatives 0.1, 0.4, 0.5. psi rows: (1, 1, 1), (1, .5, 0)
    y = binary_labels([1, 1, 0, 0, 0])
    auc, var = inf.delong(y, [0.8, 0.4, 0.1, 0.4, 0.5])
    assert auc == pytest.approx(4.5 / 6)
    # v10 = (1, 0.5): var 0.125, /2; v01 = (1, 0.75, 0.5): var 0.0625, /3
    assert var == pytest.approx(0.125 / 2 + 0.0625 / 3)
    with pytest.raises(ValueError):
        inf.delong(binary_labels([1, 0, 0]), [0.5, 0.2, 0.1])


def test_hanley_mcneil_by_hand():
    # A = 0.8, 30 positives, 50 negatives: Q1 = 0.8/1.2, Q2 = 1.28/1.8
    q1, q2 = 0.8 / 1.2, 1.28 / 1.8
    var = (0.8 * 0.2 + 29 * (q1 - 0.64) + 49 * (q2 - 0.64)) / 1500
    assert inf.hanley_mcneil_se(0.8, 30, 50) == pytest.approx(math.sqrt(var), rel=1e-12)
    assert inf.hanley_mcneil_se(0.8, 30, 50) == pytest.approx(0.05427, abs=1e-5)


def test_holm_by_hand():
    # sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 -> max(0.06, 0.04)
    assert inf.holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert inf.holm([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert inf.holm([]) == []


@settings(deadline=None, max_examples=examples(60))
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12))
def test_holm_is_between_raw_and_bonferroni(ps: list[float]):
    adjusted = inf.holm(ps)
    for p, a in zip(ps, adjusted, strict=True):
        assert p - 1e-15 <= a <= min(1.0, len(ps) * p) + 1e-15
    order = np.argsort(ps, kind="stable")
    assert all(np.diff(np.asarray(adjusted)[order]) >= -1e-15)  # monotone in p


def test_n_needed_by_hand():
    # exact: the smallest n with P(X <= floor(0.85 n) | n, 0.9) < 0.05, checked by brute force
    need = inf.proportion_n_needed(0.85, 0.9, 0.05, 10)
    tail = [stats.binom.cdf(math.floor(0.85 * n + 1e-9), n, 0.9) for n in range(10, need + 1)]
    assert tail[-1] < 0.05 and tail[-2] >= 0.05
    z = stats.norm.isf(0.05)
    assert need == pytest.approx(z * z * 0.09 / 0.0025, rel=0.35)  # the score-test estimate
    assert inf.proportion_n_needed(0.95, 0.9, 0.05, 10) is None
    assert inf.auc_n_needed(0.8, 0.87, 0.05, 100, 0.05) == math.ceil(100 * (z * 0.05 / 0.07) ** 2)


def test_power_floor_by_hand():
    # P(0 of n correct | 0.9) = 0.1^n: below 0.05 from n = 2
    assert not inf.proportion_can_show_drop(1, 0.9, 0.05)
    assert inf.proportion_can_show_drop(2, 0.9, 0.05)
    assert not inf.auc_can_show_drop(1, 40, 0.87, 0.05)
    assert inf.auc_can_show_drop(2, 2, 0.87, 0.05)


def test_wilson_and_delong_cover_the_truth_about_95_percent():
    """Coverage over 400 seeded samples: accuracy 0.9 at n = 80; binormal AUC Phi(1/sqrt 2)."""
    rng = np.random.default_rng(2024)
    true_auc = float(stats.norm.cdf(1 / math.sqrt(2)))
    hits_p = hits_auc = 0
    for _ in range(400):
        k = int(rng.binomial(80, 0.9))
        low, high = inf.wilson(k, 80, 0.95)
        hits_p += low <= 0.9 <= high
        y = rng.random(300) < 0.3
        scores = rng.normal(y.astype(float), 1.0)
        res = inf.auc_inference(y, scores, None, 0.95)
        hits_auc += res.low <= true_auc <= res.high
    assert 0.91 <= hits_p / 400 <= 0.99
    assert 0.91 <= hits_auc / 400 <= 0.99
