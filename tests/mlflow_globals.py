"""MLflow's process-wide URIs, set for a block of test code and put back afterwards.

`mlflow.set_tracking_uri`, `set_registry_uri` and `set_experiment` also export
MLFLOW_TRACKING_URI, MLFLOW_REGISTRY_URI and MLFLOW_EXPERIMENT_ID for subprocesses; left set,
they send a later test's `train.py` or `mlflow server` to another store (tests/conftest.py
fails a test that leaks an MLFLOW_* variable)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def mlflow_globals(uri: str | None = None) -> Iterator[None]:
    """Inside: MLflow's global URIs are `uri` (unchanged when None); outside: as before,
    with every MLFLOW_* variable and the active experiment."""
    from mlflow.tracking import fluent
    from mlflow.tracking._model_registry import utils as registry
    from mlflow.tracking._tracking_service import utils as tracking

    env = {k: v for k, v in os.environ.items() if k.startswith("MLFLOW_")}
    saved = (tracking._tracking_uri, registry._registry_uri, fluent._active_experiment_id)
    try:
        if uri is not None:
            tracking.set_tracking_uri(uri)
            registry.set_registry_uri(uri)
        yield
    finally:
        tracking._tracking_uri, registry._registry_uri, fluent._active_experiment_id = saved
        for key in [k for k in os.environ if k.startswith("MLFLOW_") and k not in env]:
            del os.environ[key]
        os.environ.update(env)
