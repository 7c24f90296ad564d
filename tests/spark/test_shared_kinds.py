"""Issue 23: both engines decide a column's kind by one rule (govkit/monitoring/kinds.py) and
give the same findings for it, on the same data: a string date column is a timestamp to both
(Spark called it a category), and a column of only nulls is a null-rate finding on Spark too
(it refused the window, exit 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.monitoring.compare_profiles import compare
from govkit.monitoring.spark import profile
from govkit.schemas.monitoring import Finding
from govkit.schemas.rules import Rules
from tests.monitoring.flat import compute_result

AS_OF = dt.datetime(2024, 3, 2, tzinfo=dt.UTC)


def _window(n: int, seed: int, shift: float, *, empty_now: bool) -> pa.Table:
    rng = np.random.default_rng(seed)
    start = dt.date(2024, 1, 1) if not empty_now else dt.date(2024, 2, 1)
    days = [(start + dt.timedelta(days=int(d))).isoformat() for d in rng.integers(0, 28, n)]
    return pa.table({
        "amount": rng.normal(shift, 1.0, n),
        "plan": rng.choice(["basic", "pro", "team"], n).tolist(),
        "day": days,  # ISO dates kept as text
        "signup": pa.array([dt.date.fromisoformat(d) for d in days], pa.date32()),
        "flag": (rng.random(n) < 0.4 + shift / 5).tolist(),
        "emptied": pa.array([None] * n if empty_now else rng.normal(0, 1, n).tolist(),
                            pa.float64()),
        "filled": pa.array(rng.choice(["a", "b"], n).tolist() if empty_now else [None] * n,
                           pa.string()),
        "gone": pa.array([None] * n if empty_now else rng.choice(["x", "y"], n).tolist(),
                         pa.string()),
    })


@pytest.fixture(scope="module")
def windows(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("kinds")
    pq.write_table(_window(1500, 1, 0.0, empty_now=False), out / "reference.parquet")
    pq.write_table(_window(1200, 2, 0.4, empty_now=True), out / "current.parquet")
    return out / "reference.parquet", out / "current.parquet"


def _by_test(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    return {(f.feature, f.test): f for f in findings}


def test_both_engines_give_the_same_kinds_and_findings(
    spark: Any, windows: tuple[Path, Path]
) -> None:
    ref_p, cur_p = (str(p) for p in windows)
    rules = Rules()
    local = compute_result(pq.read_table(ref_p), pq.read_table(cur_p), model="m", window="w",
                           rules=rules, as_of=AS_OF)
    ref = profile(spark.read.parquet(ref_p), rules=rules, source=ref_p)
    cur = profile(spark.read.parquet(cur_p), reference=ref, rules=rules, source=cur_p)
    remote = compare(ref, cur, model="m", window="w", rules=rules, as_of=AS_OF)
    want, got = _by_test(local.features), _by_test(remote.features)
    kinds = {k: f.kind for k, f in got.items()}
    assert kinds == {k: f.kind for k, f in want.items()}
    assert kinds[("day", "time_range")] == kinds[("signup", "freshness")] == "timestamp"
    assert kinds[("plan", "chi_square")] == kinds[("flag", "chi_square")] == "categorical"
    for key in (("emptied", "null_rate"), ("filled", "null_rate"), ("gone", "null_rate")):
        assert got[key].status == "drift", key  # a column that empties or fills: a finding
    for key, f in got.items():
        e = want[key]
        assert (f.status, f.severity) == (e.status, e.severity), key
        # KS within the sketch's bound, PSI on the sketch's edges: tests/spark/test_spark_engine.py
        if key[1] not in ("ks", "psi"):
            assert f.statistic == pytest.approx(e.statistic, rel=1e-9, abs=1e-12), key
            assert f.detail.get("only_nulls") == e.detail.get("only_nulls"), key
    assert got[("day", "freshness")].detail["newest"] == want[("day", "freshness")].detail[
        "newest"]


def test_a_profile_saved_by_spark_is_the_local_engines_reference(
    spark: Any, windows: tuple[Path, Path]
) -> None:
    """Issue 23: the local engine takes Spark's reference profile, boolean and time columns
    included (a boolean column was stored as text: 'column type mismatch', exit 2)."""
    from govkit.monitoring.window_profile import as_reference_profile

    ref_p, cur_p = (str(p) for p in windows)
    saved = as_reference_profile(profile(spark.read.parquet(ref_p), source=ref_p), Rules())
    current = pq.read_table(cur_p)
    got = compute_result(saved, current, model="m", window="w", as_of=AS_OF)
    want = compute_result(pq.read_table(ref_p), current, model="m", window="w", as_of=AS_OF)
    kinds = {(f.feature, f.test): f.kind for f in got.features}
    # a reference column of only nulls has no profile: locally too (--save-profile refuses it)
    expected = {k: f.kind for k, f in _by_test(want.features).items() if k[0] != "filled"}
    assert {k: v for k, v in kinds.items() if k[0] != "filled"} == expected
    assert kinds[("flag", "chi_square")] == "categorical"
    assert kinds[("day", "freshness")] == "timestamp"


def test_a_text_column_is_refused_by_spark_not_left_out(spark: Any, tmp_path: Path) -> None:
    """A column the shared rule calls text is the local engine's (OOV); Spark says so
    rather than drop it silently or test it as categories the local engine would not."""
    from govkit.errors import MonitoringInputError

    path = tmp_path / "notes.parquet"
    pq.write_table(pa.table({"x": [1.0, 2.0] * 50,
                             "note": ["the customer called twice about the invoice"] * 100}),
                   path)
    with pytest.raises(MonitoringInputError, match="not text") as ei:
        profile(spark.read.parquet(str(path)), source=str(path))
    assert ei.value.column == "note" and "use the local engine" in str(ei.value)


def test_monitor_on_spark_reports_a_column_that_emptied(
    spark: Any, example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23, through the CLI: `monitor --engine spark` with a feature that is all null in
    the current window writes the result with its null_rate finding (it exited 2)."""
    import json
    import subprocess
    import sys

    from govkit.cli import main
    from tests.conftest import REPO

    subprocess.run([sys.executable, str(REPO / "examples/data/make_churn_windows.py"),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    ref = pq.read_table(tmp_path / "churn_reference.parquet")
    cur = pq.read_table(tmp_path / "churn_2024-02-01.parquet")
    ref = ref.append_column("promo", pa.array(np.linspace(0, 1, ref.num_rows)))
    cur = cur.append_column("promo", pa.array([None] * cur.num_rows, pa.float64()))
    pq.write_table(ref, tmp_path / "ref.parquet")
    pq.write_table(cur, tmp_path / "cur.parquet")
    assert main(["-C", str(example), "monitor", "churn", "--engine", "spark", "--reference",
                 str(tmp_path / "ref.parquet"), "--current", str(tmp_path / "cur.parquet"),
                 "--window", "2024-03-01"]) == 0, capsys.readouterr().err
    result = json.loads((example / "churn/monitoring/2024-03-01.json").read_text())
    [promo] = [f for f in result["features"] if f["feature"] == "promo"]
    assert (promo["test"], promo["status"], promo["detail"]["only_nulls"]) == (
        "null_rate", "drift", "current")
