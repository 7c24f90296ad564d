"""The Spark engine against the exact local engine, on the example windows and on a small
partitioned Parquet dataset: equal where the profile is exact (counts, chi-square, Cramér's V,
PSI on the same bins, null rates, z, confusion-matrix metrics with their intervals and tests),
within the stated bound for KS and AUC."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.cli import main
from govkit.monitoring import numeric as nm
from govkit.monitoring import psi as psi_mod
from govkit.monitoring import window_profile as wp
from govkit.monitoring.compare_profiles import compare
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.rules import Rules
from govkit.schemas.window_profile import WindowProfile
from tests.conftest import REPO
from tests.monitoring.flat import compute_result

CHURN = {"predictions": "churn_score", "labels": "churned", "segments": ["user_segment"]}
BASELINE = {"roc_auc": 0.87, "accuracy": 0.9}


@pytest.fixture(scope="module")
def churn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("churn")
    subprocess.run([sys.executable, str(REPO / "examples/data/make_churn_windows.py"),
                    "--out", str(out)], check=True, capture_output=True)
    return out


def _synthetic(n: int, seed: int, drift: float) -> pa.Table:
    rng = np.random.default_rng(seed)
    x = rng.normal(drift, 1.0, n)
    x[rng.random(n) < 0.05] = np.nan
    color = rng.choice(["red", "green", "blue"] + (["violet"] if drift else []), n).astype(object)
    color[rng.random(n) < 0.03] = None
    y = rng.random(n) < 0.3
    score = np.clip(0.35 + 0.3 * y + rng.normal(0, 0.2, n), 0, 1).round(3)  # tied scores
    return pa.table({
        "day": rng.choice(["2024-01-01", "2024-01-02"], n),
        "x": pa.array(x, mask=rng.random(n) < 0.02),
        "k": rng.integers(0, 20 + int(10 * drift), n),
        "city": [f"c{int(v)}" for v in rng.zipf(1.3, n) % 400],  # high cardinality
        "color": pa.array(color.tolist(), pa.string()),
        "flag": rng.random(n) < 0.5 + drift / 4,
        "score": score, "y": y,
        "seg": pa.array(rng.choice(["a", "b"], n).tolist(), pa.string()),
        "vip": rng.random(n) < 0.2,
    })


SYNTH = {"predictions": "score", "labels": "y", "segments": ["seg", "vip"],
         "features": ["x", "k", "city", "color", "flag"]}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Reference and current windows as Parquet folders partitioned by day."""
    out = tmp_path_factory.mktemp("synthetic")
    for name, table in (("reference", _synthetic(3000, 1, 0.0)),
                        ("current", _synthetic(2000, 2, 0.5))):
        pq.write_to_dataset(table, out / name, partition_cols=["day"])
    return out / "reference", out / "current"


def _profiles(spark: Any, ref: str, cur: str, **roles: Any) -> tuple[WindowProfile,
                                                                         WindowProfile]:
    from govkit.monitoring.spark import profile

    r = profile(spark.read.parquet(ref), source=ref, **roles)
    roles.pop("features", None)
    return r, profile(spark.read.parquet(cur), reference=r, source=cur, **roles)


def _finite(table: pa.Table, name: str) -> np.ndarray:
    v = np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=np.float64)
    return v[~np.isnan(v)]


