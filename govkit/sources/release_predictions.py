"""A release's row-level predictions: which source a model uses and what `ingest` records
about them (rows, n+ and n-, per segment)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from govkit.schemas.config import Config, ModelEntry
from govkit.schemas.predictions import PredictionsSource

if TYPE_CHECKING:
    from govkit.sources.predictions import Predictions


def predictions_source(config: Config, entry: ModelEntry) -> PredictionsSource | None:
    """The model's `mlflow.predictions`, else the project-wide default, else None."""
    own = entry.mlflow.predictions if entry.mlflow else None
    return own or config.mlflow.predictions


def read_with(source: PredictionsSource) -> dict[str, Any]:
    """The column names a predictions table is read with, as the record keeps them."""
    return source.columns.model_dump(mode="json")


def counts(target: Any) -> dict[str, int]:
    """Rows, and positives/negatives when the target is 0/1 (n⁺ and n⁻ for an AUC's SE)."""
    out = {"rows": int(target.shape[0])}
    if target.dtype.kind == "f" and bool(np.isin(target, (0.0, 1.0)).all()):
        positives = int(np.sum(target == 1.0))
        out.update(positives=positives, negatives=out["rows"] - positives)
    return out


def summary(predictions: Predictions, source: PredictionsSource, run_id: str) -> dict[str, Any]:
    """The release's `training.predictions` record (plain data, sorted segments)."""
    segments = {}
    for column, values in sorted(predictions.segments.items()):
        for value in sorted(set(values.tolist())):
            if value:
                segments[f"{column}={value}"] = counts(predictions.target[values == value])
    return {"artifact": source.artifact, "run_id": run_id, "columns": read_with(source),
            **counts(predictions.target),
            **({"segments": segments} if segments else {})}
