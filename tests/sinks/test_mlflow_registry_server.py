"""`govkit publish mlflow` and `govkit ingest` over HTTP against a real `mlflow server`
(sqlite backend, proxied artifacts), read back with MlflowClient through the same server."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main
from govkit.exports.mlflow_summary import BEGIN, END
from tests.conftest import snapshot
from tests.sources.stores import MLMODEL_NO_SIGNATURE
from tests.sources.tracking_server import TrackingServer

MODEL = "published-churn"


def _version(client, experiment: str, files: Path, auc: float) -> str:
    run = client.create_run(experiment, run_name=f"auc-{auc}")
    client.log_metric(run.info.run_id, "auc", auc)
    client.log_artifacts(run.info.run_id, str(files))
    client.set_terminated(run.info.run_id)
    return str(client.create_model_version(MODEL, f"runs:/{run.info.run_id}/model",
                                           run_id=run.info.run_id).version)


def test_publish_then_ingest_over_http(tracking_server: TrackingServer, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_server.url, tracking_server.url)
    files = tmp_path / "files"
    (files / "model").mkdir(parents=True)
    (files / "model" / "MLmodel").write_text(MLMODEL_NO_SIGNATURE)
    experiment = client.create_experiment("published")
    client.create_registered_model(MODEL)
    for auc in (0.9, 0.7):
        _version(client, experiment, files, auc)
    client.update_model_version(MODEL, "1", description="Trained by Ana.")

    root = tmp_path / "project"
    (root / "models" / "churn").mkdir(parents=True)
    (root / "govkit.yaml").write_text(
        f"project: p\nsite_url: https://cards.example.org/\nmlflow:\n  tracking_uri: "
        f"{tracking_server.url}\nmodels:\n  - name: churn\n    mlflow:\n"
        f"      registered_model: {MODEL}\n")
    (root / "models" / "churn" / "card.yaml").write_text("title: Churn\nmetrics:\n  auc:\n"
                                                         "    min: 0.8\n")
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    releases = root / "models" / "churn" / "releases"
    recorded = snapshot(releases)

    mark = tracking_server.mark()
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--all"]) == 0
    assert "2 version(s) changed" in capsys.readouterr().out
    writes = [r for r in tracking_server.requests_since(mark)
              if r.startswith(("PATCH", "POST /api/2.0/mlflow/model-versions/set-tag",
                               "PUT"))]
    assert any(r.startswith("PATCH /api/2.0/mlflow/model-versions/update") for r in writes)
    assert any("mlflow-artifacts/artifacts" in r for r in writes), writes  # card, proxied

    one = client.get_model_version(MODEL, "1")
    assert one.description.startswith("Trained by Ana.\n\n" + BEGIN)
    assert one.description.endswith(END) and "| auc | all | 0.9 | ≥ 0.80 | pass |" in \
        one.description
    assert one.tags["govkit.status"] == "pass"
    assert client.get_model_version(MODEL, "2").tags["govkit.failing"] == "1"
    card = client.download_artifacts(one.run_id, "govkit/card.md", str(tmp_path))
    assert "# Model Card for Churn" in Path(card).read_text(encoding="utf-8")

    # the second publish writes nothing; the ingest after it finds every record current
    mark = tracking_server.mark()
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--all"]) == 0
    assert "0 version(s) changed, 2 unchanged" in capsys.readouterr().out
    assert not [r for r in tracking_server.requests_since(mark)
                if r.startswith(("PATCH", "PUT", "DELETE")) or "set-tag" in r]
    assert main(["-C", str(root), "ingest", "churn", "--update"]) == 0
    out = capsys.readouterr().out
    assert "registry: 2 unchanged since their records, 0 updated" in out, out
    assert snapshot(releases) == recorded