def _agrees(result: MonitoringResult, exact: MonitoringResult, ref: WindowProfile,
            cur: WindowProfile, ref_t: pa.Table, cur_t: pa.Table) -> None:
    got = {(f.feature, f.test): f for f in [*result.features, *result.prediction_drift]}
    want = {(f.feature, f.test): f for f in [*exact.features, *exact.prediction_drift]}
    assert set(got) == set(want)
    for key, f in got.items():
        e = want[key]
        name, test = key
        if test == "ks":
            assert abs(f.statistic - e.statistic) <= f.detail["bound"] + 1e-12, key
        elif test == "psi":  # exact on the same bins: Spark's counts are numpy's counts
            column = ref.numeric.get(name) or ref.predictions
            c_col = cur.numeric.get(name) or cur.predictions
            assert column is not None and c_col is not None
            edges = np.asarray(column.edges)
            assert column.counts == nm.bin_counts(_finite(ref_t, name), edges).tolist()
            assert c_col.counts == nm.bin_counts(_finite(cur_t, name), edges).tolist()
            values = _finite(cur_t, name)  # outside the reference's range: exact too
            assert (c_col.below, c_col.above) == (int((values < column.min).sum()),
                                                  int((values > column.max).sum())), key
            assert f.statistic == psi_mod.psi(column.counts, c_col.counts, 0.001).value
        else:  # chi-square, category PSI, unseen categories, null rate, z: exact
            assert f.statistic == pytest.approx(e.statistic, rel=1e-9, abs=1e-12), key
            assert (f.p_value is None) == (e.p_value is None), key
            if e.p_value is not None:
                assert f.p_value == pytest.approx(e.p_value, rel=1e-9, abs=1e-300), key
            assert (f.status, f.severity, f.detail.get("unseen_categories")) == (
                e.status, e.severity, e.detail.get("unseen_categories")), key
    assert cur.performance is not None
    bounds = {}
    for s in cur.performance.slices:
        if sum(s.positives) >= 2 and sum(s.negatives) >= 2:
            bounds[None if s.column is None else f"{s.column}={s.value}"] = wp.binned_auc(
                s.positives, s.negatives)[2]
    assert len(result.performance) == len(exact.performance)
    for m, e in zip(result.performance, exact.performance, strict=True):
        assert (m.name, m.segment, m.sample_size) == (e.name, e.segment, e.sample_size)
        if m.name == "roc_auc":
            assert abs(m.value - e.value) <= bounds[m.segment] + 1e-12  # type: ignore[operator]
        else:
            assert (m.value, m.ci_low, m.ci_high, m.p_value, m.p_adjusted is None) == (
                e.value, e.ci_low, e.ci_high, e.p_value, e.p_adjusted is None), m
    assert [(s.column, s.value, s.sample_size) for s in result.segments] == [
        (s.column, s.value, s.sample_size) for s in exact.segments]


def test_example_windows_agree_with_the_exact_engine(spark: Any, churn: Path) -> None:
    ref_p, cur_p = str(churn / "churn_reference.parquet"), str(churn / "churn_2024-02-01.parquet")
    ref, cur = _profiles(spark, ref_p, cur_p, **CHURN)
    rules = Rules(require_effect_size=True)
    result = compare(ref, cur, model="churn", window="w", rules=rules, baseline=BASELINE)
    ref_t, cur_t = pq.read_table(ref_p), pq.read_table(cur_p)
    exact = compute_result(ref_t, cur_t, model="churn", window="w", rules=rules,
                           baseline=BASELINE, **CHURN)
    _agrees(result, exact, ref, cur, ref_t, cur_t)
    # what the page acts on is the same: drifted features, the New Users AUC degradation
    assert result.drifted_features == exact.drifted_features
    assert result.recommended_action.action == exact.recommended_action.action
    assert result.recommended_action.basis == "roc_auc (segment user_segment=New Users)"
    assert ref.numeric["tenure_days"].rank_error > 0  # 20,000 rows: the sketch estimates


def test_partitioned_parquet_agrees_and_profiles_merge(
    spark: Any, synthetic: tuple[Path, Path]
) -> None:
    """The reference is profiled as one partitioned folder; the current window as the merge of
    its two day partitions' profiles, which must agree with the exact engine on all rows."""
    from govkit.monitoring.spark import profile

    ref_dir, cur_dir = synthetic
    roles = {k: v for k, v in SYNTH.items() if k != "features"}
    ref = profile(spark.read.parquet(str(ref_dir)), **SYNTH)
    assert ref.categorical["city"].kind == "high_cardinality"
    assert ref.categorical["city"].counts.get("__other__", 0) > 0
    frame = spark.read.parquet(str(cur_dir))
    parts = [profile(frame.where(frame.day == d), reference=ref, **roles)
             for d in ("2024-01-01", "2024-01-02")]
    cur = wp.merge(*parts)
    assert cur.rows == sum(p.rows for p in parts) == 2000
    result = compare(ref, cur, model="m", window="w", baseline=BASELINE)
    ref_t = pq.read_table(ref_dir).drop_columns(["day"])
    cur_t = pq.read_table(cur_dir).drop_columns(["day"])
    features = {"x": None, "k": None, "city": None, "color": None, "flag": None}
    exact = compute_result(ref_t, cur_t, model="m", window="w", baseline=BASELINE,
                           features=features, **roles)
    _agrees(result, exact, ref, cur, ref_t, cur_t)
    x = cur.numeric["x"]
    values = _finite(cur_t, "x")
    assert (x.count, x.min, x.max) == (values.shape[0], values.min(), values.max())
    assert x.mean == pytest.approx(values.mean(), rel=1e-12)
    assert x.m2 == pytest.approx(((values - values.mean()) ** 2).sum(), rel=1e-9)
    assert result.features[0].feature == "city"  # unseen "violet" in color is reported
    assert next(f for f in result.features if f.test == "new_categories").detail[
        "unseen_categories"] == ["violet"]
    auc = next(m for m in result.performance if m.name == "roc_auc")
    assert auc.method is not None
    assert auc.method.endswith("DeLong variance of the binned scores")


