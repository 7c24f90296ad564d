"""Small real MLflow sqlite stores, built fast: an empty store is created once per session
(MLflow's migrations take seconds) and copied for every test that needs its own."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MLMODEL_NO_SIGNATURE = """\
artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
mlflow_version: 3.0.0
"""


@dataclass
class SmallStore:
    uri: str
    path: Path  # the .db file
    client: Any
    experiment: str

    def add_version(
        self,
        model: str,
        metrics: dict[str, float],
        *,
        model_file: str | None = MLMODEL_NO_SIGNATURE,
        run_tags: dict[str, str] | None = None,
    ) -> str:
        """One run with `metrics` and a model folder (an MLmodel, or none when
        `model_file` is None), registered with no tags and no description."""
        files = self.path.parent / "files" / model
        shutil.rmtree(files, ignore_errors=True)
        (files / "model").mkdir(parents=True)
        if model_file is None:
            (files / "model" / "weights.bin").write_bytes(b"\x00")
        else:
            (files / "model" / "MLmodel").write_text(model_file)
        run = self.client.create_run(self.experiment, run_name=f"{model}-run", tags=run_tags)
        run_id = run.info.run_id
        for key, value in metrics.items():
            self.client.log_metric(run_id, key, value)
        self.client.log_artifacts(run_id, str(files))
        self.client.set_terminated(run_id)
        if not self.client.search_registered_models(f"name = '{model}'"):
            self.client.create_registered_model(model)
        mv = self.client.create_model_version(model, f"runs:/{run_id}/model", run_id=run_id)
        return str(mv.version)


def blank_store(root: Path) -> Path:
    """An MLflow sqlite store with its tables and nothing else."""
    from mlflow import MlflowClient

    db = root / "blank.db"
    uri = f"sqlite:///{db}"
    MlflowClient(uri, uri).search_experiments()
    return db


def new_store(blank: Path, root: Path, experiment: str = "plain") -> SmallStore:
    from mlflow import MlflowClient

    root.mkdir(parents=True, exist_ok=True)
    db = root / "mlflow.db"
    shutil.copy(blank, db)
    uri = f"sqlite:///{db}"
    client = MlflowClient(uri, uri)
    exp = client.create_experiment(experiment, artifact_location=(root / "artifacts").as_uri())
    return SmallStore(uri, db, client, exp)


def store_project(root: Path, blank: Path, registered_model: str, *, project: str,
                  extra: str = "") -> tuple[Path, SmallStore]:
    """A project of one model, `churn`, whose govkit.yaml points at its own store by a
    relative path (`extra`: more top-level govkit.yaml keys)."""
    store = new_store(blank, root / "store")
    (root / "govkit.yaml").write_text(
        f"project: {project}\nmlflow:\n  tracking_uri: sqlite:///store/mlflow.db\n{extra}"
        f"models:\n  - name: churn\n    mlflow:\n      registered_model: {registered_model}\n"
    )
    (root / "models" / "churn").mkdir(parents=True)
    (root / "models" / "churn" / "card.yaml").write_text(
        "title: Churn\nmetrics:\n  auc:\n    min: 0.8\n"
    )
    return root, store
