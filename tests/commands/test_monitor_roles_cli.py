"""`govkit monitor` roles and types end to end (findings 5, 6, 9)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from govkit.cli import main
from govkit.commands.build import build
from tests.conftest import snapshot


@pytest.fixture
def data(churn_windows: Path) -> Path:
    out = churn_windows
    rng = np.random.default_rng(6)
    for name, start in (("churn_reference", "2024-01-01"), ("churn_2024-02-01", "2024-01-25")):
        t = pq.read_table(out / f"{name}.parquet").slice(0, 3000)
        days = np.datetime64(start) + rng.integers(0, 7, t.num_rows).astype("timedelta64[D]")
        t = t.append_column("event_date", pa.array([str(d) for d in days]))  # text in Parquet
        t = t.append_column("user_id", pa.array([f"{name}-{i}" for i in range(t.num_rows)]))
        pq.write_table(t, out / f"{name}.small.parquet")
        pacsv.write_csv(t, out / f"{name}.small.csv")  # a CSV reader types it as a date
    return out


def _monitor(example: Path, *args: str) -> int:
    return main(["-C", str(example), "monitor", "churn", *args])


def test_csv_and_parquet_of_the_same_data_give_identical_results(
    example: Path, data: Path
) -> None:
    assert pacsv.read_csv(data / "churn_reference.small.csv").schema.field(
        "event_date").type == pa.date32()
    results = {}
    for fmt in ("parquet", "csv"):
        assert _monitor(example, "--window", f"2024-02-01-{fmt}", "--id", "user_id",
                        "--reference", str(data / f"churn_reference.small.{fmt}"),
                        "--current", str(data / f"churn_2024-02-01.small.{fmt}")) == 0
        result = json.loads((example / f"churn/monitoring/2024-02-01-{fmt}.json").read_text())
        for key in ("reference", "current", "window"):
            result.pop(key)
        results[fmt] = result
    assert results["parquet"] == results["csv"]
    kinds = {f["feature"]: f["kind"] for f in results["csv"]["features"]}
    assert kinds["event_date"] == "timestamp"
    assert "user_id" not in kinds


def test_segment_equal_to_label_through_the_cli(example: Path, data: Path) -> None:
    assert _monitor(example, "--window", "by-label", "--segment", "churned",
                    "--reference", str(data / "churn_reference.small.parquet"),
                    "--current", str(data / "churn_2024-02-01.small.parquet")) == 0
    result = json.loads((example / "churn/monitoring/by-label.json").read_text())
    assert {s["value"] for s in result["segments"]} == {"0", "1"}


def test_empty_flag_switches_off_a_configured_column(example: Path, data: Path) -> None:
    assert _monitor(example, "--window", "no-scores", "--predictions", "",
                    "--reference", str(data / "churn_reference.small.parquet"),
                    "--current", str(data / "churn_2024-02-01.small.parquet")) == 0
    result = json.loads((example / "churn/monitoring/no-scores.json").read_text())
    assert result["prediction_drift"] == [] and result["performance"] == []


@pytest.mark.parametrize(("args", "message"), [
    (["--timestamp", "when"], "column when: column 'when' not found"),
    (["--id", "nope"], "column nope: column 'nope' not found"),
    (["--timestamp", "plan"], "column plan: not ISO 8601 timestamps (e.g. 'basic')"),
])
def test_bad_role_columns_exit_2_and_write_nothing(
    example: Path, data: Path, capsys: pytest.CaptureFixture[str], args: list[str],
    message: str,
) -> None:
    before = snapshot(example)
    code = _monitor(example, "--window", "bad", *args,
                    "--reference", str(data / "churn_reference.small.parquet"),
                    "--current", str(data / "churn_2024-02-01.small.parquet"))
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err
    assert snapshot(example) == before


def test_non_binary_label_used_as_segment_exits_2(
    example: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    current = data / "churn_2024-02-01.small.parquet"
    t = pq.read_table(current)
    t = t.set_column(t.schema.get_field_index("churned"), "churned",
                     pa.array(np.arange(t.num_rows) % 3))
    pq.write_table(t, current)
    code = _monitor(example, "--window", "bad", "--segment", "churned",
                    "--reference", str(data / "churn_reference.small.parquet"),
                    "--current", str(current))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "column churned: labels have 3 classes" in err


def test_reference_predictions_through_the_cli(example: Path, data: Path) -> None:
    for name in ("churn_reference", "churn_2024-02-01"):
        path = data / f"{name}.small.parquet"
        t = pq.read_table(path)
        ref = np.clip(t.column("churn_score").to_numpy() + 0.02, 0, 1)
        pq.write_table(t.append_column("shadow_score", pa.array(ref)), path)
    assert _monitor(example, "--window", "shadow", "--reference-predictions", "shadow_score",
                    "--reference", str(data / "churn_reference.small.parquet"),
                    "--current", str(data / "churn_2024-02-01.small.parquet")) == 0
    result = json.loads((example / "churn/monitoring/shadow.json").read_text())
    versus = {f["test"]: f for f in result["prediction_drift"] if f["kind"] == "reference_model"}
    assert versus["mean_abs_difference"]["statistic"] < 0.021
    assert {f["status"] for f in versus.values()} == {"ok"}
    assert "shadow_score" not in {f["feature"] for f in result["features"]}


def test_labels_from_a_later_file_replace_the_estimate_and_keep_it(
    example: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Score today without labels (an estimate); join the labels when they arrive (measured,
    with the estimate kept beside it)."""
    scored = pq.read_table(data / "churn_2024-02-01.small.parquet")
    labels = scored.select(["user_id", "churned"]).take(
        np.random.default_rng(0).permutation(scored.num_rows))  # another order
    pq.write_table(labels, data / "labels.parquet")
    pq.write_table(scored.drop_columns(["churned"]), data / "unlabelled.parquet")
    ref = str(data / "churn_reference.small.parquet")
    cur = str(data / "unlabelled.parquet")
    assert _monitor(example, "--window", "early", "--reference", ref, "--current", cur) == 0
    early = json.loads((example / "churn/monitoring/early.json").read_text())
    assert early["performance"] == [] and early["labels_pending"] == "churned"
    assert "churned" not in {f["feature"] for f in early["features"]}
    assert [e["measured"] for e in early["estimated_performance"]] == [None] * 4
    assert _monitor(example, "--window", "late", "--labels-from", str(data / "labels.parquet"),
                    "--join-key", "user_id", "--reference", ref, "--current", cur) == 0
    late = json.loads((example / "churn/monitoring/late.json").read_text())
    assert late["labels_pending"] is None
    assert _monitor(example, "--window", "direct", "--reference", ref, "--current",
                    str(data / "churn_2024-02-01.small.parquet")) == 0
    direct = json.loads((example / "churn/monitoring/direct.json").read_text())
    assert late["performance"] == direct["performance"]  # same rows, same labels
    est = {e["name"]: e for e in late["estimated_performance"]}
    assert est["accuracy"]["value"] == early["estimated_performance"][0]["value"]
    assert est["accuracy"]["measured"] == next(
        m["value"] for m in late["performance"] if m["name"] == "accuracy" and not m["segment"])


