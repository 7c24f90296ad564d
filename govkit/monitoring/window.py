"""Current-window summaries, accumulated batch by batch from mergeable counts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from govkit.monitoring import numeric as nm
from govkit.monitoring.categorical import merge_counts
from govkit.monitoring.text import oov_counts
from govkit.monitoring.timestamps import TimeRange
from govkit.schemas.profile import EmbeddingProfile, NumericProfile, TextProfile, TimestampProfile


@dataclass
class NumericCurrent:
    rows: int
    nulls: int
    moments: nm.Moments
    counts: np.ndarray
    ks: nm.KSResult | None
    below: int = 0  # current values below the reference minimum (seed closed-bin PSI)
    above: int = 0  # ... and above its maximum


def numeric_exact(
    ref_sorted: np.ndarray, cur_values: np.ndarray, ref: NumericProfile
) -> tuple[NumericCurrent, np.ndarray]:
    """In-memory path: sort the current column once; exact KS against the sorted reference."""
    cur_sorted = nm.sorted_finite(cur_values)
    rows = int(cur_values.shape[0])
    counts = nm.bin_counts_sorted(cur_sorted, np.asarray(ref.edges))
    ks = nm.ks_from_sorted(ref_sorted, cur_sorted) if cur_sorted.shape[0] else None
    below, above = outside_range(cur_sorted, ref_sorted[0], ref_sorted[-1])
    cur = NumericCurrent(rows, rows - cur_sorted.shape[0], nm.Moments.of(cur_sorted), counts, ks,
                         below, above)
    return cur, cur_sorted


def outside_range(sorted_values: np.ndarray, low: float, high: float) -> tuple[int, int]:
    """How many sorted values lie below ``low`` and above ``high``."""
    n = sorted_values.shape[0]
    return (int(np.searchsorted(sorted_values, low, side="left")),
            int(n - np.searchsorted(sorted_values, high, side="right")))


@dataclass
class NumericAccumulator:
    """Counts in the profile's PSI bins and at its sketch points, moments, nulls."""

    profile: NumericProfile
    rows: int = 0
    nulls: int = 0
    moments: nm.Moments = field(default_factory=nm.Moments)
    counts: np.ndarray | None = None
    le: np.ndarray | None = None
    lt: np.ndarray | None = None
    below: int = 0
    above: int = 0

    def update(self, values: np.ndarray) -> None:
        finite = values[~np.isnan(values)]
        self.below += int(np.count_nonzero(finite < self.profile.quantiles["q0"]))
        self.above += int(np.count_nonzero(finite > self.profile.quantiles["q1"]))
        self.rows += int(values.shape[0])
        self.nulls += int(values.shape[0] - finite.shape[0])
        self.moments = self.moments.merge(nm.Moments.of(finite))
        counts = nm.bin_counts(finite, np.asarray(self.profile.edges))
        le, lt = nm.grid_counts(finite, np.asarray(self.profile.sketch))
        self.counts = counts if self.counts is None else self.counts + counts
        self.le = le if self.le is None else self.le + le
        self.lt = lt if self.lt is None else self.lt + lt

    def finish(self) -> NumericCurrent:
        n = self.moments.n
        ks = None
        if n and self.le is not None and self.lt is not None:
            d = nm.ks_statistic_grid(np.asarray(self.profile.sketch), self.le, self.lt, n)
            p, _ = nm.ks_pvalue(d, self.profile.count, n)
            ks = nm.KSResult(d, p, "sketch")
        counts = self.counts if self.counts is not None else np.zeros(len(self.profile.edges) + 1)
        return NumericCurrent(self.rows, self.nulls, self.moments, counts, ks, self.below,
                              self.above)


@dataclass
class CategoricalAccumulator:
    rows: int = 0
    nulls: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def update(self, counts: dict[str, int], nulls: int, rows: int) -> None:
        self.counts = merge_counts(self.counts, counts)
        self.nulls += nulls
        self.rows += rows


@dataclass
class TextAccumulator:
    profile: TextProfile
    rows: int = 0
    nulls: int = 0
    oov: int = 0
    tokens: int = 0
    _vocab: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._vocab = set(self.profile.vocabulary)

    def update(self, texts: list[str | None]) -> None:
        oov, total = oov_counts(texts, self._vocab)
        self.rows += len(texts)
        self.nulls += sum(1 for t in texts if t is None)
        self.oov += oov
        self.tokens += total


@dataclass
class EmbeddingAccumulator:
    profile: EmbeddingProfile
    rows: int = 0
    nulls: int = 0
    count: int = 0
    total: np.ndarray | None = None

    def update(self, matrix: np.ndarray, nulls: int) -> None:
        self.rows += int(matrix.shape[0]) + nulls
        self.nulls += nulls
        if matrix.shape[0]:
            s = matrix.sum(axis=0)
            self.total = s if self.total is None else self.total + s
            self.count += int(matrix.shape[0])

    @property
    def mean(self) -> np.ndarray | None:
        return None if self.total is None else self.total / self.count


@dataclass
class TimestampAccumulator:
    profile: TimestampProfile
    range: TimeRange = field(default_factory=TimeRange)

    def update(self, values: np.ndarray) -> None:
        self.range.update(values)

    @property
    def rows(self) -> int:
        return self.range.rows

    @property
    def nulls(self) -> int:
        return self.range.nulls
