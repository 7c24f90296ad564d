"""Window profiles: merge two, KS from two KLL sketches, AUC and DeLong from score histograms.

The approximations, each with the bound stated on the page:

- KS: the statistic of the two sketches' weighted ECDFs, within ``eps_ref + eps_cur`` of the
  exact statistic, ``eps`` being each sketch's a-priori normalized rank error (DataSketches'
  double-sided figure, 99% confidence; 0 while a sketch still holds every value).
- AUC: pairs in different score bins are ordered exactly, pairs in one bin count 1/2, so the
  AUC is within ``0.5 * sum_b pos_b * neg_b / (P * N)`` of the exact value; DeLong's variance
  is that of the binned scores.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from govkit.monitoring import numeric as nm
from govkit.monitoring.categorical import OTHER, merge_counts
from govkit.monitoring.performance import Confusion
from govkit.schemas.window_profile import (
    CategoricalColumn,
    NullColumn,
    NumericColumn,
    PerformanceProfile,
    SliceProfile,
    TimeColumn,
    WindowProfile,
)

if TYPE_CHECKING:
    from datasketches import kll_doubles_sketch

    from govkit.schemas.profile import ReferenceProfile
    from govkit.schemas.rules import Rules


def load_kll(encoded: str) -> kll_doubles_sketch:
    from datasketches import kll_doubles_sketch

    return kll_doubles_sketch.deserialize(base64.b64decode(encoded))


def empty_kll(k: int) -> kll_doubles_sketch:
    from datasketches import kll_doubles_sketch

    return kll_doubles_sketch(k)


def dump_kll(sketch: kll_doubles_sketch) -> str:
    return base64.b64encode(sketch.serialize()).decode("ascii")


def rank_error(sketch: kll_doubles_sketch) -> float:
    """0 while the sketch holds every value, else DataSketches' double-sided bound."""
    from datasketches import kll_doubles_sketch

    if not sketch.is_estimation_mode():
        return 0.0
    return float(kll_doubles_sketch.get_normalized_rank_error(sketch.k, True))


def kll_quantiles(encoded: str, ranks: Sequence[float]) -> list[float]:
    sketch = load_kll(encoded)
    return [float(v) for v in sketch.get_quantiles(list(ranks))] if not sketch.is_empty() else []


def psi_edges_from_sketch(encoded: str, bins: int) -> list[float]:
    """Interior PSI edges: the sketch's 1/bins .. (bins-1)/bins quantiles, deduplicated; for
    a constant or low-cardinality column one bin per value, by the local engine's rule
    (:func:`govkit.monitoring.numeric.psi_edges`) applied to the sketch's retained items."""
    sketch = load_kll(encoded)
    if not sketch.is_empty():
        few = nm.distinct_if_few(np.sort(np.array([v for v, _ in sketch], dtype=np.float64)))
        if few is not None and 2 * few.shape[0] <= sketch.n:
            return [float(v) for v in nm.value_edges(few)]
    ranks = np.linspace(0.0, 1.0, bins + 1)[1:-1]
    return sorted(set(kll_quantiles(encoded, ranks.tolist())))


def _weighted(encoded: str) -> tuple[np.ndarray, np.ndarray]:
    """The sketch's retained items, sorted, and their cumulative weight share."""
    pairs = sorted(load_kll(encoded))
    items = np.array([v for v, _ in pairs], dtype=np.float64)
    weights = np.array([w for _, w in pairs], dtype=np.float64)
    cum = np.cumsum(weights)
    return items, cum / cum[-1] if cum.shape[0] else cum


def _cdf(items: np.ndarray, cum: np.ndarray, x: np.ndarray, side: str) -> np.ndarray:
    idx = np.searchsorted(items, x, side=side)  # type: ignore[call-overload]
    return np.where(idx > 0, cum[np.maximum(idx - 1, 0)], 0.0)


