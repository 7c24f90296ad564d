"""High-cardinality drift via embeddings: cosine distance between window mean embeddings."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def embedding_sum(rows: npt.ArrayLike) -> tuple[np.ndarray, int]:
    """Sum vector and row count of a 2-D (rows x dim) array — mergeable by addition."""
    arr = np.asarray(rows, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError("embeddings must be a 2-D array (rows x dim)")
    return arr.sum(axis=0), int(arr.shape[0])


def cosine_distance(u: npt.ArrayLike, v: npt.ArrayLike) -> float:
    """1 - cos(u, v), in [0, 2]; 0 when both vectors are zero, 1 when exactly one is."""
    a = np.asarray(u, dtype=np.float64)
    b = np.asarray(v, dtype=np.float64)
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0 if na == nb else 1.0
    cos = float(np.dot(a, b)) / (na * nb)
    return float(1.0 - min(1.0, max(-1.0, cos)))


def mean_embedding_distance(reference: npt.ArrayLike, current: npt.ArrayLike) -> float:
    """Cosine distance between the mean reference and mean current embeddings."""
    rs, rn = embedding_sum(reference)
    cs, cn = embedding_sum(current)
    return cosine_distance(rs / rn, cs / cn)
