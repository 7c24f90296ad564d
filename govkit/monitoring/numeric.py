"""Numeric drift statistics: KS, PSI, z-score of the mean, mergeable moments.

Everything works on sorted float64 arrays without NaN, so a column is sorted once and the
sorted arrays are reused for KS, the PSI bin edges and the PSI bin counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# re-exported: the exact KS statistic of two sorted arrays
from govkit.monitoring.ks_exact import ks_statistic_sorted as ks_statistic_sorted

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PSI_FLOOR = 0.001
#: scipy's ks_2samp switches from the exact to the asymptotic p-value above this size.
KS_EXACT_MAX_N = 10_000


@dataclass(frozen=True)
class KSResult:
    statistic: float
    p_value: float
    method: str


def sorted_finite(values: npt.ArrayLike) -> FloatArray:
    """Float64 copy of ``values`` without NaN, sorted ascending."""
    arr = np.asarray(values, dtype=np.float64)
    nan = np.isnan(arr)
    if nan.any():
        arr = arr[~nan]
    return np.sort(arr)


def quantiles_from_sorted(sorted_values: FloatArray, q: npt.ArrayLike) -> FloatArray:
    """Quantiles of a sorted array, identical to ``np.percentile(..., method="linear")``."""
    n = sorted_values.shape[0]
    pos = np.asarray(q, dtype=np.float64) * (n - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    frac = pos - lo
    lo_v = sorted_values[lo]
    hi_v = sorted_values[hi]
    # same expression numpy uses, so edges match the seed's np.percentile bit for bit
    return np.asarray(lo_v + (hi_v - lo_v) * frac, dtype=np.float64)


#: At most this many distinct reference values: PSI bins are the values themselves.
LOW_CARDINALITY = 20


def psi_edges(sorted_reference: FloatArray, bins: int = 10) -> FloatArray:
    """Interior PSI bin edges; the outer bins are open (``-inf``/``+inf``), so
    ``len(edges) + 1`` bins cover every value.

    A constant or low-cardinality reference (<= ``LOW_CARDINALITY`` distinct values, each seen
    twice on average) gets one bin per value (:func:`value_edges`), so a value that moves
    leaves its bin; otherwise :func:`quantile_edges`.
    """
    values = distinct_if_few(sorted_reference)
    if values is not None:
        return value_edges(values)
    return quantile_edges(sorted_reference, bins)


def quantile_edges(sorted_reference: FloatArray, bins: int = 10) -> FloatArray:
    """The reference's 1/bins .. (bins-1)/bins quantiles, deduplicated: tied quantiles
    collapse into one edge, giving fewer bins."""
    q = np.linspace(0.0, 1.0, bins + 1)[1:-1]
    return np.unique(quantiles_from_sorted(sorted_reference, q))


def distinct_if_few(sorted_values: FloatArray, limit: int = LOW_CARDINALITY) -> FloatArray | None:
    """The distinct values of a sorted array if there are at most ``limit`` and they repeat
    (at most half as many as the values: a small sample of a continuous feature is not
    low-cardinality), else None."""
    n = sorted_values.shape[0]
    if not n:
        return None
    change = np.flatnonzero(sorted_values[1:] != sorted_values[:-1])
    if change.shape[0] >= limit or 2 * (change.shape[0] + 1) > n:
        return None
    return np.asarray(sorted_values[np.concatenate(([0], change + 1))], dtype=np.float64)


def value_edges(values: FloatArray) -> FloatArray:
    """Edges ``v, next(v)`` for each distinct value: bin ``[v, next(v))`` holds exactly ``v``;
    the bins between and outside the values are empty in the reference."""
    return np.column_stack([values, np.nextafter(values, np.inf)]).ravel()


def bin_counts_sorted(sorted_values: FloatArray, edges: FloatArray) -> IntArray:
    """Counts per bin ``(-inf, e0), [e0, e1), ..., [e_last, +inf)`` of a sorted array."""
    cuts = np.searchsorted(sorted_values, edges, side="left")
    bounds = np.concatenate(([0], cuts, [sorted_values.shape[0]]))
    return np.diff(bounds).astype(np.int64)


def bin_counts(values: FloatArray, edges: FloatArray) -> IntArray:
    """Same bins as :func:`bin_counts_sorted` for an unsorted, NaN-free array."""
    idx = np.searchsorted(edges, values, side="right")
    return np.bincount(idx, minlength=edges.shape[0] + 1).astype(np.int64)


def psi_from_counts(
    reference_counts: npt.ArrayLike, current_counts: npt.ArrayLike, floor: float = PSI_FLOOR
) -> float:
    """PSI = sum((a - e) * ln(a / e)) over bins, proportions floored at ``floor`` (seed rule)."""
    ref = np.asarray(reference_counts, dtype=np.float64)
    cur = np.asarray(current_counts, dtype=np.float64)
    if ref.sum() <= 0 or cur.sum() <= 0:
        raise ValueError("PSI needs at least one value in each window")
    e = np.maximum(ref / ref.sum(), floor)
    a = np.maximum(cur / cur.sum(), floor)
    return float(np.sum((a - e) * np.log(a / e)))


def psi(
    reference: npt.ArrayLike, current: npt.ArrayLike, bins: int = 10, floor: float = PSI_FLOOR
) -> float:
    """PSI of ``current`` against quantile bins of ``reference`` (see docs for the variant)."""
    ref = sorted_finite(reference)
    cur = sorted_finite(current)
    edges = psi_edges(ref, bins)
    return psi_from_counts(bin_counts_sorted(ref, edges), bin_counts_sorted(cur, edges), floor)


def psi_level(value: float, moderate: float = 0.1, significant: float = 0.2) -> str:
    """Seed bands: ``none`` below 0.1, ``moderate`` below 0.2, ``significant`` from 0.2."""
    if value >= significant:
        return "significant"
    if value >= moderate:
        return "moderate"
    return "none"


#: Above this effective size (n1 * n2 / (n1 + n2)) ``kstwo.sf`` takes up to 0.5 s per call,
#: so the limiting Kolmogorov distribution is used (relative difference below 2%).
KS_LIMIT_EN = 50_000


def ks_pvalue(statistic: float, n1: int, n2: int) -> tuple[float, str]:
    """Two-sided asymptotic p-value as ``scipy.stats.ks_2samp(method="asymp")``
    (``kstwo.sf(d, round(en))``); ``kstwobign.sf(d * sqrt(en))`` when ``en > KS_LIMIT_EN``."""
    from scipy import stats  # lazy: scipy costs ~1 s of start-up (issue 26)

    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    if en > KS_LIMIT_EN:
        p, method = float(stats.kstwobign.sf(statistic * math.sqrt(en))), "asymp-limit"
    else:
        p, method = float(stats.kstwo.sf(statistic, np.round(en))), "asymp"
    return min(max(p, 0.0), 1.0), method


def ks_from_sorted(a: FloatArray, b: FloatArray) -> KSResult:
    """KS test on sorted arrays; small samples use scipy's exact method (as its ``auto``)."""
    if a.shape[0] == 0 or b.shape[0] == 0:
        raise ValueError("KS needs at least one value in each window")
    if max(a.shape[0], b.shape[0]) <= KS_EXACT_MAX_N:
        from scipy import stats  # lazy (issue 26)

        res = stats.ks_2samp(a, b, method="exact")
        return KSResult(float(res.statistic), float(res.pvalue), "exact")
    d = ks_statistic_sorted(a, b)
    p, method = ks_pvalue(d, a.shape[0], b.shape[0])
    return KSResult(d, p, method)


