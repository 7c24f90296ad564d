"""PSI with its noise: the value expected with no drift, a significance, the bias-corrected
value the bands apply to, and the seed's closed-bin variant for legacy reports.

With no drift, ``PSI · n·m / (n + m)`` is approximately chi-square with ``k − 1`` degrees of
freedom (PSI is the symmetrised KL divergence, whose second-order term is the chi-square
statistic of the two samples), so its expected value is ``(k − 1)(1/n + 1/m)``: about 0.11 for
10 bins and 160 rows per window, far into the seed's "moderate" band.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from govkit.monitoring.numeric import psi_from_counts


@dataclass(frozen=True)
class PsiResult:
    value: float  # PSI as computed (the variant's own formula)
    expected: float  # expected PSI with no drift for these sample sizes and bins
    corrected: float  # max(0, value - expected)
    p_value: float  # chi-square approximation, H0: no drift
    bins: int  # bins with any value in either window (k)


def occupied_bins(reference_counts: npt.ArrayLike, current_counts: npt.ArrayLike) -> int:
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    return int(np.count_nonzero((ref + cur) > 0))


def expected_no_drift(n_reference: int, n_current: int, bins: int) -> float:
    """E[PSI] with no drift: (k − 1)(1/n + 1/m)."""
    return max(bins - 1, 0) * (1.0 / n_reference + 1.0 / n_current)


def noise_p_value(value: float, n_reference: int, n_current: int, bins: int) -> float:
    """P(chi²(k − 1) ≥ PSI · n·m/(n + m)): how often noise alone reaches this PSI."""
    if bins < 2:
        return 1.0
    from scipy import stats  # lazy: scipy costs ~1 s of start-up (issue 26)

    scaled = value * n_reference * n_current / (n_reference + n_current)
    return float(stats.chi2.sf(scaled, bins - 1))


def with_noise(value: float, reference_counts: npt.ArrayLike, current_counts: npt.ArrayLike,
               n_reference: int, n_current: int) -> PsiResult:
    bins = occupied_bins(reference_counts, current_counts)
    expected = expected_no_drift(n_reference, n_current, bins)
    return PsiResult(value, expected, max(0.0, value - expected),
                     noise_p_value(value, n_reference, n_current, bins), bins)


def psi(reference_counts: npt.ArrayLike, current_counts: npt.ArrayLike, floor: float) -> PsiResult:
    """Open-bin PSI of two count vectors over the same bins, with its noise."""
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    value = psi_from_counts(ref, cur, floor)
    return with_noise(value, ref, cur, int(ref.sum()), int(cur.sum()))


def seed_closed_psi(
    reference_counts: npt.ArrayLike, current_counts: npt.ArrayLike, below: int, above: int,
    floor: float,
) -> PsiResult:
    """The seed's ``calculate_psi``: bins closed at the reference min and max, so current
    values outside are dropped from the counts but not from the total (``np.histogram(actual,
    breakpoints)[0] / len(actual)``). ``below``/``above``: current values outside the range."""
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64).copy()
    total = float(cur.sum())
    if ref.sum() <= 0 or total <= 0:
        raise ValueError("PSI needs at least one value in each window")
    cur[0] -= below
    cur[-1] -= above
    e = np.maximum(ref / ref.sum(), floor)
    a = np.maximum(cur / total, floor)
    value = float(np.sum((a - e) * np.log(a / e)))
    return with_noise(value, ref, cur, int(ref.sum()), int(total))
