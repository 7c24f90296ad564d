"""Release-gate tests of two AUCs: DeLong on the same rows, Hanley-McNeil when not paired.

Same convention as paired.py: estimate = candidate - serving; H0: the candidate's AUC is no
worse than serving's by more than ``margin``; a small p-value is evidence of a regression.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import stats

from govkit.monitoring.inference import delong_components, hanley_mcneil_se
from govkit.monitoring.paired import GateStat, _margin


def _labels(target: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    y = np.asarray(target)
    if y.ndim != 1 or not np.isin(y, (0, 1)).all():
        raise ValueError("target must be a 1-d vector of 0/1 labels")
    return y.astype(np.bool_)


def delong_paired(
    target: npt.ArrayLike, candidate: npt.ArrayLike, serving: npt.ArrayLike,
    margin: float = 0.0,
) -> GateStat:
    """DeLong, DeLong & Clarke-Pearson (1988) test of two correlated AUCs.

    Both score vectors rank the same rows with the same labels; the variance of the
    difference is var(A1) + var(A2) - 2 cov(A1, A2) from the structural components'
    covariance, S10 / m + S01 / n. Needs two positives and two negatives.
    """
    y = _labels(target)
    scores = [np.asarray(s, dtype=np.float64) for s in (candidate, serving)]
    if any(s.shape != y.shape for s in scores):
        raise ValueError("target, candidate and serving must be 1-d and of one length")
    if any(not np.isfinite(s).all() for s in scores):
        raise ValueError("scores must be finite")
    m = int(y.sum())
    n = int(y.shape[0]) - m
    if m < 2 or n < 2:
        raise ValueError("DeLong needs at least two positives and two negatives")
    delta = _margin(margin)
    parts = [delong_components(s, y) for s in scores]
    v10 = np.vstack([p[0] for p in parts])
    v01 = np.vstack([p[1] for p in parts])
    aucs = v10.mean(axis=1)
    cov = np.cov(v10) / m + np.cov(v01) / n
    var = float(cov[0, 0] + cov[1, 1] - 2.0 * cov[0, 1])
    estimate = float(aucs[0] - aucs[1])
    se = math.sqrt(max(var, 0.0))
    shift = estimate + delta
    if se > 0.0:
        z = shift / se
        p = float(stats.norm.cdf(z))
    else:  # identical rankings, or both perfect: no sampling variation in the difference
        z = 0.0 if shift == 0 else math.copysign(math.inf, shift)
        p = 1.0 if shift >= 0 else 0.0
    return GateStat("DeLong", estimate, delta, p, z, se, m + n,
                    f"paired: same {m + n:,} rows ({m:,} positive); DeLong test of "
                    f"AUC {aucs[0]:.4f} vs {aucs[1]:.4f}")


def unpaired_auc(
    candidate_auc: float, candidate_pos: int, candidate_neg: int,
    serving_auc: float, serving_pos: int, serving_neg: int, margin: float = 0.0,
    why: str = "no shared row ids",
) -> GateStat:
    """Two AUCs from different rows: z-test with each AUC's Hanley & McNeil (1982) SE.

    The fallback when row-level predictions cannot be paired; it ignores any correlation,
    so on overlapping rows it is conservative.
    """
    for auc in (candidate_auc, serving_auc):
        if not 0.0 <= auc <= 1.0:
            raise ValueError(f"AUC must lie in [0, 1], got {auc!r}")
    for count in (candidate_pos, candidate_neg, serving_pos, serving_neg):
        if count < 1:
            raise ValueError("each AUC needs at least one positive and one negative")
    delta = _margin(margin)
    se_c = hanley_mcneil_se(candidate_auc, candidate_pos, candidate_neg)
    se_s = hanley_mcneil_se(serving_auc, serving_pos, serving_neg)
    se = math.hypot(se_c, se_s)
    estimate = candidate_auc - serving_auc
    shift = estimate + delta
    if se > 0.0:
        z = shift / se
        p = float(stats.norm.cdf(z))
    else:
        z = 0.0 if shift == 0 else math.copysign(math.inf, shift)
        p = 1.0 if shift >= 0 else 0.0
    n = candidate_pos + candidate_neg + serving_pos + serving_neg
    return GateStat("Hanley-McNeil", estimate, delta, p, z, se, n,
                    f"unpaired: {why}; z-test with Hanley-McNeil SEs "
                    f"({se_c:.4f}, {se_s:.4f}) from n+ {candidate_pos:,}/{serving_pos:,}, "
                    f"n- {candidate_neg:,}/{serving_neg:,}")
