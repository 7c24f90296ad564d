"""Binary classification metrics, confusion counts and the seed's runbook bands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

METRICS = ("accuracy", "precision", "recall", "roc_auc")
PROPORTIONS = ("accuracy", "precision", "recall")

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


@dataclass(frozen=True)
class Confusion:
    """Confusion counts at the decision threshold."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def successes_and_trials(self, metric: str) -> tuple[int, int]:
        """A proportion metric as (successes, trials): trials are its denominator."""
        if metric == "accuracy":
            return self.tp + self.tn, self.n
        if metric == "precision":
            return self.tp, self.tp + self.fp
        if metric == "recall":
            return self.tp, self.tp + self.fn
        raise ValueError(f"{metric} is not a proportion")


def confusion(y_true: npt.NDArray[np.bool_], scores: npt.ArrayLike, threshold: float) -> Confusion:
    pred = np.asarray(scores, dtype=np.float64) >= threshold
    tp = int(np.sum(pred & y_true))
    fp = int(np.sum(pred & ~y_true))
    fn = int(np.sum(~pred & y_true))
    return Confusion(tp, fp, fn, int(y_true.shape[0]) - tp - fp - fn)


def proportion_metrics(c: Confusion) -> dict[str, float | None]:
    """Accuracy, precision and recall from confusion counts (None where undefined)."""
    out: dict[str, float | None] = {}
    for name in PROPORTIONS:
        k, n = c.successes_and_trials(name)
        out[name] = k / n if n else None
    return out


def classification_metrics(
    y_true: npt.NDArray[np.bool_], scores: npt.ArrayLike, threshold: float = 0.5
) -> dict[str, float | None]:
    """Accuracy, precision, recall (predicted positive = score >= threshold) and ROC AUC.

    An undefined metric (no predicted positives for precision, no positives for recall and
    AUC, an empty sample) is ``None``.
    """
    if int(y_true.shape[0]) == 0:
        return dict.fromkeys(METRICS)
    out = proportion_metrics(confusion(y_true, scores, threshold))
    out["roc_auc"] = roc_auc(y_true, np.asarray(scores, dtype=np.float64))
    return out


def relative_drop(baseline: float, current: float) -> float:
    """Seed rule: (baseline - current) / baseline (positive = worse, for higher-is-better)."""
    if baseline <= 0:
        raise ValueError(f"baseline must be positive, got {baseline}")
    return (baseline - current) / baseline


def recommended_action(worst_drop: float | None, degrade: float, rollback: float) -> str:
    """Runbook bands (seed: <= 5% continue, 5-10% prepare rollback, > 10% consider rollback)."""
    if worst_drop is None or worst_drop <= degrade:
        return CONTINUE
    if worst_drop <= rollback:
        return PREPARE
    return ROLLBACK