def ks_2samp(reference: npt.ArrayLike, current: npt.ArrayLike) -> KSResult:
    return ks_from_sorted(sorted_finite(reference), sorted_finite(current))


# --- approximate KS from a reference quantile sketch -------------------------------------


def quantile_sketch(sorted_reference: FloatArray, size: int) -> FloatArray:
    """``size`` reference points at quantiles (j + 0.5) / size (inverted-CDF, real data points).

    The sketch's ECDF is within 1 / (2 * size) of the reference ECDF everywhere.
    """
    n = sorted_reference.shape[0]
    if n <= size:
        return sorted_reference.copy()
    p = (np.arange(size) + 0.5) / size
    idx = np.ceil(p * n).astype(np.int64) - 1
    return np.asarray(sorted_reference[np.clip(idx, 0, n - 1)], dtype=np.float64)


def grid_counts(values: FloatArray, grid: FloatArray) -> tuple[IntArray, IntArray]:
    """Mergeable counts of ``values`` at sorted grid points: (#values <= g, #values < g)."""
    k = grid.shape[0]
    left = np.bincount(np.searchsorted(grid, values, side="left"), minlength=k + 1)
    right = np.bincount(np.searchsorted(grid, values, side="right"), minlength=k + 1)
    return np.cumsum(left)[:k].astype(np.int64), np.cumsum(right)[:k].astype(np.int64)


def ks_statistic_grid(
    sketch: FloatArray, current_le: IntArray, current_lt: IntArray, n_current: int
) -> float:
    """KS statistic between the sketch ECDF and the current ECDF, at and just below grid points.

    Within ``1.5 / len(sketch)`` of the exact statistic against the full reference.
    """
    ref_le, ref_lt = grid_counts(sketch, sketch)
    k = sketch.shape[0]
    d_le = np.abs(ref_le / k - current_le / n_current)
    d_lt = np.abs(ref_lt / k - current_lt / n_current)
    return float(max(d_le.max(initial=0.0), d_lt.max(initial=0.0)))


# --- moments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moments:
    """Count, mean and sum of squared deviations; merged with Chan et al.'s parallel update."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0

    @classmethod
    def of(cls, values: FloatArray) -> Moments:
        n = int(values.shape[0])
        if n == 0:
            return cls()
        mean = float(np.mean(values))
        return cls(n, mean, float(np.sum((values - mean) ** 2)))

    def merge(self, other: Moments) -> Moments:
        if other.n == 0:
            return self
        if self.n == 0:
            return other
        n = self.n + other.n
        delta = other.mean - self.mean
        mean = self.mean + delta * other.n / n
        m2 = self.m2 + other.m2 + delta * delta * self.n * other.n / n
        return Moments(n, mean, m2)

    @property
    def std(self) -> float:
        """Sample standard deviation (ddof=1); 0 for fewer than two values."""
        return math.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else 0.0


def mean_z_score(mean_current: float, mean_reference: float, std_reference: float) -> float:
    """z = (mean_cur - mean_ref) / std_ref: the seed's "3 sigma from baseline" (not a SE)."""
    diff = mean_current - mean_reference
    if std_reference == 0.0:
        return 0.0 if diff == 0.0 else math.copysign(math.inf, diff)
    return diff / std_reference
