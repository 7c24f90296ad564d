"""Intervals and tests for live metrics: Wilson, exact binomial, DeLong AUC, Holm.

Each function is the textbook formula (references in docs/monitoring-statistics.md); the
tests compare them with scipy or with a direct computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats


@dataclass(frozen=True)
class Inference:
    """A metric's interval and its one-sided test against a baseline."""

    low: float
    high: float
    p_value: float | None  # H0: metric >= baseline; None without a baseline
    method: str
    se: float | None = None  # standard error (AUC only)


def wilson(successes: int, n: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval (scipy's ``proportion_ci(method="wilson")``)."""
    ci = stats.binomtest(successes, n).proportion_ci(confidence, method="wilson")
    return float(ci.low), float(ci.high)


def proportion(successes: int, n: int, baseline: float | None, confidence: float) -> Inference:
    """Wilson interval and the exact one-sided binomial test of H0: p >= baseline."""
    low, high = wilson(successes, n, confidence)
    p = None
    if baseline is not None:
        p = float(stats.binomtest(successes, n, min(baseline, 1.0), alternative="less").pvalue)
    return Inference(low, high, p, "wilson interval; exact binomial test")


def delong(y_true: npt.NDArray[np.bool_], scores: npt.ArrayLike) -> tuple[float, float]:
    """ROC AUC and its DeLong variance (midrank algorithm of Sun & Xu 2014).

    Needs at least two positives and two negatives (the variance uses ddof = 1).
    """
    s = np.asarray(scores, dtype=np.float64)
    m = int(np.count_nonzero(y_true))
    n = int(y_true.shape[0]) - m
    if m < 2 or n < 2:
        raise ValueError("DeLong needs at least two positives and two negatives")
    v10, v01 = delong_components(s, y_true)
    auc = float(v10.mean())
    var = float(np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n)
    return auc, var


def delong_components(
    scores: npt.NDArray[np.float64], positive: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """DeLong's structural components by midranks (Sun & Xu 2014), ties counting 1/2.

    V10[i] is the share of negatives positive i outranks; V01[j] the share of positives that
    outrank negative j. The mean of either is the AUC.
    """
    pos, neg = scores[positive], scores[~positive]
    m, n = pos.shape[0], neg.shape[0]
    ranks = stats.rankdata(np.concatenate([pos, neg]))
    v10 = (ranks[:m] - stats.rankdata(pos)) / n
    v01 = 1.0 - (ranks[m:] - stats.rankdata(neg)) / m
    return v10, v01


def hanley_mcneil_se(auc: float, positives: int, negatives: int) -> float:
    """Hanley & McNeil (1982) standard error of an AUC of ``auc``."""
    q1 = auc / (2.0 - auc)
    q2 = 2.0 * auc * auc / (1.0 + auc)
    var = (auc * (1.0 - auc) + (positives - 1) * (q1 - auc * auc)
           + (negatives - 1) * (q2 - auc * auc)) / (positives * negatives)
    return math.sqrt(max(var, 0.0))


def auc_inference(
    y_true: npt.NDArray[np.bool_], scores: npt.ArrayLike, baseline: float | None,
    confidence: float,
) -> Inference:
    """DeLong interval and test of the AUC of ``scores`` (see :func:`auc_interval`)."""
    auc, var = delong(y_true, scores)
    pos = int(y_true.sum())
    return auc_interval(auc, var, pos, int(y_true.shape[0]) - pos, baseline, confidence)


def auc_interval(
    auc: float, var: float, positives: int, negatives: int, baseline: float | None,
    confidence: float,
) -> Inference:
    """DeLong interval (normal, clipped to [0, 1]) and the one-sided z-test of H0: AUC >=
    baseline. A zero DeLong variance (all pairs tied or perfectly split) falls back to the
    Hanley-McNeil standard error at the baseline, so a test never divides by zero."""
    se = math.sqrt(max(var, 0.0))
    method = "DeLong interval; one-sided z-test"
    if se == 0.0:
        se = hanley_mcneil_se(baseline if baseline is not None else auc, positives, negatives)
        method = "DeLong interval; z-test with the Hanley-McNeil SE (DeLong variance is 0)"
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    low, high = max(0.0, auc - z * se), min(1.0, auc + z * se)
    p = None
    if baseline is not None:
        p = float(stats.norm.cdf((auc - baseline) / se)) if se > 0 else float(auc < baseline)
    return Inference(low, high, p, method, se)


def holm(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (family-wise error control, any dependence)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def z_one_sided(alpha: float) -> float:
    return float(stats.norm.isf(alpha))


def proportion_n_needed(value: float, baseline: float, alpha: float, n: int) -> int | None:
    """Smallest sample size (searched from ``n``) at which the observed proportion would make
    the exact one-sided binomial test significant at ``alpha``; None if there is no drop."""
    if baseline - value <= 0 or not 0.0 < baseline < 1.0:
        return None

    def significant(size: int) -> bool:
        return float(stats.binom.cdf(math.floor(value * size + 1e-9), size, baseline)) < alpha

    lo, hi = max(n, 1), max(n, 1)
    while not significant(hi):
        lo, hi = hi, hi * 2
        if hi > 10**9:
            return None
    while hi - lo > 1:  # the tail is not exactly monotone in size; "about" is the promise
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if significant(mid) else (mid, hi)
    return hi


def auc_n_needed(value: float, baseline: float, se: float, n: int, alpha: float) -> int | None:
    """Rows at which the observed AUC drop would be significant, the SE shrinking as 1/√n."""
    gap = baseline - value
    if gap <= 0 or se <= 0:
        return None
    return max(n + 1, math.ceil(n * (z_one_sided(alpha) * se / gap) ** 2))


def proportion_can_show_drop(n: int, baseline: float, alpha: float) -> bool:
    """Whether any outcome of ``n`` trials could be significant: P(X = 0 | baseline) < alpha."""
    return baseline >= 1.0 or n * math.log1p(-baseline) < math.log(alpha)


def auc_can_show_drop(positives: int, negatives: int, baseline: float, alpha: float) -> bool:
    """Whether the most extreme AUC (0) would be significant with the Hanley-McNeil SE at the
    baseline; DeLong itself needs two of each class."""
    if positives < 2 or negatives < 2:
        return False
    se = hanley_mcneil_se(baseline, positives, negatives)
    return se == 0.0 or float(stats.norm.cdf(-baseline / se)) < alpha
