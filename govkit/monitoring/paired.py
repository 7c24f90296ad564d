"""Release-gate tests of a candidate against the serving version on the same rows.

Every test answers one question: is the candidate worse than serving by more than the card's
margin? H0: no worse than ``margin`` (difference >= -margin); H1: worse by more than it. A small
``p_value`` is evidence of a regression. Differences are candidate - serving, in the metric's
units. References and assumptions: docs/release-gate.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

Metric = Callable[[npt.NDArray[np.float64], npt.NDArray[np.float64]], float]


@dataclass(frozen=True)
class GateStat:
    """One gate test: its estimate, evidence and why it was the test used."""

    test: str  # "exact McNemar", "Tango score", "DeLong", "Hanley-McNeil", "paired bootstrap"
    estimate: float  # candidate - serving
    margin: float
    p_value: float  # one-sided, H0: candidate no worse than serving by more than margin
    statistic: float | None  # z, or the candidate's new errors for exact McNemar
    stderr: float | None  # of the difference, where the test has one
    n: int  # rows (pairs) the test used
    reason: str  # one line: which test and why
    ci: tuple[float, float] | None = None  # of the difference, where the test gives one


def _correct(values: npt.ArrayLike, name: str) -> npt.NDArray[np.bool_]:
    a = np.asarray(values)
    if a.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d vector of 0/1 correctness")
    if a.dtype != np.bool_:
        if not np.isin(a, (0, 1)).all():
            raise ValueError(f"{name}: correctness must be 0 or 1")
        a = a.astype(np.bool_)
    return a


def _margin(margin: float) -> float:
    if not math.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a finite number >= 0, got {margin!r}")
    return float(margin)


def paired_accuracy(
    candidate_correct: npt.ArrayLike, serving_correct: npt.ArrayLike, margin: float = 0.0,
) -> GateStat:
    """Accuracy-type metrics on paired 0/1 correctness vectors (one entry per shared row).

    Only discordant pairs carry information: ``b`` rows serving got right and the candidate
    wrong (new errors), ``c`` the reverse (fixes). At margin 0 this is McNemar's exact test,
    the one-sided binomial test of ``b`` among ``b + c`` at 1/2. With a margin it is Tango's
    (1998) score test of the difference in paired proportions, whose variance is taken at
    the restricted maximum likelihood estimate under H0; at margin 0 its statistic is the
    McNemar z = (c - b) / sqrt(b + c), so the two agree in the limit.
    """
    cand = _correct(candidate_correct, "candidate")
    serv = _correct(serving_correct, "serving")
    if cand.shape != serv.shape:
        raise ValueError("candidate and serving must score the same rows")
    n = int(cand.shape[0])
    if n == 0:
        raise ValueError("no paired rows")
    delta = _margin(margin)
    b = int(np.count_nonzero(serv & ~cand))
    c = int(np.count_nonzero(cand & ~serv))
    estimate = (c - b) / n
    se = math.sqrt(max((b + c) / n - estimate * estimate, 0.0) / n)
    counts = f"{b:,} new errors, {c:,} fixes"
    if delta == 0.0:
        p = 1.0 if b + c == 0 else float(
            stats.binomtest(b, b + c, 0.5, alternative="greater").pvalue)
        return GateStat("exact McNemar", estimate, delta, p, float(b), se, n,
                        f"paired: same {n:,} rows; exact McNemar on {b + c:,} discordant "
                        f"pairs ({counts})")
    z = tango_z(b, c, n, -delta)
    return GateStat("Tango score", estimate, delta, float(stats.norm.cdf(z)), z, se, n,
                    f"paired: same {n:,} rows; Tango score test with margin {delta:g} "
                    f"({counts})")


def tango_z(new_errors: int, fixes: int, n: int, d0: float) -> float:
    """Tango's score statistic for H0: (fixes - new_errors) / n = d0 (Tango 1998, eq. 3).

    The variance of the paired difference, p10 + p01 - (p10 - p01)^2, is evaluated at the
    restricted MLE of p01 (the new-error rate) under H0, the root of a quadratic.
    """
    x10, x01 = fixes, new_errors
    a = 2.0 * n
    bq = -x10 - x01 + (2.0 * n - x10 + x01) * d0
    cq = -x01 * d0 * (1.0 - d0)
    q01 = (math.sqrt(max(bq * bq - 4.0 * a * cq, 0.0)) - bq) / (2.0 * a)
    var = n * (2.0 * q01 + d0 * (1.0 - d0))
    diff = x10 - x01 - n * d0
    if var <= 0.0:
        return 0.0 if diff == 0 else math.copysign(math.inf, diff)
    return diff / math.sqrt(var)


def paired_bootstrap(
    target: npt.ArrayLike, candidate: npt.ArrayLike, serving: npt.ArrayLike, metric: Metric,
    *, margin: float = 0.0, higher_is_better: bool = True, resamples: int = 2000,
    seed: int = 0, confidence: float = 0.95, name: str = "metric",
) -> GateStat:
    """Any metric ``metric(target, predictions)``: rows are resampled jointly (the same row
    indices for both versions), so the correlation of the pair is kept.

    The p-value is the bootstrap share of resampled differences that are not worse than the
    margin, ``(1 + #{not worse}) / (1 + resamples)``: the one-sided percentile test. Resamples
    where the metric is undefined (NaN, e.g. no positives drawn) are dropped and counted.
    """
    y = np.asarray(target, dtype=np.float64)
    cand = np.asarray(candidate, dtype=np.float64)
    serv = np.asarray(serving, dtype=np.float64)
    if not y.shape == cand.shape == serv.shape or y.ndim != 1:
        raise ValueError("target, candidate and serving must be 1-d and of one length")
    n = int(y.shape[0])
    if n < 2 or resamples < 1:
        raise ValueError("the bootstrap needs at least two rows and one resample")
    delta = _margin(margin)
    sign = 1.0 if higher_is_better else -1.0
    estimate = float(metric(y, cand)) - float(metric(y, serv))
    if not math.isfinite(estimate):
        raise ValueError(f"{name} is undefined on these rows")
    rng = np.random.default_rng(seed)
    diffs = np.empty(resamples)
    for i in range(resamples):
        idx = rng.integers(0, n, size=n)
        diffs[i] = float(metric(y[idx], cand[idx])) - float(metric(y[idx], serv[idx]))
    kept = diffs[np.isfinite(diffs)]
    if kept.shape[0] < max(2, resamples // 2):
        raise ValueError(f"{name} is undefined in most resamples ({kept.shape[0]} of "
                         f"{resamples} usable)")
    not_worse = int(np.count_nonzero(sign * kept >= -delta))
    p = (1 + not_worse) / (1 + kept.shape[0])
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(kept, [tail, 1.0 - tail])
    dropped = resamples - kept.shape[0]
    note = f", {dropped:,} undefined resamples dropped" if dropped else ""
    return GateStat("paired bootstrap", estimate, delta, p, None, float(np.std(kept, ddof=1)),
                    n, f"paired: same {n:,} rows; bootstrap of {name}, {resamples:,} joint "
                    f"resamples, seed {seed}{note}", (float(low), float(high)))
