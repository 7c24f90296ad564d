import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.monitoring.engine import build_reference_profile
from govkit.monitoring.profile import profile_from_json, profile_to_json
from govkit.schemas.rules import Rules
from govkit.sources.datasets import DatasetBatches, read_profile
from tests.monitoring.flat import compute_result

KW = {
    "model": "m",
    "window": "w",
    "predictions": "score",
    "labels": "y",
    "segments": ["seg"],
    "baseline": {"accuracy": 0.8, "roc_auc": 0.9},
}


def stats(res):
    return {
        (f.feature, f.test): (f.statistic, f.p_value, f.status)
        for f in (*res.features, *res.prediction_drift)
    }


def test_profile_round_trip_is_deterministic(tmp_path, windows):
    ref, _ = windows
    p = build_reference_profile(ref, predictions="score", labels="y", segments=["seg"])
    (tmp_path / "p.json").write_text(profile_to_json(p), encoding="utf-8")
    q = read_profile(tmp_path / "p.json")
    assert q == p
    assert profile_to_json(q) == (tmp_path / "p.json").read_text()
    assert (tmp_path / "p.json").stat().st_size < 200_000
    assert set(p.features) == {"x", "k", "c", "t", "e"}


def test_profile_statistics_exact_except_ks(windows):
    ref, cur = windows
    exact = compute_result(ref, cur, **KW)
    via = compute_result(load_like(ref), cur, **KW)
    a, b = stats(exact), stats(via)
    assert a.keys() == b.keys()
    for key, (s1, _p1, st1) in a.items():
        if key[1] == "ks":
            assert abs(s1 - b[key][0]) <= 1.5 / 2000
        else:
            assert s1 == pytest.approx(b[key][0], rel=1e-9, abs=1e-12), key
            assert st1 == b[key][2], key
    assert exact.performance == via.performance


def load_like(ref):
    p = build_reference_profile(ref, predictions="score", labels="y", segments=["seg"])
    return profile_from_json(profile_to_json(p))


def test_ks_sketch_approximation_bound():
    rng = np.random.default_rng(5)
    ref = pa.table({"x": rng.lognormal(0, 1, 300_000)})
    cur = pa.table({"x": rng.lognormal(0.05, 1.1, 100_000)})
    exact = compute_result(ref, cur, model="m", window="w")
    for size in (1000, 10_000):
        p = build_reference_profile(ref, rules=Rules(sketch_size=size))
        approx = compute_result(p, cur, model="m", window="w")
        d_exact = next(f for f in exact.features if f.test == "ks").statistic
        d_approx = next(f for f in approx.features if f.test == "ks").statistic
        assert abs(d_exact - d_approx) <= 1.5 / size
        assert abs(d_exact - d_approx) <= 0.01


def test_batches_agree_with_in_memory(tmp_path, windows):
    ref, cur = windows
    cur = cur.set_column(
        0,
        "x",
        pa.array([None if i % 50 == 0 else v for i, v in enumerate(cur.column("x").to_pylist())]),
    )
    folder = tmp_path / "current"
    folder.mkdir()
    for i, start in enumerate(range(0, cur.num_rows, 700)):
        pq.write_table(cur.slice(start, 700), folder / f"part-{i:03d}.parquet")
    profile = build_reference_profile(ref, predictions="score", labels="y", segments=["seg"])
    rules = Rules(batch_size=256)
    batched = compute_result(profile, DatasetBatches(folder), rules=rules, **KW)
    in_memory = compute_result(profile, cur, rules=rules, **KW)
    exact = compute_result(ref, cur, **KW)
    assert batched.current.rows == cur.num_rows and batched.current.source == "dataset"
    b, m, e = stats(batched), stats(in_memory), stats(exact)
    for key in e:
        assert b[key][0] == pytest.approx(m[key][0], rel=1e-9, abs=1e-12), key
        tol = 1.5 / 2000 if key[1] == "ks" else 1e-9
        assert b[key][0] == pytest.approx(e[key][0], rel=1e-9, abs=tol), key
    assert batched.performance == exact.performance
    assert batched.segments == exact.segments
    nulls = next(f for f in batched.features if f.feature == "x" and f.test == "null_rate")
    assert nulls.detail["current_null_rate"] == pytest.approx(60 / 3000)
