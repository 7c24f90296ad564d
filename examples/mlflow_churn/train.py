"""Train three versions of a small churn model and register them in a local MLflow store.

    python examples/mlflow_churn/train.py [--tracking-uri URI] [--fresh]

Logs parameters, per-stage metric histories (validation AUC and training loss for every
boosting stage), training/evaluation dataset inputs, a model signature, a
`govkit/thresholds.json` artifact, a `govkit.threshold.*` tag and the held-out rows'
predictions (`eval_results_table.json`, via `mlflow.log_table`), then registers
versions 1, 2 and 3 of `churn-sklearn` and points the `champion` alias at version 2
(the serving version; 3 is a newer candidate). Before them, a small learning-rate
sweep (a parent run with nested runs, not registered).
The data and the logged numbers are the same on every run (fixed seeds); if the model is
already registered the script leaves the store alone (use --fresh to rebuild it).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
MODEL = "churn-sklearn"
SEED = 7
VERSIONS = [  # (description, hyperparameters)
    ("Baseline: shallow trees, slow learning rate.",
     {"n_estimators": 40, "learning_rate": 0.05, "max_depth": 2, "subsample": 1.0}),
    ("Deeper trees and more stages; promoted to champion.",
     {"n_estimators": 80, "learning_rate": 0.1, "max_depth": 3, "subsample": 0.8}),
    ("Candidate: more stages at a higher learning rate; not promoted yet.",
     {"n_estimators": 120, "learning_rate": 0.2, "max_depth": 3, "subsample": 0.8}),
]
CHAMPION = 2  # the serving version; 3 stays a candidate
FEATURES = ["tenure_months", "monthly_spend", "sessions_30d", "support_tickets", "annual_plan"]


def make_data(rows: int = 4000) -> pd.DataFrame:
    """Synthetic subscription users; churn depends on engagement, tickets and plan."""
    rng = np.random.default_rng(SEED)
    tenure = rng.integers(1, 60, rows)
    spend = np.round(rng.gamma(4.0, 8.0, rows), 2)
    sessions = rng.poisson(12, rows)
    tickets = rng.poisson(0.8, rows)
    annual = rng.random(rows) < 0.35
    logit = (2.0 - 0.06 * tenure - 0.15 * sessions + 0.9 * tickets - 1.5 * annual
             + 0.01 * spend + rng.normal(0, 0.3, rows))
    churned = (rng.random(rows) < 1 / (1 + np.exp(-2.5 * logit))).astype(np.int64)
    return pd.DataFrame({
        "tenure_months": tenure.astype(np.float64), "monthly_spend": spend,
        "sessions_30d": sessions.astype(np.float64), "support_tickets": tickets.astype(np.float64),
        "annual_plan": annual.astype(np.float64), "churned": churned,
    })


def top_decile(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """Precision and recall among the 10% highest scores."""
    top = np.argsort(-score, kind="stable")[: len(score) // 10]
    hits = float(y[top].sum())
    return hits / len(top), hits / float(y.sum())


# Runs carry fixed start and end times (a day apart), so the experiment log that
# `govkit ingest-experiment` writes from a fresh store has the same dates every time.
DAY_MS = 86_400_000
FIRST_RUN_MS = 1_704_880_800_000  # 2024-01-10T10:00:00Z
SWEEP = [0.05, 0.2]  # learning rates of the nested sweep runs


def _start(mlflow, name: str, day: int, parent: str | None = None):
    """A run started at a fixed time (MLflow stamps `now` otherwise)."""
    tags = {"mlflow.parentRunId": parent} if parent else None
    run = mlflow.MlflowClient().create_run(
        mlflow.get_experiment_by_name("churn").experiment_id,
        start_time=FIRST_RUN_MS + day * DAY_MS, run_name=name, tags=tags)
    return run.info.run_id


def _finish(mlflow, run_id: str, day: int) -> None:
    mlflow.MlflowClient().set_terminated(run_id, "FINISHED",
                                         end_time=FIRST_RUN_MS + day * DAY_MS + 600_000)


def learning_rate_sweep(mlflow, frame: pd.DataFrame, day: int) -> None:
    """A small sweep: a parent run with one nested run per learning rate (not registered)."""
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    train, valid = train_test_split(frame, test_size=0.25, random_state=SEED,
                                    stratify=frame["churned"])
    parent = _start(mlflow, "sweep-learning-rate", day)
    best = 0.0
    for rate in SWEEP:
        child = _start(mlflow, f"lr-{rate}", day, parent)
        params = {"n_estimators": 20, "learning_rate": rate, "max_depth": 2}
        model = GradientBoostingClassifier(random_state=SEED, **params).fit(
            train[FEATURES], train["churned"])
        auc = float(roc_auc_score(valid["churned"], model.predict_proba(valid[FEATURES])[:, 1]))
        best = max(best, auc)
        with mlflow.start_run(run_id=child):
            mlflow.log_params(params)
            mlflow.log_metric("val_auc", auc)
        _finish(mlflow, child, day)
    with mlflow.start_run(run_id=parent):
        mlflow.log_params({"sweep": "learning_rate", "max_depth": 2})
    _finish(mlflow, parent, day)


def train_version(mlflow, frame: pd.DataFrame, description: str, params: dict,
                  day: int = 0) -> str:
    from mlflow.models import infer_signature
    from sklearn.ensemble import GradientBoostingClassifier
    from sklearn.metrics import accuracy_score, roc_auc_score
    from sklearn.model_selection import train_test_split

    train, valid = train_test_split(frame, test_size=0.25, random_state=SEED,
                                    stratify=frame["churned"])
    x_train, y_train = train[FEATURES], train["churned"].to_numpy()
    x_valid, y_valid = valid[FEATURES], valid["churned"].to_numpy()
    model = GradientBoostingClassifier(random_state=SEED, **params).fit(x_train, y_train)
    run_id = _start(mlflow, f"gbm-{params['n_estimators']}", day)
    with mlflow.start_run(run_id=run_id) as run:
        mlflow.log_params({**params, "seed": SEED, "features": len(FEATURES)})
        mlflow.set_tag("govkit.threshold.val_accuracy.min", "0.7")
        for stage, proba in enumerate(model.staged_predict_proba(x_valid)):
            mlflow.log_metric("val_auc", float(roc_auc_score(y_valid, proba[:, 1])), step=stage)
            mlflow.log_metric("train_loss", float(model.train_score_[stage]), step=stage)
        score = model.predict_proba(x_valid)[:, 1]
        precision, recall = top_decile(y_valid, score)
        mlflow.log_metrics({
            "val_auc": float(roc_auc_score(y_valid, score)),
            "val_accuracy": float(accuracy_score(y_valid, score >= 0.5)),
            "precision_at_10": precision,
            "recall_at_10": recall,
        }, step=params["n_estimators"])
        for part, context in ((train, "training"), (valid, "evaluation")):
            dataset = mlflow.data.from_pandas(
                part, source="data/churn_synthetic.csv", name=f"churn-{context}",
                targets="churned",
            )
            mlflow.log_input(dataset, context=context)
        mlflow.log_dict({"val_auc": {"min": 0.75}, "recall_at_10": {"min": 0.34}},
                        "govkit/thresholds.json")
        # row-level predictions on the held-out rows (the same rows for every version), so
        # the release gate pairs a candidate with the serving version row by row
        mlflow.log_table({
            "row_id": valid.index.to_numpy().tolist(), "target": y_valid.tolist(),
            "prediction": (score >= 0.5).astype(int).tolist(), "score": score.tolist(),
            "plan": np.where(valid["annual_plan"] > 0, "annual", "monthly").tolist(),
        }, "eval_results_table.json")
        signature = infer_signature(x_valid, score)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = mlflow.sklearn.log_model(
                model, name="model", signature=signature, serialization_format="cloudpickle",
            )
    _finish(mlflow, run_id, day)
    version = mlflow.register_model(info.model_uri, MODEL)
    client = mlflow.MlflowClient()
    client.update_model_version(MODEL, version.version, description=description)
    client.set_model_version_tag(MODEL, version.version, "validation", "passed")
    print(f"registered {MODEL} version {version.version} from run {run.info.run_id}")
    return str(version.version)


def _artifact_root(uri: str) -> str | None:
    """Artifacts beside a sqlite store (mlruns/), not in the current directory."""
    if not uri.startswith("sqlite:///"):
        return None  # a server decides
    return (Path(uri.removeprefix("sqlite:///")).parent / "mlruns").resolve().as_uri()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracking-uri", default=f"sqlite:///{HERE / 'mlruns.db'}",
                        help="MLflow tracking URI (default: mlruns.db beside this script)")
    parser.add_argument("--fresh", action="store_true",
                        help="delete the default store first (only the default sqlite file)")
    args = parser.parse_args(argv)

    import mlflow

    logging.getLogger("mlflow").setLevel(logging.WARNING)  # quiet schema-migration chatter
    logging.getLogger("alembic").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")
    default = args.tracking_uri == parser.get_default("tracking_uri")
    if args.fresh and default:
        (HERE / "mlruns.db").unlink(missing_ok=True)
        shutil.rmtree(HERE / "mlruns", ignore_errors=True)
    mlflow.set_tracking_uri(args.tracking_uri)
    mlflow.set_registry_uri(args.tracking_uri)
    client = mlflow.MlflowClient()
    if client.search_registered_models(f"name = '{MODEL}'"):
        print(f"{MODEL} is already registered in {args.tracking_uri}; nothing to do "
              "(pass --fresh to rebuild the example store)")
        return 0
    experiment = client.get_experiment_by_name("churn")
    if experiment is None:
        artifacts = _artifact_root(args.tracking_uri)
        experiment_id = client.create_experiment("churn", artifact_location=artifacts)
    else:
        experiment_id = experiment.experiment_id
    mlflow.set_experiment(experiment_id=experiment_id)
    frame = make_data()
    learning_rate_sweep(mlflow, frame, day=0)
    versions = [train_version(mlflow, frame, desc, params, day=i + 1)
                for i, (desc, params) in enumerate(VERSIONS)]
    client.update_registered_model(
        MODEL, description="Churn risk of subscription users (govkit example, synthetic data).")
    client.set_registered_model_alias(MODEL, "champion", versions[CHAMPION - 1])
    print(f"alias champion -> version {versions[CHAMPION - 1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
