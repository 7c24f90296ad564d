"""Which paired test a metric calls for, on two versions' predictions for the same rows.

The gate names a metric's kind (accuracy, AUC, ...) and passes aligned arrays; this module
picks the test (paired.py, paired_auc.py) and computes the metric the same way for both.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from govkit.monitoring.paired import GateStat, Metric, paired_accuracy, paired_bootstrap
from govkit.monitoring.paired_auc import delong_paired

LABEL_KINDS = ("accuracy", "error_rate", "precision", "recall", "f1")
SCORE_KINDS = ("roc_auc", "log_loss")
KINDS = LABEL_KINDS + SCORE_KINDS
LOG_LOSS_EPS = float(np.finfo(np.float64).eps)  # sklearn clips to [eps, 1 - eps] too


def _binary(values: npt.ArrayLike, name: str) -> npt.NDArray[np.bool_]:
    a = np.asarray(values)
    if a.ndim != 1 or a.dtype.kind not in "biuf" or not np.isin(a, (0, 1)).all():
        raise ValueError(f"{name} must be 0/1 labels for this metric")
    return a.astype(np.bool_)


def precision(y: npt.NDArray[np.float64], pred: npt.NDArray[np.float64]) -> float:
    called = pred == 1
    return float(np.sum(called & (y == 1)) / np.sum(called)) if called.any() else float("nan")


def recall(y: npt.NDArray[np.float64], pred: npt.NDArray[np.float64]) -> float:
    actual = y == 1
    return float(np.sum(actual & (pred == 1)) / np.sum(actual)) if actual.any() else float("nan")


def f1(y: npt.NDArray[np.float64], pred: npt.NDArray[np.float64]) -> float:
    tp = np.sum((y == 1) & (pred == 1))
    denominator = np.sum(y == 1) + np.sum(pred == 1)
    return float(2.0 * tp / denominator) if denominator else float("nan")


def log_loss(y: npt.NDArray[np.float64], score: npt.NDArray[np.float64]) -> float:
    p = np.clip(score, LOG_LOSS_EPS, 1.0 - LOG_LOSS_EPS)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


_BOOTSTRAPPED: dict[str, tuple[Metric, bool]] = {
    "precision": (precision, True), "recall": (recall, True), "f1": (f1, True),
    "log_loss": (log_loss, False),
}


def paired_metric_test(
    kind: str, target: npt.ArrayLike, candidate: npt.ArrayLike, serving: npt.ArrayLike,
    *, margin: float = 0.0, resamples: int = 2000, seed: int = 0,
) -> GateStat:
    """The gate's paired test of one metric. ``candidate``/``serving`` are predicted labels
    for LABEL_KINDS and scores for SCORE_KINDS, aligned with ``target`` row by row.

    accuracy and error_rate: McNemar / Tango on per-row correctness (error_rate's estimate
    is the difference in error rates); roc_auc: DeLong; the rest: the paired bootstrap.
    """
    if kind not in KINDS:
        raise ValueError(f"no paired test for metric kind {kind!r} (known: {', '.join(KINDS)})")
    if kind in ("accuracy", "error_rate"):
        y, c, s = (np.asarray(v) for v in (target, candidate, serving))
        result = paired_accuracy(c == y, s == y, margin)
        if kind == "error_rate":
            result = dataclasses.replace(result, estimate=-result.estimate)
        return result
    y = _binary(target, "target").astype(np.float64)
    if kind == "roc_auc":
        return delong_paired(y, candidate, serving, margin)
    metric, higher = _BOOTSTRAPPED[kind]
    c = np.asarray(candidate, dtype=np.float64)
    s = np.asarray(serving, dtype=np.float64)
    if kind != "log_loss":
        c, s = (_binary(v, name).astype(np.float64) for v, name in ((c, "candidate"),
                                                                      (s, "serving")))
    elif not (np.all((c >= 0) & (c <= 1)) and np.all((s >= 0) & (s <= 1))):
        raise ValueError("log_loss needs probabilities in [0, 1]")
    return paired_bootstrap(y, c, s, metric, margin=margin, higher_is_better=higher,
                            resamples=resamples, seed=seed, name=kind)


def metric_value(kind: str, target: npt.ArrayLike, values: npt.ArrayLike) -> float:
    """One version's metric on its rows: labels for LABEL_KINDS, scores for SCORE_KINDS."""
    if kind not in KINDS:
        raise ValueError(f"unknown metric kind {kind!r} (known: {', '.join(KINDS)})")
    if kind in ("accuracy", "error_rate"):
        y, v = np.asarray(target), np.asarray(values)
        if y.shape[0] == 0:
            raise ValueError("no rows")
        accuracy = float(np.mean(v == y))
        return accuracy if kind == "accuracy" else 1.0 - accuracy
    y = _binary(target, "target").astype(np.float64)
    if kind == "roc_auc":
        from govkit.monitoring.performance import roc_auc

        auc = roc_auc(y.astype(np.bool_), values)
        if auc is None:
            raise ValueError("one class only: no AUC")
        return auc
    metric = _BOOTSTRAPPED[kind][0]
    v = np.asarray(values, dtype=np.float64)
    return metric(y, v if kind == "log_loss" else _binary(v, "prediction").astype(np.float64))
