"""The Spark engine's bins on edge values, against numpy's ``searchsorted(side="right")`` (the
local engine's rule, ``numeric.bin_counts``): bins [g_i, g_i+1) with open outer bins, a value
equal to a point in the bin that starts there, -0.0 equal to 0.0, +-inf in the outer bins,
NaN and null counted in no bin."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from govkit.monitoring.spark import _grid_counts, _performance

TINY = 5e-324
BIG = 1.7976931348623157e308
GRIDS = [[0.0], [-0.0], [-1.0, 0.0, 1.0, 2.0], [-0.0, 1.0], [TINY], [-BIG, BIG],
         [1.0, math.nextafter(1.0, math.inf)], [-2.5, -TINY, TINY, 0.5]]


def _values() -> list[float | None]:
    """Every grid point, its neighbours either side, signed zeros, infinities, NaN, null."""
    points = {p for g in GRIDS for p in g}
    near = {math.nextafter(p, d) for p in points for d in (-math.inf, math.inf)}
    pool: list[float | None] = [*sorted(points | near | {0.0, -0.0, 3.0, -3.0, BIG, -BIG})]
    return [*pool, -0.0, -0.0, 0.0, math.inf, -math.inf, math.inf, math.nan, math.nan, None]


def _expected(values: list[float | None], grid: list[float]) -> list[int]:
    v = np.array([x for x in values if x is not None and not math.isnan(x)])
    return np.bincount(np.searchsorted(np.array(grid), v, side="right"),
                       minlength=len(grid) + 1).tolist()


def test_grid_counts_match_searchsorted_on_edge_values(spark: Any) -> None:
    values = _values()
    rng = np.random.default_rng(26)
    columns = [[values[j] for j in rng.permutation(len(values))] for _ in GRIDS]
    names = [f"c{i}" for i in range(len(GRIDS))]
    df = spark.createDataFrame(list(zip(*columns, strict=True)),
                               ", ".join(f"{n} double" for n in names))
    counted = _grid_counts(df, names, GRIDS)
    assert counted == [_expected(col, g) for col, g in zip(columns, GRIDS, strict=True)]


def test_score_bins_match_searchsorted_on_edge_values(spark: Any) -> None:
    scores = _values()
    labels = [i % 2 for i in range(len(scores))]
    df = spark.createDataFrame(list(zip(scores, labels, strict=True)), "s double, y int")
    edges = [0.0, 0.5, 1.0]
    perf = _performance(df, "s", "y", [], 0.5, edges)
    overall = perf.slices[0]
    assert overall.positives == _expected([s for s, y in zip(scores, labels, strict=True)
                                           if y == 1], edges)
    assert overall.negatives == _expected([s for s, y in zip(scores, labels, strict=True)
                                           if y == 0], edges)
