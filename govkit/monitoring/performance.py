"""Binary classification metrics and the seed's relative-drop degradation rule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

METRICS = ("accuracy", "precision", "recall", "roc_auc")

CONTINUE = "continue monitoring"
PREPARE = "monitor closely, prepare rollback"
ROLLBACK = "consider rollback to previous version"


class LabelError(ValueError):
    """Labels are not binary; the engine re-raises it with file and column names."""


def binary_labels(values: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Labels as booleans. Accepts bool or numbers in {0, 1}; anything else is an error."""
    arr = np.asarray(values)
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind not in "iuf":
        raise LabelError(f"labels must be 0/1 or boolean, got dtype {arr.dtype}")
    classes = np.unique(arr)
    if classes.shape[0] > 2:
        shown = ", ".join(str(c) for c in classes[:5])
        raise LabelError(f"labels have {classes.shape[0]} classes ({shown}...); need binary 0/1")
    if not np.isin(classes, [0, 1]).all():
        raise LabelError(f"binary labels must be 0/1, got {classes.tolist()}")
    return arr == 1


def roc_auc(y_true: npt.NDArray[np.bool_], scores: npt.ArrayLike) -> float | None:
    """ROC AUC by the Mann-Whitney rank formula (average ranks for ties); None for one class."""
    s = np.asarray(scores, dtype=np.float64)
    n_pos = int(y_true.sum())
    n_neg = int(y_true.shape[0] - n_pos)
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = stats.rankdata(s)
    u = float(ranks[y_true].sum()) - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)


def classification_metrics(
    y_true: npt.NDArray[np.bool_], scores: npt.ArrayLike, threshold: float = 0.5
) -> dict[str, float | None]:
    """Accuracy, precision, recall (predicted positive = score >= threshold) and ROC AUC.

    An undefined metric (no predicted positives for precision, no positives for recall and
    AUC, an empty sample) is ``None``.
    """
    s = np.asarray(scores, dtype=np.float64)
    n = int(y_true.shape[0])
    if n == 0:
        return dict.fromkeys(METRICS)
    pred = s >= threshold
    tp = int(np.sum(pred & y_true))
    fp = int(np.sum(pred & ~y_true))
    fn = int(np.sum(~pred & y_true))
    tn = n - tp - fp - fn
    return {
        "accuracy": (tp + tn) / n,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
        "roc_auc": roc_auc(y_true, s),
    }


def relative_drop(baseline: float, current: float) -> float:
    """Seed rule: (baseline - current) / baseline (positive = worse, for higher-is-better)."""
    if baseline <= 0:
        raise ValueError(f"baseline must be positive, got {baseline}")
    return (baseline - current) / baseline


@dataclass(frozen=True)
class MetricCheck:
    status: str  # pass | degraded | insufficient_data
    relative_drop: float | None


def check_metric(
    value: float | None,
    sample_size: int,
    baseline: float | None,
    *,
    min_samples: int,
    max_drop: float,
) -> MetricCheck:
    """Below ``min_samples`` (or undefined) a metric is never pass or fail."""
    if value is None or sample_size < min_samples:
        return MetricCheck("insufficient_data", None)
    if baseline is None:
        return MetricCheck("pass", None)
    drop = relative_drop(baseline, value)
    return MetricCheck("degraded" if drop > max_drop else "pass", drop)


def recommended_action(worst_drop: float | None, degrade: float, rollback: float) -> str:
    """Runbook bands (seed: <= 5% continue, 5-10% prepare rollback, > 10% consider rollback)."""
    if worst_drop is None or worst_drop <= degrade:
        return CONTINUE
    if worst_drop <= rollback:
        return PREPARE
    return ROLLBACK
