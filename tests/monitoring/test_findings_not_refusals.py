"""Issue 23 items 11 and 12: all-null columns, constant features and new columns are
findings, not refusals or silences. Windows are real Parquet and CSV files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from govkit.monitoring import numeric as nm
from govkit.monitoring.engine import build_reference_profile
from govkit.schemas.rules import Rules
from govkit.sources.datasets import open_window
from tests.monitoring.flat import compute_result


def _windows(tmp_path: Path, ref: pa.Table, cur: pa.Table, fmt: str = "parquet"
             ) -> tuple[object, object]:
    out = []
    for name, t in (("ref", ref), ("cur", cur)):
        p = tmp_path / f"{name}.{fmt}"
        if fmt == "csv":
            pacsv.write_csv(t, p)
        else:
            pq.write_table(t, p)
        out.append(open_window(p))
    return out[0], out[1]


def _by(result: object, feature: str) -> dict[str, object]:
    return {f.test: f for f in result.features if f.feature == feature}  # type: ignore[attr-defined]


def _base(n: int = 600, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"x": rng.normal(size=n), "k": rng.integers(0, 4, n).astype(np.float64)}


def test_all_null_current_feature_is_a_null_rate_finding(tmp_path: Path) -> None:
    ref = pa.table({**_base(), "y": np.random.default_rng(1).normal(size=600)})
    cur = pa.table({**_base(seed=2), "y": pa.array([None] * 600, pa.float64())})
    for fmt in ("parquet", "csv"):  # a CSV reader types an empty column as null
        r, c = _windows(tmp_path, ref, cur, fmt)
        result = compute_result(r, c, model="m", window="w", rules=Rules())
        y = _by(result, "y")
        assert set(y) == {"null_rate"}
        assert y["null_rate"].status == "drift"
        assert y["null_rate"].severity == Rules().severity.null_rate_increase
        assert y["null_rate"].detail["current_null_rate"] == 1.0
        assert {f.test for f in result.features if f.feature == "x"} >= {"ks", "psi"}


def test_all_null_reference_feature_is_a_finding_not_a_refusal(tmp_path: Path) -> None:
    ref = pa.table({**_base(), "y": pa.array([None] * 600, pa.float64())})
    cur = pa.table({**_base(seed=2), "y": np.random.default_rng(1).normal(size=600)})
    r, c = _windows(tmp_path, ref, cur)
    y = _by(compute_result(r, c, model="m", window="w"), "y")
    assert set(y) == {"null_rate"}
    assert y["null_rate"].status == "drift"
    assert y["null_rate"].detail["reference_null_rate"] == 1.0


def test_constant_feature_that_moves_has_psi_not_zero(tmp_path: Path) -> None:
    ref = pa.table({**_base(), "c": np.full(600, 5.0)})
    cur = pa.table({**_base(seed=2), "c": np.full(600, 6.0)})
    r, c = _windows(tmp_path, ref, cur)
    for reference in (r, build_reference_profile(pq.read_table(tmp_path / "ref.parquet"))):
        psi = _by(compute_result(reference, c, model="m", window="w"), "c")["psi"]
        assert psi.status == "drift" and psi.p_value is not None and psi.p_value < 1e-6
        assert psi.statistic is not None and psi.statistic > 5


def test_low_cardinality_numeric_bins_are_its_values() -> None:
    """<= 20 distinct reference values: one bin per value, and values between or outside
    them fall in bins the reference left empty."""
    edges = nm.psi_edges(np.sort(np.repeat([1.0, 2.0, 3.0], 10)), 10)
    counts = nm.bin_counts(np.array([1.0, 2.0, 2.5, 3.0, 7.0]), edges)
    assert counts.tolist() == [0, 1, 0, 1, 1, 1, 1]
    wide = nm.psi_edges(np.sort(np.arange(21.0)), 10)
    assert len(wide) == 9  # 21 distinct values: quantile bins as before


def test_new_column_in_current_window_is_a_finding(tmp_path: Path) -> None:
    ref = pa.table(_base())
    cur = pa.table({**_base(seed=2), "extra": np.ones(600)})
    r, c = _windows(tmp_path, ref, cur)
    extra = _by(compute_result(r, c, model="m", window="w"), "extra")
    assert set(extra) == {"new_column"}
    assert extra["new_column"].status == "drift"
