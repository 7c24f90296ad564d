"""Performance estimated without labels (confidence-based performance estimation, CBPE).

If the scores are calibrated (a row scored s is positive with probability s), every metric has
an expected value given the scores alone: a row predicted positive (s >= threshold) is a true
positive with probability s and a false positive with 1 - s; a row predicted negative is a
false negative with probability s and a true negative with 1 - s. The assumption is the whole
method: with miscalibrated scores the estimate is wrong, so pages show it as "estimated"
until labels arrive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

ASSUMPTION = ("Estimated from the scores alone, assuming they are calibrated (a row scored s "
              "is positive with probability s); replaced by the measured value once labels "
              "arrive")


@dataclass(frozen=True)
class Estimate:
    name: str
    value: float | None
    low: float | None = None
    high: float | None = None


def _ratio(num: float, den: float) -> float | None:
    return num / den if den > 0 else None


def expected_auc(scores: npt.NDArray[np.float64]) -> float | None:
    """E[AUC] under calibration: pairs weighted by P(i positive, j negative) = s_i (1 - s_j),
    counted 1 when s_i > s_j and 1/2 when tied (ties within a row's own pair excluded)."""
    s = np.sort(scores)
    neg = 1.0 - s
    total = s.sum() * neg.sum() - float(np.dot(s, neg))  # all ordered pairs i != j
    if total <= 0:
        return None
    uniq, start = np.unique(s, return_index=True)
    counts = np.diff(np.append(start, s.shape[0]))
    neg_before = np.concatenate(([0.0], np.cumsum(neg)))[start]  # negatives strictly below
    tie_neg = np.add.reduceat(neg, start)
    tie_pos = np.add.reduceat(s, start)
    tie_pairs = tie_pos * tie_neg - uniq * (1.0 - uniq) * counts  # pairs within a tie, i != j
    wins = float(np.sum(tie_pos * neg_before) + 0.5 * np.sum(tie_pairs))
    return wins / total


def estimate(scores: npt.ArrayLike, threshold: float, confidence: float) -> list[Estimate]:
    """Expected accuracy (with an interval for the accuracy the labels will show), precision,
    recall and ROC AUC of calibrated scores."""
    s = np.asarray(scores, dtype=np.float64)
    s = s[~np.isnan(s)]
    n = s.shape[0]
    if n == 0:
        return [Estimate(m, None) for m in ("accuracy", "precision", "recall", "roc_auc")]
    pred = s >= threshold
    correct = np.where(pred, s, 1.0 - s)  # P(row is classified correctly)
    tp, fp = float(s[pred].sum()), float((1.0 - s[pred]).sum())
    fn = float(s[~pred].sum())
    acc = float(correct.mean())
    # the realised accuracy is a mean of independent Bernoulli(correct_i): Poisson-binomial,
    # normal interval with a continuity correction of 1/(2n) (it lives on a lattice of 1/n)
    se = math.sqrt(float(np.sum(correct * (1.0 - correct)))) / n
    half = float(stats.norm.ppf(0.5 + confidence / 2.0)) * se + 0.5 / n
    return [
        Estimate("accuracy", acc, max(0.0, acc - half), min(1.0, acc + half)),
        Estimate("precision", _ratio(tp, tp + fp)),
        Estimate("recall", _ratio(tp, tp + fn)),
        Estimate("roc_auc", expected_auc(s)),
    ]
