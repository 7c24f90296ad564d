import math

import numpy as np
import pytest
from scipy import stats

from govkit.monitoring import numeric as nm


def seed_psi(expected, actual, buckets=10):
    """The seed chapter's function, verbatim apart from the return."""
    breakpoints = np.percentile(expected, np.linspace(0, 100, buckets + 1))
    expected_percents = np.histogram(expected, breakpoints)[0] / len(expected)
    actual_percents = np.histogram(actual, breakpoints)[0] / len(actual)
    expected_percents = np.maximum(expected_percents, 0.001)
    actual_percents = np.maximum(actual_percents, 0.001)
    return np.sum(
        (actual_percents - expected_percents) * np.log(actual_percents / expected_percents)
    )


def test_psi_hand_computed_with_values_outside_reference_range():
    ref = np.arange(10.0)  # median edge 4.5 -> bins (-inf, 4.5), [4.5, inf): 0.5 / 0.5
    cur = np.array([0, 1, 2, 5, 6, 7, 8, 9, 10, 11.0])  # 3 low, 7 high (10, 11 kept)
    # (0.3 - 0.5) ln(0.3 / 0.5) + (0.7 - 0.5) ln(0.7 / 0.5)
    expected = 0.2 * math.log(0.5 / 0.3) + 0.2 * math.log(0.7 / 0.5)
    assert expected == pytest.approx(0.16945957, abs=1e-8)
    assert nm.psi(ref, cur, bins=2) == pytest.approx(expected, rel=1e-12)


def test_psi_empty_bin_uses_floor():
    ref = np.arange(10.0)
    cur = np.array([0, 1, 2, 3, 4.0])
    # (1 - 0.5) ln(1 / 0.5) + (0.001 - 0.5) ln(0.001 / 0.5)
    expected = 0.5 * math.log(2.0) + (0.001 - 0.5) * math.log(0.001 / 0.5)
    assert expected == pytest.approx(3.4476630, abs=1e-6)
    assert nm.psi(ref, cur, bins=2) == pytest.approx(expected, rel=1e-12)


def test_psi_ties_collapse_edges():
    ref = np.array([0, 0, 0, 0, 0, 0, 1, 2, 3, 4.0])
    edges = nm.quantile_edges(np.sort(ref), bins=10)
    np.testing.assert_allclose(edges, [0.0, 0.4, 1.3, 2.2, 3.1])
    assert nm.bin_counts_sorted(np.sort(ref), edges).tolist() == [0, 6, 1, 1, 1, 1]
    assert nm.bin_counts(ref, edges).tolist() == [0, 6, 1, 1, 1, 1]
    # five values in ten rows is low-cardinality: PSI bins are the values (issue 23, item 12)
    assert nm.bin_counts(ref, nm.psi_edges(np.sort(ref), bins=10)).tolist() == [
        0, 6, 0, 1, 0, 1, 0, 1, 0, 1, 0]


def test_psi_agrees_with_seed_inside_reference_range():
    rng = np.random.default_rng(1)
    ref = rng.normal(size=5000)
    cur = np.clip(rng.normal(0.3, 1.2, size=3000), ref.min(), ref.max())
    assert nm.psi(ref, cur) == pytest.approx(float(seed_psi(ref, cur)), rel=1e-12)


def test_seed_drops_out_of_range_values_we_do_not():
    ref = np.arange(100.0)
    cur = np.concatenate([np.arange(100.0), np.full(100, 500.0)])
    # the seed loses the 100 values at 500: its current proportions sum to 0.5
    assert nm.psi(ref, cur) > float(seed_psi(ref, cur))


def test_quantiles_match_numpy_percentile():
    x = np.random.default_rng(2).normal(size=1001)
    q = np.linspace(0, 1, 11)
    np.testing.assert_array_equal(nm.quantiles_from_sorted(np.sort(x), q), np.quantile(x, q))


