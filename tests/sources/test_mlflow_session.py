"""govkit's MLflow global state is confined to one context manager that restores it exactly."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest

from govkit.commands.ingest import ingest_mlflow
from govkit.sources.mlflow_session import BOUNDS, CAPS, FIXED, mlflow_session
from tests.sources.conftest import MODEL, Store

URI_KEYS = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
KEYS = (*BOUNDS, *URI_KEYS)


def _globals() -> tuple[object, object]:
    from mlflow.tracking._model_registry import utils as registry
    from mlflow.tracking._tracking_service import utils as tracking

    return tracking._tracking_uri, registry._registry_uri


def _state() -> tuple[object, ...]:
    env = tuple((k, os.environ.get(k)) for k in KEYS)
    return (*_globals(), env, logging.getLogger("mlflow").level)


@pytest.fixture(params=["unset", "set"])
def before(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """MLflow's globals and env vars either all unset or all set to a user's own values."""
    from mlflow.tracking._model_registry import utils as registry
    from mlflow.tracking._tracking_service import utils as tracking

    user = "sqlite:////somewhere/user.db" if request.param == "set" else None
    monkeypatch.setattr(tracking, "_tracking_uri", user)
    monkeypatch.setattr(registry, "_registry_uri", user)
    for key in KEYS:
        if user is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, user if key in URI_KEYS else "true" if key in FIXED else "99")
    return _state()


def test_session_sets_uri_and_bounds_then_restores_exactly(before: tuple) -> None:
    import mlflow

    with mlflow_session("sqlite:////store/mlflow.db"):
        assert mlflow.get_tracking_uri() == "sqlite:////store/mlflow.db"
        assert mlflow.get_registry_uri() == "sqlite:////store/mlflow.db"
        assert os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == BOUNDS[
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES"
        ]
        assert int(os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"]) <= 8
        assert os.environ["MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER"] == "false"
    assert _state() == before


def test_bound_for_a_server_that_never_answers_is_under_30_s() -> None:
    attempts = 1 + CAPS["MLFLOW_HTTP_REQUEST_MAX_RETRIES"]
    # backoff: none before the first retry (urllib3 2), plus up to 1 s of jitter per retry;
    # Python and MLflow need up to ~10 s more to start on a busy machine
    assert attempts * CAPS["MLFLOW_HTTP_REQUEST_TIMEOUT"] + attempts + 10 < 30


def test_session_restores_after_an_exception(before: tuple) -> None:
    with pytest.raises(KeyError), mlflow_session("sqlite:////store/mlflow.db"):
        raise KeyError("inside")
    assert _state() == before


def test_a_users_lower_timeout_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "3")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "abc")  # not a number: bounded
    with mlflow_session("sqlite:////store/mlflow.db"):
        assert os.environ["MLFLOW_HTTP_REQUEST_TIMEOUT"] == "3"
        assert os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == BOUNDS[
            "MLFLOW_HTTP_REQUEST_MAX_RETRIES"
        ]
    assert os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] == "abc"


def test_two_sessions_never_interleave(before: tuple) -> None:
    import mlflow

    a_inside, release, b_entered = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, str] = {}

    def first() -> None:
        with mlflow_session("sqlite:////a.db"):
            a_inside.set()
            release.wait(5)
            seen["a"] = mlflow.get_tracking_uri()

    def second() -> None:
        a_inside.wait(5)
        with mlflow_session("sqlite:////b.db"):
            b_entered.set()
            seen["b"] = mlflow.get_tracking_uri()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    assert a_inside.wait(5)
    assert not b_entered.wait(0.3), "a second session entered while the first was open"
    release.set()
    for t in threads:
        t.join(10)
    assert seen == {"a": "sqlite:////a.db", "b": "sqlite:////b.db"}
    assert _state() == before


def test_ingest_leaves_no_mlflow_state_behind(
    store: Store, model_dir: Path, before: tuple
) -> None:
    ingest_mlflow(model_dir, MODEL, store.uri, version="1")
    assert _state() == before
