"""Categorical drift statistics from category counts (mergeable, so profiles stay exact)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from govkit.monitoring.numeric import PSI_FLOOR, psi_from_counts

OTHER = "__other__"


@dataclass(frozen=True)
class ChiSquareResult:
    statistic: float
    p_value: float
    dof: int
    cramers_v: float


def aligned_counts(
    reference: Mapping[str, int], current: Mapping[str, int]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Both windows' counts over the sorted union of categories."""
    cats = sorted(set(reference) | set(current))
    ref = np.array([reference.get(c, 0) for c in cats], dtype=np.float64)
    cur = np.array([current.get(c, 0) for c in cats], dtype=np.float64)
    return cats, ref, cur


def chi_square(reference: Mapping[str, int], current: Mapping[str, int]) -> ChiSquareResult:
    """Chi-square test of homogeneity on the 2 x k contingency table (reference, current).

    No Yates correction. Cramér's V = sqrt(chi2 / (N * (min(2, k) - 1))) is in [0, 1].
    A single category gives chi2 = 0, p = 1, V = 0.
    """
    _, ref, cur = aligned_counts(reference, current)
    keep = (ref + cur) > 0
    table = np.vstack([ref[keep], cur[keep]])
    if table.shape[1] < 2:
        return ChiSquareResult(0.0, 1.0, 0, 0.0)
    if ref.sum() == 0 or cur.sum() == 0:
        raise ValueError("chi-square needs at least one value in each window")
    from scipy import stats  # lazy: scipy costs ~1 s of start-up (issue 26)

    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    n = float(table.sum())
    v = math.sqrt(min(1.0, float(chi2) / (n * (min(table.shape) - 1))))
    return ChiSquareResult(float(chi2), float(p), int(dof), v)


def category_psi(
    reference: Mapping[str, int], current: Mapping[str, int], floor: float = PSI_FLOOR
) -> float:
    """PSI with one bin per category of the union (unseen categories get the floor on the
    reference side, as empty bins do for numeric PSI)."""
    _, ref, cur = aligned_counts(reference, current)
    return psi_from_counts(ref, cur, floor)


def unseen_categories(
    reference: Mapping[str, int], current: Mapping[str, int]
) -> tuple[list[str], float]:
    """Categories of ``current`` absent from ``reference`` (sorted) and their share of rows."""
    new = sorted(c for c, k in current.items() if k > 0 and reference.get(c, 0) == 0)
    total = sum(current.values())
    share = sum(current[c] for c in new) / total if total else 0.0
    return new, share


def top_k(counts: Mapping[str, int], k: int) -> dict[str, int]:
    """The k most frequent categories (ties by name) plus ``__other__`` for the rest."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = dict(ranked[:k])
    rest = sum(v for _, v in ranked[k:])
    if rest:
        out[OTHER] = out.get(OTHER, 0) + rest
    return out


def bucket_to(keys: set[str], counts: Mapping[str, int]) -> dict[str, int]:
    """Fold every category not in ``keys`` into ``__other__``."""
    out: dict[str, int] = {}
    for c, v in counts.items():
        key = c if c in keys else OTHER
        out[key] = out.get(key, 0) + v
    return out


def merge_counts(a: Mapping[str, int], b: Mapping[str, int]) -> dict[str, int]:
    out = dict(a)
    for c, v in b.items():
        out[c] = out.get(c, 0) + v
    return out