def ks_from_sketches(ref: NumericColumn, cur: NumericColumn) -> tuple[nm.KSResult, float]:
    """KS statistic of the two sketches' ECDFs (at and just below every retained item, where
    the sup of two step functions lies), its asymptotic p-value with the true sizes, and the
    bound on its distance from the exact statistic."""
    ri, rc = _weighted(ref.kll)
    ci, cc = _weighted(cur.kll)
    points = np.union1d(ri, ci)
    d = 0.0
    for side in ("right", "left"):  # F(x) and F(x-)
        gap = np.abs(_cdf(ri, rc, points, side) - _cdf(ci, cc, points, side))
        d = max(d, float(gap.max(initial=0.0)))
    p, _ = nm.ks_pvalue(d, ref.count, cur.count)
    bound = ref.rank_error + cur.rank_error
    method = "kll" if bound == 0 else f"kll (within {bound:.4f} of exact)"
    return nm.KSResult(d, p, method), bound


def ks_on_grid(ref: NumericColumn, cur: NumericColumn) -> tuple[nm.KSResult, float]:
    """KS between the reference's sketch and the current window's exact counts on a grid of
    reference quantiles: deterministic once the reference profile is saved. Both ECDFs are
    compared just below every grid point; between two points each moves by at most its mass
    there, so ``|D - D_grid| <= 2 * eps_ref + max over bins of the larger mass``."""
    grid = cur.grid
    sketch = load_kll(ref.kll)
    ref_cdf = np.asarray(sketch.get_cdf(grid, False), dtype=np.float64)  # F(g-), then 1.0
    cur_cdf = np.cumsum(np.asarray(cur.grid_counts, dtype=np.float64)) / cur.count
    d = float(np.abs(ref_cdf[:-1] - cur_cdf[:-1]).max(initial=0.0))
    gaps = np.maximum(np.diff(ref_cdf, prepend=0.0), np.diff(cur_cdf, prepend=0.0))
    bound = 2 * ref.rank_error + float(gaps.max(initial=0.0))
    p, _ = nm.ks_pvalue(d, ref.count, cur.count)
    return nm.KSResult(d, p, f"grid (within {bound:.4f} of exact)"), bound


# --- performance from histograms -----------------------------------------------------------


def confusion_of(positives: Sequence[int], negatives: Sequence[int], edges: Sequence[float],
                 threshold: float) -> Confusion:
    """Confusion counts at ``threshold``, which must be a bin edge (bins [a, b))."""
    if threshold not in edges:
        raise ValueError("the decision threshold must be a score bin edge")
    first = list(edges).index(threshold) + 1  # bins from here on have score >= threshold
    pos, neg = np.asarray(positives), np.asarray(negatives)
    tp, fp = int(pos[first:].sum()), int(neg[first:].sum())
    return Confusion(tp, fp, int(pos.sum()) - tp, int(neg.sum()) - fp)


def binned_auc(positives: Sequence[int], negatives: Sequence[int]) -> tuple[float, float, float]:
    """AUC, DeLong variance and the bound on |AUC - exact AUC| from per-bin class counts.

    Needs at least two positives and two negatives (like :func:`inference.delong`)."""
    pos = np.asarray(positives, dtype=np.float64)
    neg = np.asarray(negatives, dtype=np.float64)
    p, n = pos.sum(), neg.sum()
    if p < 2 or n < 2:
        raise ValueError("DeLong needs at least two positives and two negatives")
    v10 = (np.cumsum(neg) - neg + 0.5 * neg) / n  # negatives below a positive in this bin
    v01 = (p - np.cumsum(pos) + 0.5 * pos) / p  # positives above a negative in this bin
    auc = float(np.dot(pos, v10) / p)
    var10 = float(np.dot(pos, (v10 - auc) ** 2) / (p - 1))
    var01 = float(np.dot(neg, (v01 - auc) ** 2) / (n - 1))
    bound = float(0.5 * np.dot(pos, neg) / (p * n))
    return auc, var10 / p + var01 / n, bound


def auc_value(positives: Sequence[int], negatives: Sequence[int]) -> float | None:
    pos = np.asarray(positives, dtype=np.float64)
    neg = np.asarray(negatives, dtype=np.float64)
    p, n = pos.sum(), neg.sum()
    if p == 0 or n == 0:
        return None
    return float(np.dot(pos, np.cumsum(neg) - 0.5 * neg) / (p * n))


