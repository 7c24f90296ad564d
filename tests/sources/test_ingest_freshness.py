"""Issue 23: `ingest --all` reads again what changed after a record was written, on a real
MLflow sqlite store: a predictions table logged to a finished run later, and a change of the
predictions `columns` in govkit.yaml. Incremental equals --full byte for byte afterwards.
(A history appended with the same last value over HTTP: tests/sources/test_mlflow_server.py.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from govkit.cli import main
from tests.conftest import snapshot
from tests.sources.test_gate_predictions import project, table, version


def _ingest(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(root), "ingest", "churn", "--all", *extra])
    out, err = capsys.readouterr()
    return code, out + err


def _full_equals_incremental(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    releases = root / "models/churn/releases"
    before = snapshot(releases)
    assert _ingest(root, capsys)[0] == 0
    assert _ingest(root, capsys, "--full")[0] == 0
    assert snapshot(releases) == before


def test_a_predictions_table_logged_after_the_record_is_read(
        blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, store = project(tmp_path, blank_db, "  accuracy: {}\n")
    number = store.add_version("churn-model", {"accuracy": 0.9})
    release = root / "models/churn/releases" / f"{number}.yaml"
    code, out = _ingest(root, capsys)
    assert "has no artifact 'eval_results_table.json'" in out
    assert "predictions" not in yaml.safe_load(release.read_text())["training"]
    run_id = yaml.safe_load(release.read_text())["training"]["run"]["id"]
    n = 60
    store.client.log_table(run_id, table(range(n), np.zeros(n), np.zeros(n), ["a"] * n),
                           "eval_results_table.json")  # the run finished long ago
    code, out = _ingest(root, capsys)
    assert code == 1 and "0 unchanged since their records, 1 updated" in out, out
    assert "predictions:" in out  # the diff shows what --update will write
    assert _ingest(root, capsys, "--update")[0] == 0
    assert yaml.safe_load(release.read_text())["training"]["predictions"]["rows"] == n
    _full_equals_incremental(root, capsys)


def test_a_change_of_the_predictions_columns_rereads_the_predictions(
        blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, store = project(tmp_path, blank_db, "  accuracy: {}\n")
    n = 40
    t = table(range(n), np.zeros(n), np.zeros(n), ["a"] * 10 + ["b"] * 30)
    t["tier"] = ["gold"] * 20 + ["silver"] * 20
    number = version(store, {"accuracy": 1.0}, t)
    release = root / "models/churn/releases" / f"{number}.yaml"
    assert _ingest(root, capsys)[0] == 0
    recorded = yaml.safe_load(release.read_text())["training"]["predictions"]
    assert set(recorded["segments"]) == {"plan=a", "plan=b"}
    assert recorded["columns"]["segments"] == ["plan"]
    config = root / "govkit.yaml"
    config.write_text(config.read_text().replace("segments: [plan]", "segments: [tier]"))
    code, out = _ingest(root, capsys)
    assert code == 1 and "1 updated" in out, out
    assert _ingest(root, capsys, "--update")[0] == 0
    recorded = yaml.safe_load(release.read_text())["training"]["predictions"]
    assert set(recorded["segments"]) == {"tier=gold", "tier=silver"}
    _full_equals_incremental(root, capsys)
