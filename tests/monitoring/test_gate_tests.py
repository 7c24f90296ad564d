"""The gate's choice of paired test per metric kind, and its metrics against sklearn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from govkit.monitoring import gate_tests as gt


def _data(seed: int, n: int = 600) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.35).astype(float)
    serv_score = np.clip(0.35 + 0.4 * (y - 0.35) + rng.normal(0, 0.2, n), 0.0, 1.0)
    cand_score = np.clip(serv_score + rng.normal(0, 0.1, n), 0.0, 1.0)
    return y, cand_score, serv_score, (cand_score > 0.5).astype(float), \
        (serv_score > 0.5).astype(float)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_metrics_match_sklearn(seed: int) -> None:
    y, cs, _, cp, _ = _data(seed)
    assert gt.precision(y, cp) == pytest.approx(skm.precision_score(y, cp))
    assert gt.recall(y, cp) == pytest.approx(skm.recall_score(y, cp))
    assert gt.f1(y, cp) == pytest.approx(skm.f1_score(y, cp))
    assert gt.log_loss(y, cs) == pytest.approx(skm.log_loss(y, cs), rel=1e-9)


def test_undefined_metrics_are_nan_not_errors() -> None:
    y = np.array([0.0, 0.0, 1.0])
    assert np.isnan(gt.precision(y, np.zeros(3)))
    assert np.isnan(gt.recall(np.zeros(3), np.ones(3)))
    assert np.isnan(gt.f1(np.zeros(3), np.zeros(3)))


@pytest.mark.parametrize(("kind", "test"), [
    ("accuracy", "exact McNemar"), ("error_rate", "exact McNemar"), ("roc_auc", "DeLong"),
    ("precision", "paired bootstrap"), ("recall", "paired bootstrap"),
    ("f1", "paired bootstrap"), ("log_loss", "paired bootstrap"),
])
def test_each_kind_gets_its_test(kind: str, test: str) -> None:
    y, cs, ss, cp, sp = _data(4)
    cand, serv = (cs, ss) if kind in gt.SCORE_KINDS else (cp, sp)
    r = gt.paired_metric_test(kind, y, cand, serv, resamples=200)
    assert r.test == test
    assert r.n == 600 and 0.0 <= r.p_value <= 1.0
    if kind == "roc_auc":
        assert r.estimate == pytest.approx(skm.roc_auc_score(y, cs) - skm.roc_auc_score(y, ss))
    if kind == "log_loss":
        assert r.estimate == pytest.approx(skm.log_loss(y, cs) - skm.log_loss(y, ss))


def test_error_rate_reports_the_difference_in_errors() -> None:
    y = np.ones(100)
    serv = np.ones(100)
    cand = np.ones(100)
    cand[:10] = 0  # ten new errors
    acc = gt.paired_metric_test("accuracy", y, cand, serv)
    err = gt.paired_metric_test("error_rate", y, cand, serv)
    assert acc.estimate == pytest.approx(-0.1) and err.estimate == pytest.approx(0.1)
    assert acc.p_value == err.p_value == pytest.approx(2.0 ** -10)


def test_text_labels_work_for_accuracy() -> None:
    y = np.array(["yes", "no", "no", "yes"])
    r = gt.paired_metric_test("accuracy", y, np.array(["yes", "no", "yes", "yes"]), y)
    assert (r.estimate, r.statistic) == (-0.25, 1.0)


def test_refusals() -> None:
    y, cs, ss, _, _ = _data(5)
    with pytest.raises(ValueError, match="no paired test for metric kind 'mape'"):
        gt.paired_metric_test("mape", y, cs, ss)
    with pytest.raises(ValueError, match="candidate must be 0/1 labels"):
        gt.paired_metric_test("precision", y, cs, ss)
    with pytest.raises(ValueError, match="probabilities"):
        gt.paired_metric_test("log_loss", y, cs * 2, ss)


def test_metric_value_matches_sklearn() -> None:
    from sklearn.metrics import accuracy_score, f1_score, log_loss, roc_auc_score

    from govkit.monitoring.gate_tests import metric_value

    rng = np.random.default_rng(5)
    y = (rng.random(300) < 0.3).astype(float)
    score = np.clip(y * 0.3 + rng.random(300) * 0.7, 0.0, 1.0)
    pred = (score >= 0.5).astype(float)
    assert metric_value("accuracy", y, pred) == pytest.approx(accuracy_score(y, pred))
    assert metric_value("error_rate", y, pred) == pytest.approx(1 - accuracy_score(y, pred))
    assert metric_value("roc_auc", y, score) == pytest.approx(roc_auc_score(y, score))
    assert metric_value("f1", y, pred) == pytest.approx(f1_score(y, pred))
    assert metric_value("log_loss", y, score) == pytest.approx(log_loss(y, score))
    with pytest.raises(ValueError, match="one class only"):
        metric_value("roc_auc", np.zeros(5), score[:5])
