import numpy as np
import pyarrow as pa
import pytest


def make_window(n: int, seed: int, shift: float = 0.0, new_share: float = 0.0) -> pa.Table:
    rng = np.random.default_rng(seed)
    cats = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]).astype(object)
    if new_share:
        cats[rng.random(n) < new_share] = "zz"
    words = np.array(["the", "cat", "sat", "on", "mat", "dog", "ran", "home", "far", "away"])
    text = [" ".join(rng.choice(words, 8)) for _ in range(n)]
    emb = rng.normal(1.0, 0.3, size=(n, 4)) + np.array([shift, 0, 0, 0])
    y = rng.integers(0, 2, n)
    score = np.clip(0.5 + (y - 0.5) * 0.6 + rng.normal(0, 0.25, n), 0, 1)
    return pa.table(
        {
            "x": rng.normal(shift, 1.0, n),
            "k": rng.integers(0, 100, n).astype(np.float64),
            "c": pa.array(cats.tolist()),
            "t": text,
            "e": pa.array(list(emb)),
            "score": score,
            "y": y,
            "seg": rng.choice(["new", "old"], n),
        }
    )


@pytest.fixture
def windows() -> tuple[pa.Table, pa.Table]:
    return make_window(4000, 1), make_window(3000, 2, shift=0.3, new_share=0.05)
