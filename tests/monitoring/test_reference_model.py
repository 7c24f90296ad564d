"""Reference-model comparison: production scores against a reference model on the same rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from scipy import stats

from govkit.monitoring.engine import build_reference_profile
from govkit.monitoring.reference_model import compare
from govkit.schemas.rules import Rules
from tests.monitoring.flat import compute_result


def test_numbers_by_hand():
    prod = np.array([0.9, 0.2, 0.6, 0.4, np.nan])
    ref = np.array([0.8, 0.3, 0.4, 0.1, 0.5])
    got = {f.test: f for f in compare(prod, ref, "p", "r", Rules(min_samples=1))}
    assert got["agreement"].statistic == pytest.approx(3 / 4)  # 0.6 vs 0.4 disagree
    assert got["rank_correlation"].statistic == pytest.approx(
        stats.spearmanr([0.9, 0.2, 0.6, 0.4], [0.8, 0.3, 0.4, 0.1]).statistic)
    assert got["mean_abs_difference"].statistic == pytest.approx((0.1 + 0.1 + 0.2 + 0.3) / 4)
    assert got["agreement"].status == "drift"  # 0.75 < 0.9
    assert got["mean_abs_difference"].status == "drift"  # 0.175 > 0.1
    assert got["agreement"].detail["rows"] == 4


def _window(seed: int, noise: float) -> pa.Table:
    rng = np.random.default_rng(seed)
    logit = rng.normal(size=2000)
    prod = 1 / (1 + np.exp(-logit))
    ref = 1 / (1 + np.exp(-(logit + rng.normal(0, noise, 2000))))
    return pa.table({"x": rng.normal(size=2000), "score": prod, "ref_score": ref})


@pytest.mark.parametrize("profile", [False, True])
def test_divergent_reference_alerts_and_a_close_one_does_not(profile: bool):
    base = _window(1, 0.05)
    reference = build_reference_profile(base, predictions="score") if profile else base
    close = compute_result(reference, _window(2, 0.05), model="m", window="w",
                           predictions="score", reference_predictions="ref_score")
    tests = {f.test: f for f in close.prediction_drift if f.kind == "reference_model"}
    assert set(tests) == {"agreement", "rank_correlation", "mean_abs_difference"}
    assert {f.status for f in tests.values()} == {"ok"}
    assert "ref_score" not in {f.feature for f in close.features}  # a role, not a feature
    far = compute_result(reference, _window(3, 2.0), model="m", window="w",
                         predictions="score", reference_predictions="ref_score")
    tests = {f.test: f for f in far.prediction_drift if f.kind == "reference_model"}
    assert tests["rank_correlation"].status == "drift"
    assert tests["agreement"].severity == "P3"