def score_edges(quantiles: Sequence[float], threshold: float) -> list[float]:
    """Interior score bin edges: the given quantiles plus the decision threshold."""
    return sorted({*quantiles, threshold})


# --- merging -------------------------------------------------------------------------------


def _merge_numeric(a: NumericColumn, b: NumericColumn) -> NumericColumn:
    if a.edges != b.edges:
        raise ValueError("numeric profiles binned on different edges cannot be merged")
    m = nm.Moments(a.count, a.mean, a.m2).merge(nm.Moments(b.count, b.mean, b.m2))
    sketch = load_kll(a.kll)
    sketch.merge(load_kll(b.kll))
    lows = [v for v in (a.min, b.min) if v is not None]
    highs = [v for v in (a.max, b.max) if v is not None]
    if a.grid != b.grid:
        raise ValueError("numeric profiles on different KS grids cannot be merged")
    return NumericColumn(
        grid=a.grid, grid_counts=[x + y for x, y in zip(a.grid_counts, b.grid_counts,
                                                         strict=True)],
        rows=a.rows + b.rows, nulls=a.nulls + b.nulls, count=m.n, mean=m.mean, m2=m.m2,
        min=min(lows) if lows else None, max=max(highs) if highs else None, edges=a.edges,
        counts=[x + y for x, y in zip(a.counts, b.counts, strict=True)],
        below=a.below + b.below, above=a.above + b.above, kll=dump_kll(sketch),
        kll_k=sketch.k, rank_error=rank_error(sketch))


def _merge_categorical(a: CategoricalColumn, b: CategoricalColumn) -> CategoricalColumn:
    """Counts add; a category kept in one part only may hide up to the other part's
    __other__ count, which the merged bound carries."""
    counts = merge_counts(a.counts, b.counts)
    only_a = set(a.counts) - set(b.counts) - {OTHER}
    only_b = set(b.counts) - set(a.counts) - {OTHER}
    hidden = (b.other_bound if only_a else 0) + (a.other_bound if only_b else 0)
    return CategoricalColumn(
        kind="high_cardinality" if "high_cardinality" in (a.kind, b.kind) else "categorical",
        type_class=a.type_class,
        rows=a.rows + b.rows, nulls=a.nulls + b.nulls, counts=dict(sorted(counts.items())),
        distinct=max(a.distinct, b.distinct, len(set(counts) - {OTHER})),
        other_bound=a.other_bound + b.other_bound + hidden)


def _merge_performance(a: PerformanceProfile, b: PerformanceProfile) -> PerformanceProfile:
    if (a.edges, a.threshold, a.predictions, a.labels) != (
            b.edges, b.threshold, b.predictions, b.labels):
        raise ValueError("performance profiles with different score bins cannot be merged")
    slices: dict[tuple[str | None, str | None], SliceProfile] = {}
    for s in (*a.slices, *b.slices):
        key = (s.column, s.value)
        old = slices.get(key)
        if old is None:
            slices[key] = s
            continue
        pos = [x + y for x, y in zip(old.positives, s.positives, strict=True)]
        neg = [x + y for x, y in zip(old.negatives, s.negatives, strict=True)]
        slices[key] = SliceProfile(column=s.column, value=s.value, tp=old.tp + s.tp,
                                   fp=old.fp + s.fp, fn=old.fn + s.fn, tn=old.tn + s.tn,
                                   positives=pos, negatives=neg)
    ordered = sorted(slices.values(), key=lambda s: (s.column is not None, s.column or "",
                                                      s.value or ""))
    return a.model_copy(update={"slices": ordered})


def _merge_time(a: TimeColumn, b: TimeColumn) -> TimeColumn:
    lows = [v for v in (a.min_us, b.min_us) if v is not None]
    highs = [v for v in (a.max_us, b.max_us) if v is not None]
    return TimeColumn(rows=a.rows + b.rows, nulls=a.nulls + b.nulls, count=a.count + b.count,
                      min_us=min(lows) if lows else None, max_us=max(highs) if highs else None)


