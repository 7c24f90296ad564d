"""Exact two-sample KS statistic from two sorted arrays, by branch and bound.

With ``g(x) = n2 * #{a <= x} - n1 * #{b <= x}``, the statistic is ``max |g| / (n1 * n2)`` over
the data points ``x``. The values are split into intervals ``[lo, hi)`` at data points (every
``step``-th point of either array). An interval holding ``a[ia0:ia1]`` and ``b[ib0:ib1]`` has
``g`` between ``n2 * ia0 - n1 * ib1`` and ``n2 * ia1 - n1 * ib0`` at its points, and exactly
``n2 * ia1 - n1 * ib1`` at its last point. Intervals whose bound cannot beat the best exact
value seen are dropped; the rest are split with a smaller step, and what is left is evaluated
point by point (last point of each tie group, as ``scipy.stats.ks_2samp``). All arithmetic is
in integers, so the result is the same maximum as evaluating every point: typically a few
thousand points are searched instead of all ``n1 + n2``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Split steps per level; after the last level (or when a level keeps more than half of the
#: points) the remaining intervals are evaluated point by point.
STEPS = (256, 32, 4)
_CHUNK = 1 << 18


def _ranges(starts: IntArray, stops: IntArray) -> IntArray:
    """Concatenation of ``arange(s, e)`` for each pair."""
    lengths = stops - starts
    offsets = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - offsets, lengths)


def _strided(starts: IntArray, stops: IntArray, step: int) -> tuple[IntArray, IntArray]:
    """Indices ``s + step, s + 2 * step, ... < e`` of each range, and how many per range."""
    counts = np.maximum((stops - starts - 1) // step, 0)
    offsets = np.cumsum(counts) - counts
    local = np.arange(1, int(counts.sum()) + 1, dtype=np.int64) - np.repeat(offsets, counts)
    return np.repeat(starts, counts) + step * local, counts


def _absmax(g: IntArray, best: int) -> int:
    return max(best, int(g.max()), -int(g.min())) if g.size else best


def _point_by_point(own: FloatArray, other: FloatArray, idx: IntArray, best: int) -> int:
    """Best |g| at the last point of each tie group among ``own[idx]`` (own ECDF exact)."""
    n_own, n_other = own.shape[0], other.shape[0]
    for c0 in range(0, idx.shape[0], _CHUNK):
        i = idx[c0 : c0 + _CHUNK]
        v = own[i]
        last = v != own[np.minimum(i + 1, n_own - 1)]
        last[i == n_own - 1] = True
        i, v = i[last], v[last]
        g = n_other * (i + 1) - n_own * np.searchsorted(other, v, side="right")
        best = _absmax(g, best)
    return best


def _first_last(
    x: FloatArray, start: IntArray, stop: IntArray, fill: float
) -> tuple[FloatArray, FloatArray]:
    """First and last value of each range of sorted ``x`` (``fill`` / ``-fill`` if empty)."""
    n = x.shape[0]
    empty = stop <= start
    first = np.where(empty, fill, x[np.minimum(start, n - 1)])
    last = np.where(empty, -fill, x[np.maximum(stop - 1, 0)])
    return first, last


def ks_statistic_sorted(a: FloatArray, b: FloatArray, steps: tuple[int, ...] = STEPS) -> float:
    """Two-sample KS statistic sup|F_a - F_b| of two sorted, NaN-free, non-empty arrays."""
    n1, n2 = a.shape[0], b.shape[0]
    ia0, ia1 = np.zeros(1, np.int64), np.full(1, n1, np.int64)
    ib0, ib1 = np.zeros(1, np.int64), np.full(1, n2, np.int64)
    best, points = 0, n1 + n2
    for step in steps:
        if ia0.shape[0] == 0:
            break
        cut_a, per_a = _strided(ia0, ia1, step)
        cut_b, per_b = _strided(ib0, ib1, step)
        k = np.arange(ia0.shape[0])
        owner = np.concatenate((np.repeat(k, per_a), np.repeat(k, per_b)))
        cuts = np.concatenate((a[cut_a], b[cut_b]))
        order = np.argsort(cuts, kind="stable")
        cuts, owner = cuts[order], owner[order]
        # sub-interval starts: each interval's own start, then its cuts (sorted by value)
        at = np.searchsorted(owner, k, side="left")
        sa = np.insert(np.searchsorted(a, cuts, side="left"), at, ia0)
        sb = np.insert(np.searchsorted(b, cuts, side="left"), at, ib0)
        parent = np.insert(owner, at, k)
        ea, eb = ia1[parent], ib1[parent]
        same = parent[1:] == parent[:-1]
        ea[:-1][same] = sa[1:][same]
        eb[:-1][same] = sb[1:][same]
        nonempty = (ea > sa) | (eb > sb)
        best = _absmax((n2 * ea - n1 * eb)[nonempty], best)
        bound = np.maximum(np.abs(n2 * ea - n1 * sb), np.abs(n2 * sa - n1 * eb))
        first_a, last_a = _first_last(a, sa, ea, np.inf)
        first_b, last_b = _first_last(b, sb, eb, np.inf)
        # a single distinct value: its only point is the last one, already counted
        several = np.minimum(first_a, first_b) < np.maximum(last_a, last_b)
        keep = nonempty & several & (bound > best)
        ia0, ia1, ib0, ib1 = sa[keep], ea[keep], sb[keep], eb[keep]
        left = int((ia1 - ia0).sum() + (ib1 - ib0).sum())
        if 2 * left > points:
            break
        points = left
    best = _point_by_point(a, b, _ranges(ia0, ia1), best)
    best = _point_by_point(b, a, _ranges(ib0, ib1), best)
    return best / (n1 * n2)
