import json

import numpy as np
import pyarrow as pa
import pytest

from govkit.monitoring.engine import detect_feature_kinds
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.rules import FeatureRule, Rules, SeverityConfig
from tests.monitoring.flat import compute_result

from .conftest import make_window

KW = {"model": "churn", "window": "2024-W23", "predictions": "score", "labels": "y"}


def by(result: MonitoringResult, feature: str, test: str):
    (f,) = [f for f in result.features if f.feature == feature and f.test == test]
    return f


def test_detect_kinds(windows):
    kinds = detect_feature_kinds(windows[0], exclude=["y", "score", "seg"])
    assert {k: v.value for k, v in kinds.items()} == {
        "x": "numeric",
        "k": "numeric",
        "c": "categorical",
        "t": "text",
        "e": "embedding",
    }
    hi = pa.table({"h": [f"id{i}" for i in range(200)]})
    assert detect_feature_kinds(hi)["h"].value == "high_cardinality"


def test_full_result(windows):
    ref, cur = windows
    res = compute_result(ref, cur, segments=["seg"], baseline={"accuracy": 0.8}, **KW)
    assert by(res, "x", "ks").status == "drift"
    assert by(res, "x", "ks").severity == "P3"
    assert by(res, "x", "z_score").status == "ok"  # 0.3 sigma < 3
    new = by(res, "c", "new_categories")
    assert new.detail["unseen_categories"] == ["zz"]
    assert new.severity == "info"
    assert by(res, "e", "cosine_distance").statistic > 0
    assert by(res, "t", "oov_rate").statistic == 0.0
    assert {f.test for f in res.prediction_drift} == {"ks", "psi"}
    assert {(m.name, m.segment) for m in res.performance} >= {
        ("accuracy", None),
        ("accuracy", "seg=new"),
    }
    assert res.drifted_features == ["c", "x"]  # c: chi-square sees the 5% new category
    assert "t" not in res.drifted_features
    assert "outer bins open" in res.psi_method
    text = res.to_json()
    assert (
        text
        == compute_result(ref, cur, segments=["seg"], baseline={"accuracy": 0.8}, **KW).to_json()
    )
    assert json.loads(text)["window"] == "2024-W23"


def test_new_users_segment_fails_while_aggregate_passes():
    """Seed case: overall accuracy fine, the 'New Users' segment at 70% vs an 85% baseline."""
    rng = np.random.default_rng(7)
    n_old, n_new = 9000, 1000
    y = rng.integers(0, 2, n_old + n_new)
    correct = np.concatenate([rng.random(n_old) < 0.87, rng.random(n_new) < 0.70])
    score = np.where(correct == (y == 1), 0.9, 0.1)
    seg = ["returning"] * n_old + ["new_users"] * n_new
    cur = pa.table({"score": score, "y": y, "seg": seg})
    res = compute_result(cur, cur, features=[], segments=["seg"], baseline={"accuracy": 0.85}, **KW)
    acc = {m.segment: m for m in res.performance if m.name == "accuracy"}
    assert acc[None].status == "pass"
    assert acc["seg=new_users"].status == "degraded"
    assert acc["seg=new_users"].relative_drop == pytest.approx(0.18, abs=0.05)
    assert acc["seg=new_users"].severity == "P1"
    assert res.recommended_action.action == "consider rollback to previous version"
    assert res.recommended_action.basis == "accuracy (segment seg=new_users)"


def test_small_window_decides_from_its_interval_not_a_row_minimum():
    """60 rows are enough to show a large drop; drift tests keep their min_samples rule."""
    ref = make_window(500, 1)
    cur = make_window(60, 2, shift=2.0)
    res = compute_result(ref, cur, baseline={"accuracy": 0.99}, **KW)
    (acc,) = [m for m in res.performance if m.name == "accuracy"]
    assert acc.sample_size == 60 and acc.value is not None and acc.value < 0.9
    assert acc.status == "degraded" and acc.p_adjusted is not None and acc.p_adjusted < 1e-6
    assert acc.ci_low is not None and acc.ci_high is not None and acc.ci_high < 0.99
    assert {m.status for m in res.performance if m.name != "accuracy"} == {"no_baseline"}
    assert by(res, "x", "ks").status == "insufficient_data"
    assert res.recommended_action.action == "consider rollback to previous version"


def test_large_sample_rule_requires_effect_size():
    rng = np.random.default_rng(11)
    ref = pa.table({"x": rng.normal(0, 1, 1_000_000)})
    cur = pa.table({"x": rng.normal(0.02, 1, 1_000_000)})
    plain = compute_result(ref, cur, model="m", window="w")
    ks = by(plain, "x", "ks")
    assert ks.p_value < 0.01 and ks.status == "drift"
    strict = compute_result(
        ref,
        cur,
        model="m",
        window="w",
        rules=Rules(features={"x": FeatureRule(require_effect_size=True)}),
    )
    ks2 = by(strict, "x", "ks")
    assert ks2.p_value < 0.01 and ks2.effect_size < 0.1
    assert ks2.status == "ok" and ks2.severity == "none"
    assert ks2.thresholds == {"p_value": 0.01, "min_ks_statistic": 0.1}


def test_overrides_and_severity_config(windows):
    ref, cur = windows
    rules = Rules(
        features={
            "x": FeatureRule(ks_p_value=1e-300, psi=5.0),
            "c": FeatureRule(kind="categorical"),
        },
        severity=SeverityConfig(new_categories="P4"),
    )
    res = compute_result(ref, cur, rules=rules, **KW)
    assert by(res, "x", "ks").status == "ok"
    assert by(res, "x", "psi").thresholds["psi"] == 5.0
    assert by(res, "c", "new_categories").severity == "P4"


def test_moderate_psi_is_p4():
    rng = np.random.default_rng(3)
    ref = pa.table({"x": rng.normal(0, 1, 5000)})
    cur = pa.table({"x": rng.normal(0.35, 1, 5000)})
    psi = by(compute_result(ref, cur, model="m", window="w"), "x", "psi")
    assert 0.1 <= psi.statistic < 0.2
    assert psi.status == "ok" and psi.severity == "P4"


def test_result_json_keeps_full_precision(windows):
    """Finding 8: the file holds the floats the statistics computed, not 6 digits of them."""
    ref, cur = windows
    res = compute_result(ref, cur, segments=["seg"], baseline={"accuracy": 0.8}, **KW)
    back = MonitoringResult.model_validate_json(res.to_json())
    assert back == res
    ks = by(res, "x", "ks")
    (written,) = [f for f in json.loads(res.to_json())["features"]
                  if f["feature"] == "x" and f["test"] == "ks"]
    assert written["p_value"] == ks.p_value and written["statistic"] == ks.statistic
    assert any(len(repr(f.statistic)) > 10 for f in res.features if f.statistic)
