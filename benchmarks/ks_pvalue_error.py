"""How far the batched/profile KS p-value is from scipy's exact one (docs/monitoring-statistics.md).

Batched and profile windows get the KS p-value from the asymptotic distribution
(``kstwo.sf(D, round(n·m/(n+m)))``, as ``ks_2samp(method="asymp")``); two in-memory tables of at
most 10,000 rows get scipy's exact p-value. For each pair of sizes this prints the largest
relative difference over attainable statistics D whose p-value lies in each band.

    PYTHONPATH=. python benchmarks/ks_pvalue_error.py

(scipy's exact two-sample distribution is private, ``_attempt_exact_2kssamp``; this script is
a measurement, not part of govkit.)
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats
from scipy.stats._stats_py import _attempt_exact_2kssamp

SIZES = [(100, 100), (160, 160), (500, 400), (1000, 1000), (2000, 5000), (5000, 5000),
         (10000, 10000)]
BANDS = (("p >= 0.01", 0.01, 1.0), ("1e-4 <= p < 0.01", 1e-4, 0.01),
         ("1e-6 <= p < 1e-4", 1e-6, 1e-4))


def worst(n1: int, n2: int) -> dict[str, float]:
    g = math.gcd(n1, n2)
    lcm = n1 // g * n2
    en = np.round(n1 * n2 / (n1 + n2))
    out = dict.fromkeys((b[0] for b in BANDS), 0.0)
    for target in np.geomspace(1e-6, 0.9, 120):
        d = round(float(stats.kstwo.isf(target, en)) * lcm) / lcm
        ok, _, exact = _attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
        if not ok or exact <= 0:
            continue
        rel = abs(float(stats.kstwo.sf(d, en)) - exact) / exact
        for name, lo, hi in BANDS:
            if lo <= exact < hi:
                out[name] = max(out[name], rel)
    return out


def main() -> None:
    print(f"{'n, m':>14}  " + "  ".join(f"{b[0]:>18}" for b in BANDS))
    for n1, n2 in SIZES:
        row = worst(n1, n2)
        print(f"{f'{n1}, {n2}':>14}  " + "  ".join(f"{100 * row[b[0]]:>17.1f}%" for b in BANDS))


if __name__ == "__main__":
    main()
