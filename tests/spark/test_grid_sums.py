"""A current window's PSI counts and counts outside the reference's range are sums of its exact
KS-grid counts (govkit.monitoring.spark): the arithmetic, against numpy, without a JVM. The
grid bins are the Bucketizer's: [g_i, g_i+1), +inf in the last bin."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.monitoring import numeric as nm
from govkit.schemas.window_profile import NumericColumn
from tests.conftest import examples

VALUES = st.lists(st.one_of(st.integers(-5, 5).map(float),
                            st.sampled_from([math.inf, -math.inf, 1.7976931348623157e308])),
                  min_size=1, max_size=40)


def _column(values: np.ndarray, edges: list[float]) -> NumericColumn:
    return NumericColumn(rows=len(values), nulls=0, count=len(values), mean=0.0, m2=0.0,
                         min=float(values.min()), max=float(values.max()), edges=edges,
                         counts=[], kll="", kll_k=8, rank_error=0.0)


@settings(max_examples=examples(300), deadline=None)
@given(ref=VALUES, cur=VALUES, quantiles=st.lists(st.integers(-6, 6).map(float), max_size=6),
       edges=st.lists(st.sampled_from([-2.0, 0.0, 0.5, 3.0, math.inf, -math.inf]),
                      max_size=4, unique=True))
def test_psi_and_range_counts_from_grid_counts(ref: list[float], cur: list[float],
                                               quantiles: list[float],
                                               edges: list[float]) -> None:
    from govkit.monitoring.spark import _against_reference, _summed_points

    r, c = np.array(ref), np.array(cur)
    reference = _column(r, sorted(edges))
    grid = sorted(p for p in {*_summed_points(reference), *quantiles} if math.isfinite(p))
    counts = np.bincount(np.searchsorted(grid, c, side="right"),
                         minlength=len(grid) + 1).tolist()
    infinite = int((c == math.inf).sum())
    col = _against_reference(_column(c, []), reference, grid, counts, infinite)
    assert col.counts == nm.bin_counts(c, np.asarray(reference.edges)).tolist()
    assert (col.below, col.above) == (int((c < r.min()).sum()), int((c > r.max()).sum()))

