"""The release gate's row-level inputs: both versions' recorded predictions, read again
from their runs and paired by row id (or why they cannot be)."""

from __future__ import annotations

from govkit.checks.gate_rows import GateRows
from govkit.model import ModelRecord, Project, ReleaseRecord
from govkit.schemas.predictions import PredictionsSource
from govkit.schemas.release import PredictionsRecord
from govkit.sources.mlflow_store import resolve_uri
from govkit.sources.predictions import Predictions, read_run_predictions
from govkit.sources.project import configured_tracking_uri
from govkit.sources.release_predictions import predictions_source


def gate_rows(project: Project, model: ModelRecord, candidate: ReleaseRecord,
              serving: ReleaseRecord | None) -> tuple[GateRows | None, str]:
    """Both versions' predictions on their shared rows, or None and why not."""
    source = predictions_source(project.config, model.entry) if model.entry else None
    if source is None:
        return None, "no row-level predictions configured (models[].mlflow.predictions)"
    if serving is None:
        return None, "no serving version"
    records = []
    for who, record in (("candidate", candidate), ("serving", serving)):
        training = record.release.training
        if training is None or training.predictions is None:
            return None, (f"the {who} {record.release.version} recorded no predictions "
                          "(ingest it with predictions configured)")
        records.append(training.predictions)
    assert model.entry is not None
    shown = configured_tracking_uri(project.config, model.entry)
    uri = resolve_uri(shown, project.root)
    new, old = (read_recorded(uri, shown, r, source) for r in records)
    from govkit.sources.predictions_pairing import join_paired

    paired = join_paired(new, old)
    if paired.matched == 0:
        return None, (f"no shared row ids ({new.rows:,} candidate rows, {old.rows:,} "
                      "serving rows)")
    return GateRows(paired.target, paired.candidate.prediction, paired.serving.prediction,
                    paired.candidate.score, paired.serving.score,
                    {c: v for c, v in paired.candidate.segments.items()
                     if c in paired.serving.segments},
                    paired.only_candidate, paired.only_serving), ""


def read_recorded(open_uri: str, shown: str, record: PredictionsRecord,
                  source: PredictionsSource) -> Predictions:
    """The predictions a release recorded, read again from its run."""
    from govkit.sources.mlflow_source import read_store

    artifact = source.model_copy(update={"artifact": record.artifact})
    return read_store(open_uri, shown, lambda client, _uri: read_run_predictions(
        client.get_run(record.run_id), artifact))
