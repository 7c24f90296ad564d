"""Ingest over HTTP from a real `mlflow server`; its request log proves what is read again.

A re-ingest of an unchanged registry lists the versions and reads nothing else; a changed
version is read again and only its record changes; a version deleted from the registry is
reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from govkit.cli import main
from tests.conftest import snapshot
from tests.sources.stores import MLMODEL_NO_SIGNATURE
from tests.sources.tracking_server import TrackingServer

MODEL = "served-churn"
# REST calls that read runs, metric histories, artifacts or model files.
READS = ("/runs/", "/metrics/", "artifacts", "get-download-uri")


def _log_version(client, experiment: str, files: Path, auc: list[float]) -> str:
    from mlflow.entities import Metric

    run = client.create_run(experiment, run_name=f"auc-{auc[-1]}")
    run_id = run.info.run_id
    client.log_batch(run_id, metrics=[Metric("auc", v, 1_700_000_000_000 + s, s)
                                      for s, v in enumerate(auc)])
    client.log_artifacts(run_id, str(files))
    client.set_terminated(run_id)
    mv = client.create_model_version(MODEL, f"runs:/{run_id}/model", run_id=run_id)
    return str(mv.version)


@pytest.fixture(scope="module")
def served(tracking_server: TrackingServer, tmp_path_factory: pytest.TempPathFactory):
    """Three versions logged over HTTP, each with a 3-step history, an MLmodel and a
    thresholds artifact."""
    from mlflow import MlflowClient

    files = tmp_path_factory.mktemp("files")
    (files / "model").mkdir()
    (files / "model" / "MLmodel").write_text(MLMODEL_NO_SIGNATURE)
    (files / "govkit").mkdir()
    (files / "govkit" / "thresholds.json").write_text(json.dumps({"auc": {"min": 0.7}}))
    client = MlflowClient(tracking_server.url, tracking_server.url)
    experiment = client.create_experiment("served")
    client.create_registered_model(MODEL, description="served over HTTP")
    for last in (0.8, 0.85, 0.9):
        _log_version(client, experiment, files, [0.6, 0.7, last])
    return client


def _project(root: Path) -> Path:
    (root / "models" / "churn").mkdir(parents=True)
    (root / "govkit.yaml").write_text(
        f"project: Served\nmodels:\n  - name: churn\n    mlflow:\n"
        f"      registered_model: {MODEL}\n"
    )
    (root / "models" / "churn" / "card.yaml").write_text("title: Churn\n")
    return root


def _ingest(server: TrackingServer, project: Path, capsys, *extra: str) -> tuple[int, str, list]:
    mark = server.mark()
    code = main(["-C", str(project), "ingest", "churn", "--all", "--tracking-uri", server.url,
                 *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, server.requests_since(mark)


def _reads(requests: list[str]) -> list[str]:
    return [r for r in requests if any(part in r for part in READS)]


def test_ingest_over_http_reads_again_only_what_changed(
    tracking_server: TrackingServer, served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path / "project")
    releases = project / "models" / "churn" / "releases"

    code, out, requests = _ingest(tracking_server, project, capsys)
    assert code == 0, out
    assert "registry: 0 unchanged since their records, 0 updated, 3 new, 0 deleted" in out
    record = yaml.safe_load((releases / "3.yaml").read_text())
    assert record["metrics"]["auc"] == {"value": 0.9, "min": 0.7, "source": "mlflow-run",
                                        "range_source": "mlflow-run"}
    assert record["training"]["metric_history"]["auc"]["values"] == [0.6, 0.7, 0.9]
    assert "model/MLmodel" in record["training"]["artifacts"]
    assert _reads(requests), "the first ingest reads runs, histories and artifacts"

    # Nothing changed: the version list and one batched run search (a finished run can
    # still be given metrics) are all that is read; no histories, no artifacts.
    before = snapshot(releases)
    code, out, requests = _ingest(tracking_server, project, capsys)
    assert code == 0, out
    assert "0 written, 3 unchanged" in out
    assert "registry: 3 unchanged since their records, 0 updated, 0 new, 0 deleted" in out
    assert _reads(requests) == ["POST /api/2.0/mlflow/runs/search"], requests
    assert sum("/model-versions/search" in r for r in requests) == 1, requests
    assert snapshot(releases) == before

    # One version's description changes in the registry: only it is read and rewritten.
    served.update_model_version(MODEL, "2", description="retrained on May data")
    run_2 = yaml.safe_load((releases / "2.yaml").read_text())["training"]["run"]["id"]
    code, out, requests = _ingest(tracking_server, project, capsys, "--update")
    assert code == 0, out
    assert "registry: 2 unchanged since their records, 1 updated, 0 new, 0 deleted" in out
    after = snapshot(releases)
    assert {name for name in after if after[name] != before[name]} == {"2.yaml"}
    assert yaml.safe_load(after["2.yaml"])["description"] == "retrained on May data"
    histories = [r for r in requests if "/metrics/get-history" in r]
    assert histories and all(run_2 in r for r in histories), requests
    assert sum("/runs/search" in r for r in requests) == 1, requests

    # A version deleted from the registry is reported and its record marked, not removed;
    # the other records stay as they are.
    served.delete_model_version(MODEL, "1")
    code, out, requests = _ingest(tracking_server, project, capsys)
    assert code == 0, out
    assert "registry: 2 unchanged since their records, 0 updated, 0 new, " \
           "1 deleted from the registry (1)" in out
    assert _reads(requests) == ["POST /api/2.0/mlflow/runs/search"], requests
    marked = snapshot(releases)
    assert {name for name in marked if marked[name] != after[name]} == {"1.yaml"}
    assert yaml.safe_load(marked["1.yaml"])["training"]["registry"]["deleted"] is True
    after = marked

    # --full reads everything again and finds the same records.
    code, out, requests = _ingest(tracking_server, project, capsys, "--full")
    assert code == 0, out
    assert "0 written, 2 unchanged" in out
    assert sum("/metrics/get-history" in r for r in requests) >= 2, requests
    assert snapshot(releases) == after


def test_a_history_appended_with_the_same_last_value_is_read_again_over_http(
    tracking_server: TrackingServer, served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 23: without bulk histories (HTTP), the latest step of each metric (in the run
    search already) shows a history appended after the record, even with the same value."""
    from mlflow.entities import Metric

    project = _project(tmp_path / "project")
    releases = project / "models" / "churn" / "releases"
    assert _ingest(tracking_server, project, capsys)[0] == 0
    newest = max(releases.glob("*.yaml"), key=lambda p: int(p.stem))
    record = yaml.safe_load(newest.read_text())
    last = record["training"]["metric_history"]["auc"]["values"][-1]
    served.log_batch(record["training"]["run"]["id"],
                     metrics=[Metric("auc", last, 1_700_000_009_000, 3)])
    code, out, _ = _ingest(tracking_server, project, capsys)
    assert code == 1 and "1 updated" in out, out
    assert _ingest(tracking_server, project, capsys, "--update")[0] == 0
    history = yaml.safe_load(newest.read_text())["training"]["metric_history"]["auc"]
    assert history["values"][-2:] == [last, last] and history["steps"][-1] == 3
    after = snapshot(releases)
    code, out, requests = _ingest(tracking_server, project, capsys)
    assert code == 0 and _reads(requests) == ["POST /api/2.0/mlflow/runs/search"], requests
    assert _ingest(tracking_server, project, capsys, "--full")[0] == 0
    assert snapshot(releases) == after
