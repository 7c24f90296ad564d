"""Release records are built as the `Release` model and dumped with only the fields given."""

from __future__ import annotations

import pytest

from govkit.errors import InputError
from govkit.schemas.release import Release
from govkit.sources.mlflow_entities import ModelRead, RunInfo, VersionInfo, VersionRead
from govkit.sources.release_records import release_data, release_from_mlflow, release_text

WHERE = "mlflow: registered model 'm' version 1"


def _version(**over: object) -> VersionInfo:
    fields: dict[str, object] = dict(
        name="m", version="1", aliases=(), description=None, tags={},
        created_ms=1_700_000_000_000, run_id=None, source=None, model_id=None, status=None)
    fields.update(over)
    return VersionInfo(**fields)  # type: ignore[arg-type]


def _run(**over: object) -> RunInfo:
    fields: dict[str, object] = dict(
        run_id="r1", name=None, experiment_id="0", status="FINISHED",
        start_ms=1_700_000_000_000, end_ms=1_700_000_002_500, tags={}, params={},
        metrics={"auc": 0.9})
    fields.update(over)
    return RunInfo(**fields)  # type: ignore[arg-type]


def _read(version: VersionInfo, run: RunInfo | None) -> ModelRead:
    return ModelRead("m", None, {}, [VersionRead("sqlite:///x.db", version, run, None)])


def test_a_version_without_run_or_tags_records_only_what_the_registry_gave() -> None:
    model = _read(_version(), None)
    record, warnings = release_from_mlflow(model.versions[0], model, WHERE)
    assert isinstance(record, Release) and warnings == []
    assert release_data(record) == {
        "version": "1", "date": record.date,
        "training": {"source": "mlflow", "registered_model": "m",
                     "registry": {"version": "1", "created": "2023-11-14T22:13:20.000Z"}}}


def test_histories_keep_whole_steps_and_a_dataset_keeps_its_null_context() -> None:
    run = _run(histories={"auc": ((0, 1), (0.5, 0.9))},
               datasets=({"name": "d", "digest": None, "source_type": None, "source": None,
                          "schema": None, "profile": None, "context": None},))
    model = _read(_version(run_id="r1"), run)
    record, _ = release_from_mlflow(model.versions[0], model, WHERE)
    text = release_text(record, "header")
    assert "    auc:\n      steps:\n      - 0\n      - 1\n      values:\n      - 0.5\n" in text
    assert "  - context: null\n    digest: null\n" in text
    assert "duration_s: 2.5\n" in text
    assert "min:" not in text and "range_source" not in text


def test_a_range_the_run_declares_upside_down_is_a_problem_of_that_metric() -> None:
    run = _run(thresholds={"auc": {"min": 0.95, "max": 0.8}})
    model = _read(_version(run_id="r1"), run)
    with pytest.raises(InputError) as caught:
        release_from_mlflow(model.versions[0], model, WHERE)
    (problem,) = caught.value.problems
    assert (problem.path, problem.field) == (WHERE, "metrics.auc")
    assert "min (0.95) is greater than max (0.8)" in problem.message