@pytest.mark.parametrize("n1,n2", [(40, 60), (300, 200), (12_000, 15_001)])
def test_ks_matches_scipy(n1, n2):
    rng = np.random.default_rng(n1)
    a = np.round(rng.normal(size=n1), 2)  # ties
    b = np.round(rng.normal(0.05, 1.1, size=n2), 2)
    ours = nm.ks_2samp(a, b)
    ref = stats.ks_2samp(a, b)  # method="auto": exact <= 10,000, else asymp
    assert ours.statistic == pytest.approx(float(ref.statistic), abs=1e-12)
    assert ours.p_value == pytest.approx(float(ref.pvalue), rel=1e-9, abs=1e-300)
    if n1 > 10_000:  # en = 6,667: kstwo, identical to scipy
        asymp = stats.ks_2samp(a, b, method="asymp")
        assert ours.method == "asymp"
        assert ours.p_value == pytest.approx(float(asymp.pvalue), rel=1e-12)


def test_ks_pvalue_limit_distribution_close_to_scipy_asymp():
    rng = np.random.default_rng(9)
    a = rng.normal(size=120_000)
    b = rng.normal(0.012, 1, size=120_000)  # en = 60,000 > KS_LIMIT_EN
    ours = nm.ks_2samp(a, b)
    ref = stats.ks_2samp(a, b, method="asymp")
    assert ours.method == "asymp-limit"
    assert ours.statistic == pytest.approx(float(ref.statistic), abs=1e-12)
    assert ours.p_value == pytest.approx(float(ref.pvalue), rel=0.02)


def test_ks_statistic_sorted_hand_computed():
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = np.array([3.0, 4.0, 5.0, 6.0])
    # at x = 2: F_a = 0.5, F_b = 0; at x = 4: F_a = 1, F_b = 0.5 -> D = 0.5
    assert nm.ks_statistic_sorted(a, b) == 0.5
    assert nm.ks_statistic_sorted(np.array([1.0, 1.0]), np.array([1.0])) == 0.0


def test_ks_grid_within_bound_of_exact():
    rng = np.random.default_rng(3)
    ref = np.sort(rng.gamma(2.0, size=200_000))
    cur = np.sort(rng.gamma(2.2, size=50_000))
    exact = nm.ks_statistic_sorted(ref, cur)
    for size in (500, 2000, 10_000):
        sketch = nm.quantile_sketch(ref, size)
        le, lt = nm.grid_counts(cur, sketch)
        approx = nm.ks_statistic_grid(sketch, le, lt, cur.shape[0])
        assert abs(approx - exact) <= 1.5 / size + 1e-12


def test_sketch_ecdf_bound():
    ref = np.sort(np.random.default_rng(4).normal(size=100_000))
    sketch = nm.quantile_sketch(ref, 1000)
    probe = np.linspace(-4, 4, 2001)
    f_ref = np.searchsorted(ref, probe, side="right") / ref.shape[0]
    f_sk = np.searchsorted(sketch, probe, side="right") / sketch.shape[0]
    assert np.max(np.abs(f_ref - f_sk)) <= 1 / 2000 + 1e-12


def test_moments_merge_matches_numpy():
    x = np.random.default_rng(5).normal(3, 2, size=1001)
    m = nm.Moments.of(x[:10]).merge(nm.Moments.of(x[10:500])).merge(nm.Moments.of(x[500:]))
    assert m.n == 1001
    assert m.mean == pytest.approx(x.mean(), rel=1e-12)
    assert m.std == pytest.approx(x.std(ddof=1), rel=1e-12)


def test_z_score():
    assert nm.mean_z_score(13.0, 10.0, 1.0) == 3.0
    assert nm.mean_z_score(7.0, 10.0, 2.0) == -1.5
    assert nm.mean_z_score(1.0, 1.0, 0.0) == 0.0
    assert nm.mean_z_score(2.0, 1.0, 0.0) == math.inf


def test_psi_level_bands():
    assert nm.psi_level(0.05) == "none"
    assert nm.psi_level(0.1) == "moderate"
    assert nm.psi_level(0.2) == "significant"
