"""Issue 23, item 6: a verdict never rests on the sketch's error. A coarse sketch (KLL k = 8)
makes an unshifted column's KS p-value cross alpha; the Spark engine then computes that
column's D exactly in a second job and gives the local engine's status and severity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.monitoring.compare_profiles import compare, undecided_columns
from govkit.schemas.rules import Rules
from tests.monitoring.flat import compute_result

N = 20_000  # above scipy's exact-method limit: both engines use the asymptotic p-value


@pytest.fixture(scope="module")
def windows(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("sketch")
    for name, seed, shift in (("ref", 1, 0.0), ("cur", 2, 0.0)):
        rng = np.random.default_rng(seed)
        pq.write_table(pa.table({"x": rng.normal(shift, 1.0, N),
                                 "w": rng.exponential(1.0, N)}), out / f"{name}.parquet")
    return out / "ref.parquet", out / "cur.parquet"


def _ks(result: Any) -> dict[str, Any]:
    return {f.feature: f for f in result.features if f.test == "ks"}


def test_a_coarse_sketch_does_not_decide_the_verdict(spark: Any,
                                                     windows: tuple[Path, Path]) -> None:
    from govkit.monitoring.spark import exact_ks_statistics, profile

    ref_p, cur_p = windows
    rules = Rules()
    ref_df, cur_df = spark.read.parquet(str(ref_p)), spark.read.parquet(str(cur_p))
    ref = profile(ref_df, rules=rules, kll_k=8)
    cur = profile(cur_df, reference=ref, rules=rules)
    local = _ks(compute_result(pq.read_table(ref_p), pq.read_table(cur_p), model="m",
                               window="w", rules=rules))
    sketch = _ks(compare(ref, cur, model="m", window="w", rules=rules))
    flipped = [n for n in local if sketch[n].status != local[n].status]
    assert flipped, "the coarse sketch should flip a verdict (else this test proves nothing)"
    assert set(flipped) <= set(undecided_columns(ref, cur, rules))
    exact = exact_ks_statistics(ref_df, cur_df, undecided_columns(ref, cur, rules))
    refined = _ks(compare(ref, cur, model="m", window="w", rules=rules, exact_ks=exact))
    for name, f in local.items():
        assert (refined[name].status, refined[name].severity) == (f.status, f.severity), name
        if name in exact:
            assert refined[name].statistic == pytest.approx(f.statistic, abs=1e-12)
            assert refined[name].p_value == pytest.approx(f.p_value, rel=1e-9)
            assert refined[name].detail["bound"] == 0.0
