"""govkit ingest of N registered versions vs the bare MlflowClient calls that fetch the same data.

    python benchmarks/ingest_scale.py [--versions 100] [--repeat 2] [--rebuild]
    python benchmarks/ingest_scale.py --versions 500     # the issue's size (~3 min to build)

Builds (once; cached under the temp dir) a sqlite MLflow store with one registered model
and N versions, each from its own run with params, three 30-step metric histories, a
dataset input, a `govkit/thresholds.json` artifact and an MLmodel with a signature (fixed
seed). Then, in the same process, times:

  baseline  the MlflowClient calls govkit needs: aliases, versions (paged), one
            search_runs per 100 runs, metric histories, artifact listings, thresholds
            and MLmodel downloads;
  full      `ingest_mlflow` of all versions into an empty folder (batched reads, building,
            validating, rendering and writing every release file);
  listing   the bare calls a steady-state ingest cannot avoid: aliases, the version list,
            the experiments;
  steady    `ingest_mlflow --update` into that folder after one version's description
            changed in the registry (only that version is read again).

and prints full against the bare calls (target: <= 20 ms per version) and steady against
the listing (target: under 2 s at 500 versions). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MODEL = "bench-churn"
SEED = 20240115
STEPS = 30
MLMODEL = """\
artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.sklearn
    python_version: 3.11.7
mlflow_version: 3.0.0
signature:
  inputs: '[{"type": "double", "name": "tenure", "required": true}, {"type": "double",
    "name": "spend", "required": true}, {"type": "long", "name": "tickets", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]'
  params: null
"""


def build_store(root: Path, versions: int) -> str:
    """Create the store with MLflow's API; idempotent via a marker file."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param

    uri = f"sqlite:///{root / 'store.db'}"
    marker = root / f"complete-{versions}"
    if marker.exists():
        return uri
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    files = root / "files"
    (files / "model").mkdir(parents=True)
    (files / "model" / "MLmodel").write_text(MLMODEL)
    client = MlflowClient(uri, uri)
    mlflow.set_tracking_uri(uri)
    exp = client.create_experiment("bench", artifact_location=(root / "artifacts").as_uri())
    client.create_registered_model(MODEL, description="benchmark model")
    rng = np.random.default_rng(SEED)
    frame = _frame(rng)
    dataset = mlflow.data.from_pandas(frame, source="data/bench.csv", name="bench")
    from mlflow.entities import DatasetInput, InputTag

    started = time.perf_counter()
    for i in range(versions):
        run = client.create_run(exp, run_name=f"run-{i}", tags={"mlflow.user": "bench"})
        rid = run.info.run_id
        ts = 1_700_000_000_000 + i * 60_000
        metrics = [
            Metric(key, float(v), ts + step, step)
            for key, curve in _curves(rng).items()
            for step, v in enumerate(curve)
        ]
        params = [Param("learning_rate", f"{0.01 * (1 + i % 10):.2f}"), Param("depth", str(i % 7))]
        client.log_batch(rid, metrics=metrics, params=params)
        client.log_inputs(rid, [DatasetInput(dataset._to_mlflow_entity(),
                                             [InputTag("mlflow.data.context", "training")])])
        (files / "govkit").mkdir(exist_ok=True)
        (files / "govkit" / "thresholds.json").write_text(json.dumps({"auc": {"min": 0.7}}))
        client.log_artifacts(rid, str(files))
        client.set_terminated(rid, end_time=ts + 90_000)
        client.create_model_version(MODEL, f"runs:/{rid}/model", run_id=rid,
                                    description=f"version {i + 1}")
        if (i + 1) % 100 == 0:
            print(f"  built {i + 1}/{versions} versions ({time.perf_counter() - started:.0f} s)")
    client.set_registered_model_alias(MODEL, "champion", str(versions))
    marker.write_text("ok\n")
    return uri


def _frame(rng: np.random.Generator) -> Any:
    import pandas as pd

    return pd.DataFrame({"tenure": rng.normal(size=100), "spend": rng.normal(size=100),
                         "tickets": rng.integers(0, 5, 100)})


def _curves(rng: np.random.Generator) -> dict[str, np.ndarray]:
    x = np.arange(STEPS)
    return {
        "auc": 0.9 - 0.2 * np.exp(-x / 8) + rng.normal(0, 0.003, STEPS),
        "loss": 0.3 + 0.7 * np.exp(-x / 6) + rng.normal(0, 0.01, STEPS),
        "accuracy": 0.85 - 0.15 * np.exp(-x / 7) + rng.normal(0, 0.003, STEPS),
    }


