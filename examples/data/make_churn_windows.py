"""Reference and current monitoring windows for the churn example (fixed seed, no network).

The current window drifts in the session features (as the churn card warns). The model's
live AUC still passes in aggregate (about 0.86 against the documented minimum of 0.85) but
falls to about 0.60 for New Users: the chapter's "problem hidden in aggregate", which the
segment checks catch.

It also writes `churn_training_sample.csv`: 400 rows of the reference generator (own seed,
floats rounded to 3 decimals, no model score), committed as the reference sample that the
churn training data dictionary (examples/datasets/churn-training.yaml) is profiled against.

    python examples/data/make_churn_windows.py [--out examples/data]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROWS = 20_000
SAMPLE_ROWS = 400
SAMPLE_SEED = 20231231
SEGMENTS = np.array(["Power Users", "New Users", "Mobile Users", "Desktop Users"])


def window(rng: np.random.Generator, *, drift: bool, rows: int = ROWS) -> pa.Table:
    segment = rng.choice(SEGMENTS, size=rows, p=[0.2, 0.15, 0.35, 0.3])
    churned = (rng.random(rows) < 0.143).astype(np.int64)
    shift = 0.6 if drift else 0.0
    sessions = rng.gamma(shape=4.0 - 1.2 * shift, scale=5.0, size=rows)
    session_minutes = rng.lognormal(mean=2.5 - 0.4 * shift, sigma=0.6, size=rows)
    tenure = rng.integers(7, 1500, size=rows).astype(np.float64)
    plan = rng.choice(["basic", "standard", "premium"], size=rows, p=[0.5, 0.35, 0.15])
    device = rng.choice(["ios", "android", "web"], size=rows,
                        p=[0.3, 0.45, 0.25] if drift else [0.35, 0.3, 0.35])
    # separation of the score between churners and others: AUC = Phi(d / sqrt(2))
    d = np.where(segment == "New Users", 0.9 if not drift else 0.35, 1.80)
    logit = churned * d + rng.normal(size=rows) - 1.8
    score = 1.0 / (1.0 + np.exp(-logit))
    return pa.table({
        "sessions_30d": sessions, "session_minutes": session_minutes, "tenure_days": tenure,
        "plan": plan, "device": device, "user_segment": segment,
        "churn_score": score, "churned": churned,
    })


def training_sample(rows: int = SAMPLE_ROWS, seed: int = SAMPLE_SEED) -> pa.Table:
    """A small sample of the training data: the reference generator without the score."""
    table = window(np.random.default_rng(seed), drift=False, rows=rows).drop_columns(
        ["churn_score"])
    for name in ("sessions_30d", "session_minutes"):
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, pc.round(table.column(name), 3))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args()
    rng = np.random.default_rng(20240201)
    args.out.mkdir(parents=True, exist_ok=True)
    pq.write_table(window(rng, drift=False), args.out / "churn_reference.parquet")
    pq.write_table(window(rng, drift=True), args.out / "churn_2024-02-01.parquet")
    pacsv.write_csv(training_sample(), args.out / "churn_training_sample.csv")
    print(f"wrote {args.out}/churn_reference.parquet, churn_2024-02-01.parquet and "
          "churn_training_sample.csv")


if __name__ == "__main__":
    main()
