"""One real MLflow sqlite store per test session, built with MLflow's own API (no mocks)."""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests.mlflow_globals import mlflow_globals

MODEL = "churn-test"
BROKEN = "churn-broken"


@dataclass(frozen=True)
class Store:
    uri: str
    path: Path
    runs: dict[str, str]  # label -> run id


def _train_run(mlflow, label: str, lr: float, steps: int, seed: int) -> str:
    from mlflow.models import infer_signature
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    x = rng.normal(size=(200, 3))
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.normal(scale=0.5, size=200) > 0).astype(int)
    import pandas as pd

    frame = pd.DataFrame(x, columns=["tenure", "spend", "tickets"])
    model = LogisticRegression(C=lr).fit(frame, y)
    with mlflow.start_run(run_name=label) as run:
        mlflow.set_tag("mlflow.source.git.commit", f"abc{seed:04d}")
        mlflow.set_tag("team", "retention")
        mlflow.log_params({"C": lr, "solver": "lbfgs"})
        for step in range(steps):
            mlflow.log_metric("auc", 0.7 + 0.02 * step, step=step)
            mlflow.log_metric("train/loss", 1.0 / (step + 1), step=step)
        mlflow.log_metric("accuracy", 0.81)
        ds = mlflow.data.from_pandas(
            frame.assign(churned=y), source="/data/churn.parquet", name="churn", targets="churned"
        )
        mlflow.log_input(ds, context="training")
        mlflow.log_dict({"auc": {"min": 0.75}}, "govkit/thresholds.json")
        mlflow.set_tag("govkit.threshold.accuracy.min", "0.8")
        sig = infer_signature(frame, model.predict_proba(frame)[:, 1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mlflow.sklearn.log_model(
                model, name="model", signature=sig, serialization_format="cloudpickle"
            )
        return str(run.info.run_id)


@pytest.fixture
def store(shared_store: Store) -> Iterator[Store]:
    """The shared store; during the test MLflow's global URIs point at a store that does not
    exist, so reads cannot depend on them (put back after the test)."""
    with mlflow_globals(f"sqlite:///{shared_store.path / 'no' / 'such.db'}"):
        yield shared_store


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """One store for the whole run: built by the first xdist worker that needs it (under a
    file lock), read by the others. Tests only read it."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "mlflow-store"
    with FileLock(str(shared / "mlflow-store.lock")):
        done = root / "runs.json"
        if done.is_file():
            runs = json.loads(done.read_text())
        else:
            root.mkdir()
            runs = _build_store(root)
            done.write_text(json.dumps(runs))
    return Store(uri=f"sqlite:///{root / 'mlflow.db'}", path=root, runs=runs)


def _build_store(root: Path) -> dict[str, str]:
    uri = f"sqlite:///{root / 'mlflow.db'}"
    with mlflow_globals(uri):  # the runs are made with MLflow's fluent API
        return _fill_store(root, uri)


def _fill_store(root: Path, uri: str) -> dict[str, str]:
    import mlflow
    from mlflow import MlflowClient

    exp = mlflow.create_experiment("churn", artifact_location=(root / "artifacts").as_uri())
    mlflow.set_experiment(experiment_id=exp)
    client = MlflowClient(uri, uri)
    runs = {
        "v1": _train_run(mlflow, "v1", 0.5, 4, 1),
        "v2": _train_run(mlflow, "v2", 1.0, 6, 2),
        "gone": _train_run(mlflow, "gone", 0.1, 2, 3),
    }
    with mlflow.start_run(run_name="nan") as nan_run:
        mlflow.log_metric("auc", math.nan)
    runs["nan"] = nan_run.info.run_id

    client.create_registered_model(MODEL, description="Churn model for tests")
    for label in ("v1", "v2"):
        client.create_model_version(
            MODEL,
            f"runs:/{runs[label]}/model",
            run_id=runs[label],
            description=f"release {label}",
            tags={"reviewed": "yes"},
        )
    client.set_registered_model_alias(MODEL, "champion", "2")
    client.set_registered_model_alias(MODEL, "challenger", 1)  # int alias version on purpose

    client.create_registered_model(BROKEN)
    client.create_model_version(BROKEN, f"runs:/{runs['gone']}/model", run_id=runs["gone"])
    client.create_model_version(BROKEN, f"runs:/{runs['nan']}/model", run_id=runs["nan"])
    client.delete_run(runs["gone"])
    return runs


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    d = tmp_path / "models" / "churn"
    d.mkdir(parents=True)
    return d


def read_json(path: Path) -> object:
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def blank_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.sources.stores import blank_store

    return blank_store(tmp_path_factory.mktemp("blank"))
