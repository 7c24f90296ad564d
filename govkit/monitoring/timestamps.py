"""Timestamp columns: parsed the same way from any storage (arrow timestamp or date, or ISO 8601
text), profiled as a time range, with the newest value's age as the window's freshness.

A CSV reader types "2024-02-01" as a date and Parquet written from text keeps a string; both
become microseconds since the epoch (UTC; naive times are taken as UTC) before anything else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from govkit.errors import MonitoringInputError
from govkit.monitoring.kinds import ISO_8601

_ISO = re.compile(ISO_8601)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def is_time_type(t: pa.DataType) -> bool:
    return pa.types.is_timestamp(t) or pa.types.is_date(t)


def epoch_us(col: pa.Array, name: str, path: str) -> np.ndarray:
    """Microseconds since the epoch as float64 (exact below year 2255), NaN for null."""
    if pa.types.is_dictionary(col.type):
        col = col.dictionary_decode()
    t = col.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        col = _parse_text(col, name, path)
    elif pa.types.is_date(t):
        col = pc.cast(col, pa.timestamp("us"))
    elif not pa.types.is_timestamp(t):
        raise MonitoringInputError(f"timestamp column stored as {t}", path=path, column=name,
                                   hint="store ISO 8601 text, a date or a timestamp")
    ints = pc.cast(pc.cast(col, pa.timestamp("us", tz=col.type.tz), safe=False), pa.int64())
    return np.asarray(pc.cast(ints, pa.float64()).to_numpy(zero_copy_only=False),
                      dtype=np.float64)


def _parse_text(col: pa.Array, name: str, path: str) -> pa.Array:
    for target in (pa.timestamp("us"), pa.timestamp("us", tz="UTC")):
        try:
            return pc.cast(col, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    bad = next((v for v in col.to_pylist() if v is not None and not _ISO.match(v)), None)
    example = f" (e.g. {bad!r})" if bad is not None else " (naive and offset times mixed)"
    raise MonitoringInputError(f"not ISO 8601 timestamps{example}", path=path, column=name,
                               hint="write times as 2024-02-01T10:00:00Z, one style per column")


def iso(us: float | None) -> str | None:
    if us is None or np.isnan(us):
        return None
    return (EPOCH + dt.timedelta(microseconds=int(us))).isoformat().replace("+00:00", "Z")


@dataclass
class TimeRange:
    """Mergeable summary: rows, nulls, and the smallest and largest time (microseconds)."""

    rows: int = 0
    nulls: int = 0
    count: int = 0
    low: float | None = None
    high: float | None = None

    def update(self, values: np.ndarray) -> None:
        finite = values[~np.isnan(values)]
        self.rows += int(values.shape[0])
        self.nulls += int(values.shape[0] - finite.shape[0])
        if finite.shape[0]:
            lo, hi = float(finite.min()), float(finite.max())
            self.low = lo if self.low is None else min(self.low, lo)
            self.high = hi if self.high is None else max(self.high, hi)
            self.count += int(finite.shape[0])


def age_hours(newest_us: float | None, as_of: dt.datetime | None) -> float | None:
    """Hours from the newest timestamp to ``as_of`` (negative if the data is from later)."""
    if newest_us is None or as_of is None:
        return None
    reference = as_of if as_of.tzinfo else as_of.replace(tzinfo=dt.UTC)
    return ((reference - EPOCH).total_seconds() * 1e6 - newest_us) / 3.6e9