def test_labels_from_bad_inputs_exit_2_and_write_nothing(
    example: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scored = pq.read_table(data / "churn_2024-02-01.small.parquet")
    twice = pa.concat_tables([scored.select(["user_id", "churned"])] * 2)
    pq.write_table(twice, data / "twice.parquet")
    ref = str(data / "churn_reference.small.parquet")
    pq.write_table(scored.drop_columns(["churned"]), data / "unlabelled.parquet")
    before = snapshot(example)
    for args, message in [
        (["--labels-from", str(data / "twice.parquet"), "--join-key", "user_id",
          "--current", str(data / "churn_2024-02-01.small.parquet")],
         "the window already has a 'churned' column"),
        (["--labels-from", str(data / "twice.parquet"),
          "--current", str(data / "churn_2024-02-01.small.parquet")], "needs --join-key"),
    ]:
        assert _monitor(example, "--window", "bad", "--reference", ref, *args) == 2
        assert message in capsys.readouterr().err
    assert _monitor(example, "--window", "bad", "--reference", ref, "--current",
                    str(data / "unlabelled.parquet"), "--labels-from",
                    str(data / "twice.parquet"), "--join-key", "user_id") == 2
    assert "join key 'user_id' repeats in the labels file" in capsys.readouterr().err
    assert snapshot(example) == before


def test_a_label_column_in_neither_window_is_still_an_error(
    example: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _monitor(example, "--window", "typo", "--labels", "churnd",
                    "--reference", str(data / "churn_reference.small.parquet"),
                    "--current", str(data / "churn_2024-02-01.small.parquet")) == 2
    assert "column churnd: column 'churnd' not found" in capsys.readouterr().err


def test_labels_from_reports_coverage_accepts_nullable_booleans_and_names_the_labels_file(
    example: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23, items 9 and 11: the join's coverage is in the result; boolean labels with
    some nulls are measured; a bad label, or a join matching no row, names the labels file."""
    scored = pq.read_table(data / "churn_2024-02-01.small.parquet")
    ref = str(data / "churn_reference.small.parquet")
    pq.write_table(scored.drop_columns(["churned"]), data / "unlabelled.parquet")
    cur = str(data / "unlabelled.parquet")
    y = [None if i % 10 == 0 else bool(v) for i, v in
         enumerate(scored.column("churned").to_pylist())]
    late = scored.select(["user_id"]).slice(0, 2500).append_column(
        "churned", pa.array(y[:2500], pa.bool_()))
    extra = pa.table({"user_id": ["nobody-1", "nobody-2"], "churned": [True, False]})
    pq.write_table(pa.concat_tables([late, extra]), data / "late.parquet")
    assert _monitor(example, "--window", "late", "--labels-from", str(data / "late.parquet"),
                    "--join-key", "user_id", "--reference", ref, "--current", cur) == 0
    result = json.loads((example / "churn/monitoring/late.json").read_text())
    assert result["label_join"] == {
        "file": os.path.relpath(data / "late.parquet"), "key": "user_id", "window_rows": 3000,
        "labels_rows": 2502, "matched_rows": 2500, "unlabelled_rows": 750,
        "unmatched_labels": 2, "duplicate_window_keys": 0}
    overall = [m for m in result["performance"] if not m["segment"]]
    assert overall and overall[0]["sample_size"] == 2250
    build(example)
    page = (example.parent / "site/models/churn/monitoring/late.md").read_text()
    assert "on user\\_id: 2500 of 3000 window rows matched" in page
    assert "- Window rows without a label (no matching key or a null label): 750" in page
    assert "- Labels matching no window row: 2 of 2502" in page

    pq.write_table(pa.table({"user_id": scored.column("user_id"),
                             "churned": [2] * scored.num_rows}), data / "three.parquet")
    pq.write_table(pa.table({"user_id": ["x", "y"], "churned": [0, 1]}), data / "none.parquet")
    before = snapshot(example)
    assert _monitor(example, "--window", "bad", "--labels-from", str(data / "three.parquet"),
                    "--join-key", "user_id", "--reference", ref, "--current", cur) == 2
    err = capsys.readouterr().err
    assert "binary labels must be 0/1" in err and "data/three.parquet" in err
    assert "unlabelled" not in err
    assert snapshot(example) == before
    # issue 23: labels that join no row: the window is written, performance not evaluated
    assert _monitor(example, "--window", "nomatch", "--labels-from", str(data / "none.parquet"),
                    "--join-key", "user_id", "--reference", ref, "--current", cur) == 0
    err = capsys.readouterr().err
    assert ("none.parquet: performance not evaluated (0 of 3000 window rows joined labels on "
            "'user_id'): check the labels file and --join-key user_id") in err
    result = json.loads((example / "churn/monitoring/nomatch.json").read_text())
    assert result["label_join"]["matched_rows"] == 0 and result["features"]
    assert result["performance"] and all(
        m["status"] == "not_evaluated" and m["reason"].startswith(
            "performance not evaluated (0 of 3000 window rows joined labels")
        for m in result["performance"])
    build(example)
    page = (example.parent / "site/models/churn/monitoring/nomatch.md").read_text()
    assert "0 of 3000 window rows matched" in page
    assert "- Performance not evaluated: no window row joined a label." in page
