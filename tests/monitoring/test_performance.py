import numpy as np
import pytest
from sklearn import metrics as skm

from govkit.monitoring import performance as perf


def test_metrics_match_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    scores = np.round(np.clip(y * 0.3 + rng.normal(0.4, 0.25, 500), 0, 1), 2)  # ties
    m = perf.classification_metrics(perf.binary_labels(y), scores, 0.5)
    pred = scores >= 0.5
    assert m["accuracy"] == pytest.approx(skm.accuracy_score(y, pred))
    assert m["precision"] == pytest.approx(skm.precision_score(y, pred))
    assert m["recall"] == pytest.approx(skm.recall_score(y, pred))
    assert m["roc_auc"] == pytest.approx(skm.roc_auc_score(y, scores), rel=1e-12)


def test_auc_hand_computed():
    y = perf.binary_labels([0, 0, 1, 1])
    # pairs (pos, neg): (0.35>0.1) (0.35<0.4) (0.8>0.1) (0.8>0.4) -> 3/4
    assert perf.roc_auc(y, [0.1, 0.4, 0.35, 0.8]) == 0.75
    assert perf.roc_auc(perf.binary_labels([1, 1]), [0.1, 0.2]) is None


def test_undefined_metrics_are_none():
    m = perf.classification_metrics(perf.binary_labels([0, 1]), [0.1, 0.2])
    assert m["precision"] is None
    assert m["recall"] == 0.0


@pytest.mark.parametrize("labels", [[0, 1, 2], ["a", "b"], [1, 2, 1]])
def test_non_binary_labels(labels):
    with pytest.raises(perf.LabelError):
        perf.binary_labels(labels)


def test_relative_drop_rule_and_bands():
    assert perf.relative_drop(0.9, 0.855) == pytest.approx(0.05)
    assert perf.recommended_action(0.03, 0.05, 0.10) == "continue monitoring"
    assert perf.recommended_action(0.07, 0.05, 0.10) == "monitor closely, prepare rollback"
    assert perf.recommended_action(0.15, 0.05, 0.10) == "consider rollback to previous version"


def test_confusion_counts_are_the_metric_denominators():
    y = perf.binary_labels([1, 1, 1, 0, 0, 0, 0])
    c = perf.confusion(y, [0.9, 0.6, 0.2, 0.7, 0.1, 0.1, 0.3], 0.5)
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 1, 1, 3)
    assert c.successes_and_trials("accuracy") == (5, 7)
    assert c.successes_and_trials("precision") == (2, 3)
    assert c.successes_and_trials("recall") == (2, 3)