def _merge_null(a: NullColumn, b: NullColumn) -> NullColumn:
    return NullColumn(rows=a.rows + b.rows, nulls=a.nulls + b.nulls,
                      kind=a.kind if a.kind == b.kind else "unknown")


def columns_of(p: WindowProfile) -> tuple[set[str], ...]:
    return set(p.numeric), set(p.categorical), set(p.timestamps), set(p.null_columns)


def merge(a: WindowProfile, b: WindowProfile) -> WindowProfile:
    """The profile of the union of two windows' rows (same columns, same reference bins)."""
    if (columns_of(a), a.predictions_column, a.psi_bins) != (
            columns_of(b), b.predictions_column, b.psi_bins):
        raise ValueError("profiles of different columns or settings cannot be merged")
    preds = None
    if a.predictions is not None and b.predictions is not None:
        preds = _merge_numeric(a.predictions, b.predictions)
    perf = None
    if a.performance is not None and b.performance is not None:
        perf = _merge_performance(a.performance, b.performance)
    return WindowProfile(
        source=a.source if a.source == b.source else None, rows=a.rows + b.rows,
        psi_bins=a.psi_bins, kll_k=a.kll_k,
        numeric={n: _merge_numeric(c, b.numeric[n]) for n, c in sorted(a.numeric.items())},
        categorical={n: _merge_categorical(c, b.categorical[n])
                     for n, c in sorted(a.categorical.items())},
        timestamps={n: _merge_time(c, b.timestamps[n]) for n, c in sorted(a.timestamps.items())},
        null_columns={n: _merge_null(c, b.null_columns[n])
                      for n, c in sorted(a.null_columns.items())},
        predictions_column=a.predictions_column, predictions=preds, performance=perf)


def profile_json(profile: WindowProfile) -> str:
    """Compact, key-sorted JSON (floats at full precision: edges must round-trip)."""
    import json

    data = profile.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def as_reference_profile(window: WindowProfile, rules: Rules) -> ReferenceProfile:
    """A reference window profiled by the Spark engine as the local engine's reference: the
    same edges, counts, moments and categories; the KS sketch is ``rules.sketch_size``
    quantiles of its KLL sketch (so KS is within the KLL rank error more of exact, stated in
    ``source``)."""
    from govkit.monitoring.profile import QUANTILES
    from govkit.schemas import profile as shapes

    def numeric(c: NumericColumn) -> shapes.NumericProfile:
        ranks = [(j + 0.5) / rules.sketch_size for j in range(rules.sketch_size)]
        qs = kll_quantiles(c.kll, QUANTILES)
        return shapes.NumericProfile(
            rows=c.rows, nulls=c.nulls, type_class="numeric", count=c.count, mean=c.mean,
            std=nm.Moments(c.count, c.mean, c.m2).std, edges=c.edges, counts=c.counts,
            quantiles={f"q{k:g}": v for k, v in zip(QUANTILES, qs, strict=True)},
            sketch=kll_quantiles(c.kll, ranks))

    features: dict[str, shapes.FeatureProfile] = {n: numeric(c) for n, c in window.numeric.items()}
    for n, cc in window.categorical.items():
        features[n] = shapes.CategoricalProfile(
            rows=cc.rows, nulls=cc.nulls, type_class=cc.type_class, kind=cc.kind, counts=cc.counts,
            distinct=cc.distinct)
    for n, tc in window.timestamps.items():
        if tc.min_us is not None and tc.max_us is not None:
            features[n] = shapes.TimestampProfile(rows=tc.rows, nulls=tc.nulls, type_class="time",
                                                  count=tc.count, min_us=tc.min_us,
                                                  max_us=tc.max_us)
    worst = max((c.rank_error for c in window.numeric.values()), default=0.0)
    return shapes.ReferenceProfile(
        source=f"{window.source or '<spark profile>'} (Spark window profile; KLL rank error "
               f"{worst:.4f})", rows=window.rows, psi_bins=window.psi_bins,
        psi_floor=rules.psi_floor, sketch_size=rules.sketch_size,
        features=dict(sorted(features.items())), predictions_column=window.predictions_column,
        predictions=numeric(window.predictions) if window.predictions else None)

