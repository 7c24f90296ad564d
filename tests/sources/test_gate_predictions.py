"""Issue 23, items 1-3: the release gate on real MLflow stores whose runs log row-level
predictions with `log_table`, through `govkit ingest` and `govkit check --release`."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from govkit.cli import main
from tests.sources.stores import MLMODEL_NO_SIGNATURE, SmallStore, store_project

PREDICTIONS = """\
      predictions:
        columns: {prediction: prediction, score: score, segments: [plan]}
"""


def project(tmp_path: Path, blank_db: Path, card_metrics: str) -> tuple[Path, SmallStore]:
    root, store = store_project(tmp_path / "p", blank_db, "churn-model", project="gate")
    config = root / "govkit.yaml"
    config.write_text(config.read_text() + PREDICTIONS)
    (root / "models/churn/card.yaml").write_text(f"title: Churn\nmetrics:\n{card_metrics}")
    return root, store


def version(store: SmallStore, metrics: dict[str, float], table: dict[str, list[Any]],
            alias: str | None = None) -> str:
    """One finished run with `metrics` and its predictions table, registered."""
    client = store.client
    run_id = client.create_run(store.experiment).info.run_id
    for key, value in metrics.items():
        client.log_metric(run_id, key, value)
    client.log_table(run_id, table, "eval_results_table.json")
    files = store.path.parent / "files" / run_id
    (files / "model").mkdir(parents=True)
    (files / "model" / "MLmodel").write_text(MLMODEL_NO_SIGNATURE)
    client.log_artifacts(run_id, str(files))
    client.set_terminated(run_id)
    if not client.search_registered_models("name = 'churn-model'"):
        client.create_registered_model("churn-model")
    number = str(client.create_model_version("churn-model", f"runs:/{run_id}/model",
                                             run_id=run_id).version)
    if alias:
        client.set_registered_model_alias("churn-model", alias, number)
    return number


def run_gate(root: Path, capsys: pytest.CaptureFixture[str], spec: str) -> tuple[int, dict[str, Any]]:
    assert main(["-C", str(root), "ingest", "churn"]) in (0, 1)
    capsys.readouterr()
    code = main(["-C", str(root), "check", "--release", spec, "--format", "json"])
    out = capsys.readouterr().out
    return code, json.loads(out[out.index("{"):])


def rows(result: dict[str, Any], metric: str) -> dict[str | None, dict[str, Any]]:
    return {m["segment"]: m for m in result["metrics"] if m["metric"] == metric}


def table(ids: range, target: np.ndarray, prediction: np.ndarray, plan: list[str],
          score: np.ndarray | None = None) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"row_id": list(ids), "target": target.astype(int).tolist(),
                                 "prediction": prediction.astype(int).tolist(), "plan": plan}
    out["score"] = (score if score is not None else prediction * 0.8 + 0.1).tolist()
    return out


def test_a_segment_that_got_worse_fails_although_the_aggregate_holds(
        blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # item 1: basic 0.829 -> 0.712 (82 new errors), pro gains the same 82: aggregate equal
    root, store = project(tmp_path, blank_db, "  accuracy:\n    margin: 0.02\n")
    n_basic, n_pro = 700, 2300
    y = np.zeros(n_basic + n_pro)
    plan = ["basic"] * n_basic + ["pro"] * n_pro
    serving = y.copy()
    serving[:120] = 1                      # basic: 580 / 700 = 0.829 right
    serving[n_basic:n_basic + 400] = 1     # pro: 1900 / 2300 right
    candidate = serving.copy()
    candidate[120:202] = 1                 # 82 new errors in basic: 498 / 700 = 0.711
    candidate[n_basic:n_basic + 82] = 0    # 82 fixes in pro
    accuracy = float(np.mean(serving == y))
    version(store, {"accuracy": accuracy}, table(range(3000), y, serving, plan), "champion")
    version(store, {"accuracy": float(np.mean(candidate == y))},
            table(range(3000), y, candidate, plan))
    code, result = run_gate(root, capsys, "churn@2")
    found = rows(result, "accuracy")
    assert found[None]["verdict"] == "pass" and found[None]["test"] == "Tango score"
    basic = found["plan=basic"]
    assert basic["serving"] == pytest.approx(580 / 700) and basic["candidate"] == pytest.approx(498 / 700)
    assert basic["verdict"] == "regression" and basic["p_holm"] < 1e-10
    assert basic["p_holm"] >= basic["p"]
    assert found["plan=pro"]["verdict"] == "pass"
    assert code == 1 and result["passed"] is False
    record = yaml.safe_load((root / "models/churn/releases/2.yaml").read_text())
    assert record["training"]["predictions"]["rows"] == 3000
    assert record["training"]["predictions"]["segments"]["plan=basic"]["rows"] == n_basic


def test_forty_five_new_errors_and_no_fixes_fail_at_margin_zero(
        blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # item 2: the old gate treated the versions as independent (z = 1.02) and passed
    root, store = project(tmp_path, blank_db, "  accuracy: {}\n")
    n = 2000
    y = np.zeros(n)
    serving = y.copy()
    serving[:200] = 1
    candidate = serving.copy()
    candidate[200:245] = 1
    plan = ["all"] * n
    version(store, {"accuracy": 0.9}, table(range(n), y, serving, plan), "champion")
    version(store, {"accuracy": 1755 / 2000}, table(range(n), y, candidate, plan))
    code, result = run_gate(root, capsys, "churn@2")
    overall = rows(result, "accuracy")[None]
    assert overall["test"] == "exact McNemar"
    assert overall["p"] == pytest.approx(2.0 ** -45) and overall["p"] == pytest.approx(2.8e-14, rel=0.02)
    assert overall["verdict"] == "regression" and code == 1


def test_auc_without_shared_rows_uses_hanley_mcneil(
        blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # item 3: 4,000 rows, 125 positives: HM SE 0.0125 at AUC 0.9585, not 0.0032
    root, store = project(tmp_path, blank_db, "  val_auc:\n    kind: roc_auc\n")
    n, pos = 4000, 125
    y = np.zeros(n)
    y[:pos] = 1
    rng = np.random.default_rng(3)
    score = rng.random(n)
    plan = ["all"] * n
    version(store, {"val_auc": 0.9585}, table(range(n), y, y, plan, score), "champion")
    version(store, {"val_auc": 0.9585}, table(range(n, 2 * n), y, y, plan, score))
    code, result = run_gate(root, capsys, "churn@2")
    auc = rows(result, "val_auc")[None]
    q1, q2 = 0.9585 / (2 - 0.9585), 2 * 0.9585 ** 2 / (1 + 0.9585)
    hm = math.sqrt((0.9585 * 0.0415 + (pos - 1) * (q1 - 0.9585 ** 2)
                    + (n - pos - 1) * (q2 - 0.9585 ** 2)) / (pos * (n - pos)))
    assert hm == pytest.approx(0.0125, abs=5e-5)
    assert auc["test"] == "Hanley-McNeil" and auc["stderr"] == pytest.approx(math.hypot(hm, hm))
    assert "no shared row ids" in auc["basis"] and code == 0


def test_a_version_without_predictions_is_compared_unpaired_and_says_so(
        blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, store = project(tmp_path, blank_db, "  accuracy: {}\n")
    first = store.add_version("churn-model", {"accuracy": 0.9})
    store.client.set_registered_model_alias("churn-model", "champion", first)
    n = 400
    y = np.zeros(n)
    version(store, {"accuracy": 0.9}, table(range(n), y, y, ["a"] * 200 + ["b"] * 200))
    capsys.readouterr()
    main(["-C", str(root), "ingest", "churn"])
    out = capsys.readouterr()
    assert "run " in out.out + out.err and "has no artifact 'eval_results_table.json'" in (
        out.out + out.err)
    code, result = run_gate(root, capsys, "churn@2")
    found = rows(result, "accuracy")
    why = "the serving 1 recorded no predictions"
    assert why in found[None]["basis"] and found[None]["test"] == "point estimates"
    for segment in ("plan=a", "plan=b"):  # named by the candidate's record: visible rows
        assert found[segment]["verdict"] == "not_compared" and why in found[segment]["basis"]
    assert code == 0


def test_configuring_predictions_later_rereads_the_versions_that_logged_them(
        blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, store = project(tmp_path, blank_db, "  accuracy: {}\n")
    config = root / "govkit.yaml"
    config.write_text(config.read_text().replace(PREDICTIONS, ""))
    n = 50
    version(store, {"accuracy": 1.0}, table(range(n), np.zeros(n), np.zeros(n), ["a"] * n))
    assert main(["-C", str(root), "ingest", "churn", "--all"]) in (0, 1)
    release = root / "models/churn/releases/1.yaml"
    assert "predictions" not in yaml.safe_load(release.read_text())["training"]
    config.write_text(config.read_text() + PREDICTIONS)
    assert main(["-C", str(root), "ingest", "churn", "--all"]) in (0, 1)
    capsys.readouterr()
    main(["-C", str(root), "ingest", "churn", "--all", "--update"])
    assert yaml.safe_load(release.read_text())["training"]["predictions"]["rows"] == n
