"""Window-profile statistics against the exact ones: AUC and DeLong from score histograms,
confusion counts from bins, KS from two KLL sketches, each within its stated bound."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.monitoring import inference as inf
from govkit.monitoring import numeric as nm
from govkit.monitoring import performance as perf
from govkit.monitoring import window_profile as wp
from govkit.schemas.window_profile import NumericColumn
from tests.conftest import examples

datasketches = pytest.importorskip("datasketches", reason="the spark extra is not installed")


def _hist(y: np.ndarray, s: np.ndarray, edges: list[float]) -> tuple[list[int], list[int]]:
    b = np.searchsorted(np.asarray(edges), s, side="right")
    k = len(edges) + 1
    return (np.bincount(b[y], minlength=k).tolist(), np.bincount(b[~y], minlength=k).tolist())


@settings(deadline=None, max_examples=examples(60))
@given(st.integers(0, 10_000), st.integers(2, 40), st.integers(8, 300))
def test_binned_auc_is_delong_of_binned_scores_and_within_its_bound(
    seed: int, bins: int, n: int
) -> None:
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.4
    y[:2], y[2:4] = True, False
    s = rng.normal(size=n) + y * rng.uniform(0, 2)
    edges = sorted(set(np.quantile(s, np.linspace(0, 1, bins + 1)[1:-1]).tolist()))
    pos, neg = _hist(y, s, edges)
    auc, var, bound = wp.binned_auc(pos, neg)
    binned = np.searchsorted(np.asarray(edges), s, side="right").astype(float)
    exact_binned_auc, exact_binned_var = inf.delong(y, binned)
    assert auc == pytest.approx(exact_binned_auc, abs=1e-12)
    assert var == pytest.approx(exact_binned_var, rel=1e-9, abs=1e-15)
    assert wp.auc_value(pos, neg) == pytest.approx(auc, abs=1e-12)
    assert abs(auc - perf.roc_auc(y, s)) <= bound + 1e-12  # type: ignore[operator]


def test_confusion_from_bins_is_exact_when_the_threshold_is_an_edge() -> None:
    rng = np.random.default_rng(3)
    y, s = rng.random(500) < 0.3, rng.random(500)
    s[:5] = 0.5  # ties at the threshold count as predicted positive, as in the local engine
    edges = wp.score_edges(np.quantile(s, [0.2, 0.4, 0.6, 0.8]).tolist(), 0.5)
    pos, neg = _hist(y, s, edges)
    assert wp.confusion_of(pos, neg, edges, 0.5) == perf.confusion(y, s, 0.5)
    with pytest.raises(ValueError, match="bin edge"):
        wp.confusion_of(pos, neg, [0.1, 0.2], 0.5)


def _column(values: np.ndarray, k: int) -> NumericColumn:
    sketch = datasketches.kll_doubles_sketch(k)
    for v in values:
        sketch.update(float(v))
    m = nm.Moments.of(values)
    return NumericColumn(rows=len(values), nulls=0, count=m.n, mean=m.mean, m2=m.m2,
                         min=float(values.min()), max=float(values.max()), edges=[],
                         counts=[m.n], kll=wp.dump_kll(sketch), kll_k=k,
                         rank_error=wp.rank_error(sketch))


@pytest.mark.parametrize(("n", "shift"), [(150, 0.0), (150, 0.4), (30_000, 0.05)])
def test_ks_from_sketches_within_the_stated_bound(n: int, shift: float) -> None:
    rng = np.random.default_rng(n)
    a, b = rng.normal(size=n), rng.normal(shift, 1.0, size=n // 2)
    ref, cur = _column(a, 200), _column(b, 200)
    ks, bound = wp.ks_from_sketches(ref, cur)
    exact = nm.ks_statistic_sorted(np.sort(a), np.sort(b))
    if n <= 200:  # both sketches (k = 200) still hold every value: exact, bound 0
        assert bound == 0.0
        assert ks.statistic == pytest.approx(exact, abs=1e-12)
    else:
        assert bound == pytest.approx(2 * datasketches.kll_doubles_sketch
                                      .get_normalized_rank_error(200, True))
        assert abs(ks.statistic - exact) <= bound
    assert ks.p_value == pytest.approx(nm.ks_pvalue(ks.statistic, n, n // 2)[0])


@pytest.mark.parametrize("shift", [0.0, 0.3])
def test_ks_on_a_grid_of_reference_quantiles_within_the_stated_bound(shift: float) -> None:
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=40_000), rng.normal(shift, 1.0, size=20_000).round(2)  # ties
    ref, cur = _column(a, 200), _column(b, 200)
    grid = sorted(set(wp.kll_quantiles(ref.kll, [j / 500 for j in range(1, 500)])))
    cur.grid = grid
    cur.grid_counts = np.bincount(np.searchsorted(np.asarray(grid), b, side="right"),
                                  minlength=len(grid) + 1).tolist()
    ks, bound = wp.ks_on_grid(ref, cur)
    assert abs(ks.statistic - nm.ks_statistic_sorted(np.sort(a), np.sort(b))) <= bound
    # the bound is 2 x the sketch's rank error (0.0165 at k = 200) plus the largest mass of
    # one grid bin, reference (from the sketch) or current (exact counts); which grid the
    # randomized KLL compaction picks moves that mass, so it is checked exactly, not as a total
    ref_mass = np.diff(wp.load_kll(ref.kll).get_cdf(grid, False), prepend=0.0)
    cur_mass = np.asarray(cur.grid_counts) / len(b)
    assert ref.rank_error == pytest.approx(0.0165, abs=5e-4)
    assert bound == pytest.approx(2 * ref.rank_error + max(ref_mass.max(), cur_mass.max()))
    assert wp.ks_on_grid(ref, cur) == (ks, bound)  # same profiles, same numbers
