"""Proxy metrics (the chapter's strategy for delayed labels): a faster signal documented for a
slow one (7-day engagement for 30-day churn), computed from a window column with an interval
and checked against its documented range like any live metric."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from govkit.monitoring.inference import wilson
from govkit.schemas.monitoring import PerformanceMetric


def proxy_metric(
    name: str, values: np.ndarray, statistic: str, column: str, stands_for: str | None,
    confidence: float,
) -> PerformanceMetric:
    """``mean`` of the column (Student-t interval) or ``rate`` of non-zero values (Wilson)."""
    finite = values[~np.isnan(values)]
    n = int(finite.shape[0])
    what = f"proxy: {statistic} of {column}" + (f" for {stands_for}" if stands_for else "")
    row = PerformanceMetric(name=name, value=None, sample_size=n, n_effective=n,
                            status="not_evaluated", confidence=confidence, method=what)
    if statistic == "rate":
        k = int(np.count_nonzero(finite))
        if n:
            row.value = k / n
            row.ci_low, row.ci_high = wilson(k, n, confidence)
    elif n:
        row.value = float(finite.mean())
        if n > 1:
            half = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1)) * float(
                finite.std(ddof=1)) / math.sqrt(n)
            row.ci_low, row.ci_high = row.value - half, row.value + half
    if row.value is None or row.ci_low is None:
        row.reason = f"{n} values: too few for an interval"
        return row
    row.status, row.reason = "no_baseline", f"{what}; checked against its documented range"
    return row