def registry_and_runs(client: Any) -> tuple[list[Any], dict[str, Any]]:
    """What a careful user fetches first, batched: the model (its aliases), every version
    (paged) and their runs, 100 a search_runs call."""
    from mlflow.entities import ViewType

    client.get_registered_model(MODEL)  # aliases
    versions: list[Any] = []
    token = None
    while True:
        page = client.search_model_versions(f"name = '{MODEL}'", page_token=token)
        versions.extend(page)
        token = page.token
        if not token:
            break
    experiments = [e.experiment_id for e in client.search_experiments(view_type=ViewType.ALL)]
    ids = sorted({v.run_id for v in versions})
    runs = {}
    for start in range(0, len(ids), 100):
        chunk = ids[start : start + 100]
        quoted = ", ".join(f"'{r}'" for r in chunk)
        for run in client.search_runs(experiments, f"attributes.run_id IN ({quoted})",
                                      run_view_type=ViewType.ALL, max_results=len(chunk)):
            runs[run.info.run_id] = run
    return versions, runs


def baseline(uri: str) -> int:
    """The bare client calls that fetch what govkit reads; returns a count to keep it honest."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.artifacts import download_artifacts
    from mlflow.models import get_model_info

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    client = MlflowClient(uri, uri)
    client.search_registered_models(max_results=1)
    versions, runs = registry_and_runs(client)
    count = 0
    for v in versions:
        run = runs[v.run_id]
        for key in run.data.metrics:
            count += len(client.get_metric_history(run.info.run_id, key))
        stack: list[str | None] = [None]
        while stack:
            for item in client.list_artifacts(run.info.run_id, stack.pop()):
                if item.is_dir:
                    stack.append(item.path)
                else:
                    count += 1
        with tempfile.TemporaryDirectory() as tmp:
            local = download_artifacts(run_id=run.info.run_id, tracking_uri=uri, dst_path=tmp,
                                       artifact_path="govkit/thresholds.json")
            count += len(json.loads(Path(local).read_text()))
        count += get_model_info(f"models:/{MODEL}/{v.version}").signature is not None
    return count


def listing(uri: str) -> int:
    """The bare calls a steady-state ingest makes: aliases, versions (paged), experiments."""
    from mlflow import MlflowClient
    from mlflow.entities import ViewType

    client = MlflowClient(uri, uri)
    client.search_registered_models(max_results=1)
    client.get_registered_model(MODEL)
    count, token = 0, None
    while True:
        page = client.search_model_versions(f"name = '{MODEL}'", page_token=token)
        count += len(page)
        token = page.token
        if not token:
            break
    return count + len(client.search_experiments(view_type=ViewType.ALL))


def full_and_steady(uri: str, versions: int, round_: int) -> tuple[float, float]:
    """Seconds for a full ingest into an empty folder, then for an ingest after one version
    changed in the registry."""
    from mlflow import MlflowClient

    from govkit.commands.ingest import ingest_mlflow

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        result = ingest_mlflow(out, MODEL, uri)
        full = time.perf_counter() - start
        assert len(result.written) == versions, result
        changed = str(1 + round_ % versions)
        MlflowClient(uri, uri).update_model_version(
            MODEL, changed, description=f"changed in round {round_} ({time.time_ns()})")
        start = time.perf_counter()
        result = ingest_mlflow(out, MODEL, uri, update=True)
        steady = time.perf_counter() - start
        assert result.registry is not None and result.registry.updated == (changed,), result
        assert [p.name for p in result.written] == [f"{changed}.yaml"], result.written
    return full, steady


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2, help="timed rounds (best is kept)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached store")
    args = parser.parse_args()
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore")
    os.environ["MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR"] = "false"  # for both sides
    root = Path(tempfile.gettempdir()) / f"govkit-bench-ingest-{args.versions}"
    if args.rebuild:
        shutil.rmtree(root, ignore_errors=True)
    t0 = time.perf_counter()
    uri = build_store(root, args.versions)
    print(f"store: {uri} ({args.versions} versions, ready in {time.perf_counter() - t0:.1f} s)")
    baseline(uri)  # warm-up: imports, sqlite page cache, schema checks
    full_and_steady(uri, args.versions, 0)
    times: dict[str, list[float]] = {"baseline": [], "listing": [], "full": [], "steady": []}
    for round_ in range(1, args.repeat + 1):
        start = time.perf_counter()
        baseline(uri)
        times["baseline"].append(time.perf_counter() - start)
        start = time.perf_counter()
        listing(uri)
        times["listing"].append(time.perf_counter() - start)
        full, steady = full_and_steady(uri, args.versions, round_)
        times["full"].append(full)
        times["steady"].append(steady)
    base, ours = min(times["baseline"]), min(times["full"])
    listed, steady = min(times["listing"]), min(times["steady"])
    n = args.versions
    print(f"bare MlflowClient calls, per run (as govkit made them before): {base:.2f} s  "
          f"({1000 * base / n:.1f} ms/version)")
    print(f"govkit full ingest (batched reads + records + write):           {ours:.2f} s  "
          f"({1000 * ours / n:.1f} ms/version; target <= 20)")
    print(f"ratio full/bare calls: {ours / base:.3f}")
    print(f"bare version list (aliases, versions, experiments):             {listed:.2f} s")
    print(f"govkit steady-state ingest, one version changed:                {steady:.2f} s  "
          f"(target < 2 s at 500 versions; ratio to the listing {steady / listed:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
