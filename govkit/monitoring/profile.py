"""Reference profiles: what later windows need of the reference, as small deterministic JSON.

Exact from a profile: PSI (stored edges and counts), chi-square / Cramér's V / category PSI
(stored counts), z-score (mean, std), null rate, OOV (unless the vocabulary was truncated),
cosine distance (mean embedding). Approximate: KS, from a quantile sketch of ``sketch_size``
points (statistic within 1.5 / sketch_size of the exact one; see docs).
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from govkit.monitoring import numeric as nm
from govkit.monitoring.categorical import top_k
from govkit.monitoring.text import vocabulary
from govkit.schemas.profile import (
    CategoricalProfile,
    EmbeddingProfile,
    NumericProfile,
    ReferenceProfile,
    TextProfile,
    TimestampProfile,
)
from govkit.schemas.rules import FeatureKind

QUANTILES = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)


def numeric_profile(
    sorted_values: np.ndarray, rows: int, nulls: int, type_class: str, bins: int, sketch_size: int
) -> NumericProfile:
    edges = nm.psi_edges(sorted_values, bins)
    m = nm.Moments.of(sorted_values)
    q = nm.quantiles_from_sorted(sorted_values, QUANTILES)
    return NumericProfile(
        rows=rows,
        nulls=nulls,
        type_class=type_class,
        count=m.n,
        mean=m.mean,
        std=m.std,
        edges=edges.tolist(),
        counts=nm.bin_counts_sorted(sorted_values, edges).tolist(),
        quantiles={f"q{k:g}": float(v) for k, v in zip(QUANTILES, q, strict=True)},
        sketch=nm.quantile_sketch(sorted_values, sketch_size).tolist(),
    )


def categorical_profile(
    counts: dict[str, int], rows: int, nulls: int, type_class: str, kind: FeatureKind, k: int
) -> CategoricalProfile:
    kept = top_k(counts, k) if kind == FeatureKind.HIGH_CARDINALITY else counts
    return CategoricalProfile(
        rows=rows,
        nulls=nulls,
        type_class=type_class,
        kind="high_cardinality" if kind == FeatureKind.HIGH_CARDINALITY else "categorical",
        counts=dict(sorted(kept.items())),
        distinct=len(counts),
    )


def text_profile(
    tokens: Counter[str], rows: int, nulls: int, type_class: str, max_size: int | None
) -> TextProfile:
    vocab = vocabulary(tokens, max_size)
    return TextProfile(
        rows=rows,
        nulls=nulls,
        type_class=type_class,
        vocabulary=vocab,
        vocabulary_truncated=len(vocab) < len(tokens),
        tokens=sum(tokens.values()),
    )


def embedding_profile(
    matrix: np.ndarray, rows: int, nulls: int, type_class: str
) -> EmbeddingProfile:
    return EmbeddingProfile(
        rows=rows,
        nulls=nulls,
        type_class=type_class,
        count=int(matrix.shape[0]),
        mean=matrix.mean(axis=0).tolist(),
    )


def timestamp_profile(values: np.ndarray, rows: int, type_class: str) -> TimestampProfile:
    finite = values[~np.isnan(values)]
    return TimestampProfile(rows=rows, nulls=rows - int(finite.shape[0]), type_class=type_class,
                            count=int(finite.shape[0]), min_us=float(finite.min()),
                            max_us=float(finite.max()))


def profile_to_json(profile: ReferenceProfile) -> str:
    """Compact, key-sorted JSON; floats keep full precision (edges must round-trip exactly)."""
    data = profile.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def profile_from_json(text: str) -> ReferenceProfile:
    return ReferenceProfile.model_validate_json(text)