def _monitor(example: Path, *args: str) -> int:
    return main(["-C", str(example), "monitor", "churn", "--engine", "spark", *args])


def test_cli_writes_the_result_and_reuses_a_saved_reference_profile(
    spark: Any, churn: Path, example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from govkit.commands.build import build

    ref, cur = str(churn / "churn_reference.parquet"), str(churn / "churn_2024-02-01.parquet")
    saved = example.parent / "churn-reference.json"
    assert _monitor(example, "--reference", ref, "--current", cur, "--window", "2024-03-01",
                    "--save-profile", str(saved)) == 0
    target = example / "churn/monitoring/2024-03-01.json"
    first = json.loads(target.read_text())
    assert first["current"]["source"] == "profile"
    assert first["ks_method"].startswith("profile: KS statistic between the reference's Apache "
                                         "DataSketches KLL sketch (k = 1000)")
    assert json.loads(saved.read_text())["format"] == "govkit-window-profile/1"
    target.unlink()
    assert _monitor(example, "--reference", str(saved), "--current", cur,
                    "--window", "2024-03-01") == 0
    second = json.loads(target.read_text())
    first["reference"]["path"] = second["reference"]["path"] = None
    # issue 23, item 6: with the reference data, the KS of a column whose verdict the
    # sketch's bound could move is computed exactly; a saved profile cannot, and says so
    tests = ("features", "prediction_drift")
    refined = [f["feature"] for part in tests for f in first[part]
               if f["test"] == "ks" and f["detail"]["bound"] == 0.0]
    assert refined and "D was computed exactly" in first["ks_method"]
    for f in (*second["features"], *second["prediction_drift"]):
        assert ("sketch_may_decide" in f["detail"]) == (
            f["test"] == "ks" and f["feature"] in refined), f
    for result in (first, second):
        result["ks_method"] = None
        for part in tests:  # Holm adjusts every p-value with the refined KS ones
            result[part] = [{**f, "p_adjusted": None} for f in result[part]
                            if not (f["test"] == "ks" and f["feature"] in refined)]
    # only the current window was scanned, and given the reference profile every number is
    # deterministic (the KLL sketch is randomized, so a fresh reference may move within bounds)
    assert first == second
    build(example)
    page = (example.parent / "site/models/churn/monitoring/2024-03-01.md").read_text()
    assert "- **KS:** profile: KS statistic between the reference's Apache DataSketches" in page
    assert "- **AUC (all rows):** DeLong interval; one-sided z-test; AUC from scores in" in page
    # issue 23, item 6: the profile Spark saved is the local engine's reference too
    assert main(["-C", str(example), "monitor", "churn", "--reference", str(saved),
                 "--current", cur, "--window", "local"]) == 0
    assert (example / "churn/monitoring/local.json").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (["--reference", "no/such.parquet"], "--reference: no/such.parquet: no such file or folder"),
    (["--reference", "no_such_table"], "--reference: no_such_table: cannot read this table"),
    (["--labels", "plan"], "labels must be 0/1 or boolean, got string"),
    (["--labels-from", "x.parquet"], "--labels-from: is not available with --engine spark"),
])
def test_bad_input_exits_2_naming_the_problem(
    spark: Any, churn: Path, example: Path, capsys: pytest.CaptureFixture[str],
    args: list[str], message: str,
) -> None:
    base = {"--reference": str(churn / "churn_reference.parquet"),
            "--current": str(churn / "churn_2024-02-01.parquet")}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for kv in base.items() for x in kv]
    assert _monitor(example, *flat, "--window", "2024-03-01") == 2
    assert message in capsys.readouterr().err
    assert not (example / "churn/monitoring/2024-03-01.json").exists()
