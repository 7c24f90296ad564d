"""Roles and types (findings 5, 6, 9): a column may hold several roles, role columns are not
features, timestamps are read the same from any storage and profiled as a time range."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from govkit.errors import MonitoringInputError
from govkit.monitoring.engine import build_reference_profile
from govkit.monitoring.timestamps import epoch_us
from govkit.schemas.rules import Rules
from tests.monitoring.flat import compute_result

KW = {"model": "m", "window": "w"}


def window(seed: int, n: int = 600, start: str = "2024-01-01") -> pa.Table:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    score = 1 / (1 + np.exp(-(2.0 * y + rng.normal(size=n) - 1.0)))
    base = np.datetime64(start)
    days = base + rng.integers(0, 28, n).astype("timedelta64[D]")
    return pa.table({
        "user_id": [f"u{seed}-{i}" for i in range(n)],
        "event_date": [str(d) for d in days],
        "x": rng.normal(size=n),
        "plan": rng.choice(["a", "b"], n),
        "y": y,
        "score": score,
        "pred": (score >= 0.5).astype(np.int64),
    })


@pytest.mark.parametrize("profile", [False, True])
def test_segment_can_be_the_label(profile: bool):
    ref, cur = window(1), window(2)
    reference = build_reference_profile(ref, predictions="score", labels="y", segments=["y"]) \
        if profile else ref
    res = compute_result(reference, cur, predictions="score", labels="y", segments=["y"],
                         baseline={"accuracy": 0.8, "roc_auc": 0.8}, **KW)
    segs = {(m.segment, m.name): m for m in res.performance}
    assert {s.value for s in res.segments} == {"0", "1"}
    assert segs[("y=1", "accuracy")].sample_size == int(np.sum(cur.column("y").to_numpy()))
    assert segs[("y=1", "roc_auc")].status == "not_evaluated"  # one class: no AUC
    assert "2 positives and 2 negatives" in (segs[("y=1", "roc_auc")].reason or "")
    assert "y" not in {f.feature for f in res.features}


def test_non_binary_label_that_is_also_a_segment_says_so():
    cur = window(2)
    cur = cur.set_column(cur.schema.get_field_index("y"), "y",
                         pa.array(np.arange(cur.num_rows) % 3))
    with pytest.raises(MonitoringInputError, match="3 classes"):
        compute_result(window(1), cur, predictions="score", labels="y", segments=["y"], **KW)


def test_role_columns_are_not_features_unless_listed():
    ref, cur = (w.drop_columns(["score"]) for w in (window(1), window(2)))
    res = compute_result(ref, cur, predictions="pred", labels="y",
                         segments=["plan"], ids=["user_id"], timestamp="event_date", **KW)
    tested = {f.feature for f in res.features if f.kind != "timestamp"}
    assert tested == {"x"}
    assert {f.test for f in res.prediction_drift} == {"chi_square", "category_psi"}
    assert {f.kind for f in res.prediction_drift} == {"categorical"}  # a 0/1 class
    listed = compute_result(window(1), window(2), features=["x", "plan"], segments=["plan"],
                            **KW)
    assert {f.feature for f in listed.features} == {"x", "plan"}


def test_timestamps_are_a_time_range_with_freshness():
    as_of = dt.datetime(2024, 3, 5, tzinfo=dt.UTC)
    res = compute_result(window(1), window(2, start="2024-02-01"), timestamp="event_date",
                         as_of=as_of, rules=Rules(max_age_hours=48), **KW)
    by_test = {f.test: f for f in res.features if f.feature == "event_date"}
    assert set(by_test) == {"time_range", "freshness", "null_rate"}
    rng = by_test["time_range"].detail
    assert rng["reference_min"] == "2024-01-01T00:00:00Z"
    assert str(rng["current_min"]).startswith("2024-02-")
    newest = dt.datetime.fromisoformat(str(by_test["freshness"].detail["newest"]))
    age = (as_of - newest).total_seconds() / 3600
    assert by_test["freshness"].statistic == pytest.approx(age)
    assert age > 48 and by_test["freshness"].status == "drift"
    assert by_test["freshness"].severity == "P3"
    unknown = compute_result(window(1), window(2), timestamp="event_date", **KW)
    (fresh,) = [f for f in unknown.features if f.test == "freshness"]
    assert fresh.statistic is None and fresh.status == "ok"


@pytest.mark.parametrize("values", [
    ["2024-02-01", None, "2024-02-03"],
    ["2024-02-01T00:00:00", None, "2024-02-03T00:00:00.000000"],
    ["2024-02-01T01:00:00+01:00", None, "2024-02-03T00:00:00Z"],
])
def test_every_time_storage_gives_the_same_microseconds(values: list[str | None]):
    want = np.array([1706745600e6, np.nan, 1706918400e6])
    text = pa.array(values)
    assert np.array_equal(epoch_us(text, "t", "f"), want, equal_nan=True)
    typed = [pa.array([dt.date(2024, 2, 1), None, dt.date(2024, 2, 3)]),
             pa.array([dt.datetime(2024, 2, 1), None, dt.datetime(2024, 2, 3)],
                      pa.timestamp("s")),
             pa.array([dt.datetime(2024, 2, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
                       None, dt.datetime(2024, 2, 3, tzinfo=dt.UTC)],
                      pa.timestamp("ns", tz="Europe/Paris"))]
    for arr in typed:
        assert np.array_equal(epoch_us(arr, "t", "f"), want, equal_nan=True)


def test_bad_timestamps_are_input_errors():
    cur = window(2)
    bad = cur.set_column(cur.schema.get_field_index("event_date"), "event_date",
                         pa.array(["2024-02-01", "yesterday"] * (cur.num_rows // 2)))
    with pytest.raises(MonitoringInputError, match="not ISO 8601 timestamps"):
        compute_result(window(1), bad, timestamp="event_date", **KW)
    with pytest.raises(MonitoringInputError, match="column 'stamp' not found"):
        compute_result(window(1), window(2), timestamp="stamp", **KW)
