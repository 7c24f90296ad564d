"""PSI with its noise (finding 3): expected value with no drift, significance, the corrected
value the bands use, and the seed's closed-bin variant."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats

from govkit.monitoring import numeric as nm
from govkit.monitoring import psi
from govkit.monitoring.engine import build_reference_profile
from govkit.schemas.rules import Rules
from govkit.schemas.severity import SEVERITY_RANK
from tests.monitoring.flat import compute_result


def seed_calculate_psi(expected, actual, buckets=10):
    """The chapter's function, verbatim."""
    breakpoints = np.percentile(expected, np.linspace(0, 100, buckets + 1))
    expected_percents = np.histogram(expected, breakpoints)[0] / len(expected)
    actual_percents = np.histogram(actual, breakpoints)[0] / len(actual)
    expected_percents = np.maximum(expected_percents, 0.001)
    actual_percents = np.maximum(actual_percents, 0.001)
    return np.sum((actual_percents - expected_percents) * np.log(actual_percents / expected_percents))


def test_expected_and_p_value_by_hand():
    assert psi.expected_no_drift(160, 160, 10) == pytest.approx(9 * 2 / 160)  # 0.1125
    assert psi.noise_p_value(0.2, 160, 160, 10) == pytest.approx(stats.chi2.sf(0.2 * 80, 9))
    res = psi.psi([50, 50], [30, 70], 0.001)
    value = (0.3 - 0.5) * np.log(0.3 / 0.5) + (0.7 - 0.5) * np.log(0.7 / 0.5)
    assert res.value == pytest.approx(value, rel=1e-12)
    assert res.expected == pytest.approx(1 / 100 + 1 / 100)
    assert res.corrected == pytest.approx(value - 0.02)
    assert res.p_value == pytest.approx(stats.chi2.sf(value * 50, 1))


def test_no_drift_psi_matches_its_expectation_and_p_values_are_calibrated():
    """400 seeded pairs of 160-row windows from one distribution, 10 quantile bins."""
    rng = np.random.default_rng(42)
    values, small = [], 0
    for _ in range(400):
        ref = nm.sorted_finite(rng.normal(size=160))
        cur = nm.sorted_finite(rng.normal(size=160))
        edges = nm.psi_edges(ref, 10)
        res = psi.psi(nm.bin_counts_sorted(ref, edges), nm.bin_counts_sorted(cur, edges), 0.001)
        values.append(res.value)
        small += res.p_value < 0.05
    assert np.mean(values) == pytest.approx(psi.expected_no_drift(160, 160, 10), rel=0.1)
    assert np.mean(np.asarray(values) >= 0.1) > 0.4  # the raw seed bands cry wolf
    assert 0.02 <= small / 400 <= 0.09


def test_seed_variant_equals_the_chapters_function():
    rng = np.random.default_rng(3)
    ref = rng.normal(0, 1, 2000)
    cur = rng.normal(0.4, 1.3, 1500)  # many values outside the reference range
    edges = nm.psi_edges(nm.sorted_finite(ref), 10)
    cur_sorted = nm.sorted_finite(cur)
    below = int(np.sum(cur < ref.min()))
    above = int(np.sum(cur > ref.max()))
    assert below + above > 0
    res = psi.seed_closed_psi(nm.bin_counts_sorted(nm.sorted_finite(ref), edges),
                              nm.bin_counts_sorted(cur_sorted, edges), below, above, 0.001)
    assert res.value == pytest.approx(seed_calculate_psi(ref, cur), rel=1e-12)
    rules = Rules(psi_variant="seed")
    t_ref, t_cur = pa.table({"x": ref}), pa.table({"x": cur})
    for reference in (t_ref, build_reference_profile(t_ref, rules=rules)):
        result = compute_result(reference, t_cur, model="m", window="w", rules=rules)
        (f,) = [f for f in result.features if f.test == "psi"]
        assert f.statistic == pytest.approx(seed_calculate_psi(ref, cur), rel=1e-12)
        assert f.detail["variant"] == "seed"


def _window(rng: np.random.Generator, n: int, shift: float = 0.0) -> pa.Table:
    cols = {f"f{i:02d}": rng.normal(0.0, 1.0, n) for i in range(26)}
    cols["shifted"] = rng.normal(shift, 1.0, n)
    cols["plan"] = rng.choice(["basic", "standard", "premium"], n, p=[0.5, 0.35, 0.15])
    cols["device"] = rng.choice(["ios", "android", "web"], n)
    y = rng.random(n) < 0.3
    cols["y"] = y.astype(np.int64)
    cols["score"] = 1 / (1 + np.exp(-(2.0 * y + rng.normal(size=n) - 1.0)))
    return pa.table(cols)


def test_no_drift_window_at_n160_raises_nothing_above_info():
    """Finding 3's setting: 29 unshifted features, ~160 rows per window."""
    rng = np.random.default_rng(160)
    ref, cur = _window(rng, 160), _window(rng, 160)
    kw = {"model": "m", "window": "w", "predictions": "score", "labels": "y",
          "baseline": {"roc_auc": 0.83}, "rules": Rules(min_samples=100)}
    res = compute_result(ref, cur, **kw)
    levels = [f.severity for f in (*res.features, *res.prediction_drift)]
    levels += [m.severity for m in res.performance]
    assert all(SEVERITY_RANK[s] >= SEVERITY_RANK["info"] for s in levels), res.max_severity
    assert res.drifted_features == []
    alone = compute_result(ref, cur, **{**kw, "rules": Rules(multiple_testing="none")})
    assert alone.max_severity == "P4"  # one of ~60 tests at p < 0.01 by chance: corrected away
    seed = compute_result(ref, cur, **{**kw, "rules": Rules(psi_variant="seed")})
    moderate = [f for f in seed.features if f.detail.get("level") == "moderate"]
    assert len(moderate) >= 5  # the raw bands flag noise as slight shifts (P4)


def test_a_real_shift_at_n160_is_still_caught():
    rng = np.random.default_rng(161)
    res = compute_result(_window(rng, 160), _window(rng, 160, shift=1.0), model="m", window="w")
    (f,) = [f for f in res.features if f.feature == "shifted" and f.test == "psi"]
    assert f.detail["level"] == "significant" and f.status == "drift"
    assert f.p_value is not None and f.p_value < 1e-6
    assert "shifted" in res.drifted_features
