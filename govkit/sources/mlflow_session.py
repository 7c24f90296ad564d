"""The one place govkit changes MLflow's process-wide state, and puts it back.

MLflow 3 resolves logged models (`models:/...`, `runs:/...`) through its global
tracking/registry URI even when a client has its own, and reads its HTTP retry and
timeout settings from environment variables. `mlflow_session` sets both for the
duration of one read, under a lock so two reads never interleave, and restores exactly
what was there before (including variables that were unset).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Upper bounds for govkit's calls: a server that never answers costs at most
# (1 + retries) * timeout seconds plus about a second of jitter, i.e. ~17 s, which
# leaves room for starting Python and importing MLflow on a busy machine.
# A user's own lower value is kept.
CAPS = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": 1,
    "MLFLOW_HTTP_REQUEST_TIMEOUT": 8,
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": 1,
}
FIXED = {
    "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER": "false",  # a 503 may ask for minutes
    "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false",
}
BOUNDS = {**{k: str(v) for k, v in CAPS.items()}, **FIXED}
_URI_KEYS = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
_LOCK = threading.Lock()


@contextmanager
def mlflow_session(uri: str) -> Iterator[None]:
    """Point MLflow's global URIs at `uri` with bounded HTTP calls; restore on exit."""
    from mlflow.tracking._model_registry import utils as registry
    from mlflow.tracking._tracking_service import utils as tracking

    with _LOCK:
        env = {k: os.environ.get(k) for k in (*BOUNDS, *_URI_KEYS)}
        saved = (tracking._tracking_uri, registry._registry_uri)
        logger = logging.getLogger("mlflow")
        level = logger.level
        try:
            os.environ.update({k: _bounded(env[k], cap) for k, cap in CAPS.items()})
            os.environ.update(FIXED)
            logger.setLevel(logging.ERROR)  # MLflow's retry and credential warnings
            tracking.set_tracking_uri(uri)
            registry.set_registry_uri(uri)
            yield
        finally:
            tracking.set_tracking_uri(saved[0])  # type: ignore[arg-type]
            registry._registry_uri = saved[1]
            logger.setLevel(level)
            for key, value in env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _bounded(current: str | None, cap: int) -> str:
    try:
        value = int(current or "")
    except ValueError:
        return str(cap)
    return str(value) if 0 <= value <= cap else str(cap)
