"""The churn example's other two monitoring layers (fixed seed, no network, no Prometheus).

`churn_service.om`: what the churn API's Prometheus recorded for 2024-01-01 and 2024-02-01,
as OpenMetrics text (one sample every 15 minutes): the P99 latency gauge a recording rule
keeps (about 140 ms, never near 200 ms) and the error ratio (about 0.03 %, within 0.1 %).
`churn_kpis.csv`: 30-day retention by region for the same two days. Retention falls from
about 86 % to about 80 % (-7 %), beyond the card's 5 %: the chapter's "most dangerous
failure", business moving while infrastructure stays green. `govkit observe churn --window
2024-02-01` reads both (examples/govkit.yaml `observe.openmetrics`).

    python examples/data/make_churn_layers.py [--out examples/data]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np

SEED = 20240201
STEP = 900  # seconds between samples
DAYS = {"2024-01-01": 0.86, "2024-02-01": 0.80}  # retention the regions are drawn around
REGIONS = ("emea", "na", "latam", "apac")
USERS = 2500  # users of a region's cohort


def openmetrics(rng: np.random.Generator) -> str:
    latency, errors = [], []
    for day in DAYS:
        start = int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp())
        for t in range(start, start + 86400, STEP):
            p99 = 140 + 12 * rng.standard_normal()
            ratio = max(0.0, 0.0003 + 0.0001 * rng.standard_normal())
            latency.append(f'churn_api_latency_p99_ms{{job="churn-api"}} {p99:.1f} {t}')
            errors.append(f'churn_api_error_ratio{{job="churn-api"}} {ratio:.6f} {t}')
    return "\n".join([
        "# TYPE churn_api_latency_p99_ms gauge",
        "# HELP churn_api_latency_p99_ms P99 request latency over 5 minutes (recording rule).",
        *latency,
        "# TYPE churn_api_error_ratio gauge",
        "# HELP churn_api_error_ratio Share of requests answered with an error over 5 minutes.",
        *errors, "# EOF"]) + "\n"


def kpis(rng: np.random.Generator) -> str:
    rows = ["window,region,cohort_users,retention_30d"]
    for day, rate in DAYS.items():
        for region in REGIONS:
            retained = rng.binomial(USERS, rate)
            rows.append(f"{day},{region},{USERS},{retained / USERS:.4f}")
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    out = parser.parse_args().out
    rng = np.random.default_rng(SEED)
    (out / "churn_service.om").write_text(openmetrics(rng), encoding="utf-8")
    (out / "churn_kpis.csv").write_text(kpis(rng), encoding="utf-8")


if __name__ == "__main__":
    main()
