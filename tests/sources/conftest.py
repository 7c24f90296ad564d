"""One real MLflow sqlite store per test session, built with MLflow's own API (no mocks)."""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

if TYPE_CHECKING:
    from tests.sources.tracking_server import TrackingServer

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


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
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
    import mlflow

    # Reads must not depend on the global URI: point it at a store that does not exist.
    nowhere = f"sqlite:///{root / 'no' / 'such.db'}"
    mlflow.set_tracking_uri(nowhere)
    mlflow.set_registry_uri(nowhere)
    return Store(uri=f"sqlite:///{root / 'mlflow.db'}", path=root, runs=runs)


def _build_store(root: Path) -> dict[str, str]:
    import mlflow
    from mlflow import MlflowClient

    uri = f"sqlite:///{root / 'mlflow.db'}"
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
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


_SERVER: list[TrackingServer] = []  # the tracking server started early, if any test needs it


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the real tracking server while other tests run, if a test will use it. Under
    pytest-xdist every worker collects every test, so the server starts in the worker that
    runs its test, when it does."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if any("tracking_server" in getattr(item, "fixturenames", ()) for item in session.items):
        from tests.sources.tracking_server import start_server

        _SERVER.append(start_server())


def pytest_sessionfinish(session: pytest.Session) -> None:
    while _SERVER:  # started early, never used (its tests deselected)
        _SERVER.pop().stop()


@pytest.fixture(scope="session")
def tracking_server() -> Iterator[TrackingServer]:
    from tests.sources.tracking_server import start_server

    server = _SERVER.pop() if _SERVER else start_server()
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
