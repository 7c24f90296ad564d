"""Row-level predictions (issue 23): real files, a real MLflow store, and every refusal."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from govkit.errors import EXIT_INPUT, InputError, PredictionsInputError
from govkit.schemas.predictions import PredictionColumns, PredictionsSource
from govkit.sources.predictions import read_predictions, read_run_predictions
from govkit.sources.predictions_pairing import join_paired

ROWS = {"row_id": [3, 1, 2, 4], "target": [1, 0, 1, 0], "prediction": [1, 0, 0, 0],
        "score": [0.9, 0.2, 0.4, 0.1]}


def _json(path: Path, table: dict[str, list[object]]) -> Path:
    names = list(table)
    data = [list(r) for r in zip(*table.values(), strict=True)]
    path.write_text(json.dumps({"columns": names, "data": data}))
    return path


def _csv(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def _refused(path: Path, *, match: str, **kwargs: object) -> PredictionsInputError:
    with pytest.raises(PredictionsInputError, match=match) as info:
        read_predictions(path, **kwargs)  # type: ignore[arg-type]
    assert info.value.exit_code == EXIT_INPUT
    assert str(info.value).startswith(str(path))
    return info.value


def test_json_table_as_mlflow_writes_it(tmp_path: Path) -> None:
    p = read_predictions(_json(tmp_path / "eval_results_table.json", ROWS))
    assert p.rows == 4
    assert p.ids.tolist() == ["3", "1", "2", "4"]
    assert p.target.tolist() == [1.0, 0.0, 1.0, 0.0]
    assert p.prediction is not None and p.prediction.tolist() == [1.0, 0.0, 0.0, 0.0]
    assert p.score is not None and p.score.dtype == np.float64
    assert p.source == str(tmp_path / "eval_results_table.json")


def test_csv_and_parquet_read_the_same(tmp_path: Path) -> None:
    csv = _csv(tmp_path / "predictions.csv",
               "row_id,target,prediction,score,extra\n3,1,1,0.9,a\n1,0,0,0.2,b\n"
               "2,1,0,0.4,c\n4,0,0,0.1,d\n")
    pq.write_table(pa.table(ROWS), tmp_path / "predictions.parquet")
    a, b = read_predictions(csv), read_predictions(tmp_path / "predictions.parquet")
    for x, y in ((a.ids, b.ids), (a.target, b.target), (a.score, b.score)):
        assert np.array_equal(x, y)  # type: ignore[arg-type]


def test_csv_row_ids_keep_leading_zeros_and_text_labels(tmp_path: Path) -> None:
    p = read_predictions(_csv(tmp_path / "p.csv", "id,label,pred\n007,yes,no\n8,no,no\n"),
                         PredictionColumns(row_id="id", target="label", prediction="pred",
                                           score=None))
    assert p.ids.tolist() == ["007", "8"]
    assert p.target.tolist() == ["yes", "no"] and p.score is None


def test_only_scores_or_only_labels_is_enough(tmp_path: Path) -> None:
    scores = {k: v for k, v in ROWS.items() if k != "prediction"}
    p = read_predictions(_json(tmp_path / "t.json", scores))
    assert p.prediction is None and p.score is not None


@pytest.mark.parametrize(("table", "match"), [
    ({"row_id": [1, 2], "prediction": [0, 1]}, "no column 'target'"),
    ({"row_id": [1, 2], "target": [0, 1]}, "no column 'prediction' or 'score'"),
    ({"row_id": [1, 1], "target": [0, 1], "score": [0.1, 0.2]},
     "1 row ids appear more than once, e.g. '1'"),
    ({"row_id": [1, 2], "target": [0, 1], "score": ["high", "low"]}, "score must be a number"),
    ({"row_id": [1, 2], "target": [0, None], "score": [0.1, 0.2]}, "missing value in data row 2"),
    ({"row_id": [1, 2], "target": [0, 1], "score": [0.1, "x"]}, "more than one type"),
    ({"row_id": [1.5, 2.5], "target": [0, 1], "score": [0.1, 0.2]}, "integers or text"),
    ({"row_id": [1, ""], "target": [0, 1], "score": [0.1, 0.2]}, "more than one type"),
    ({"row_id": ["a", ""], "target": [0, 1], "score": [0.1, 0.2]}, "empty row id in data row 2"),
    ({"row_id": [], "target": [], "score": []}, "no rows"),
])
def test_bad_tables_are_refused_naming_file_and_fix(
    tmp_path: Path, table: dict[str, list[object]], match: str,
) -> None:
    _refused(_json(tmp_path / "t.json", table), match=match)


def test_nan_in_a_json_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"columns": ["row_id", "target", "score"], "data": [[1, 0, NaN]]}')
    _refused(path, match="NaN is not a number JSON allows")


def test_nan_and_inf_in_csv_and_parquet_are_refused_with_their_row(tmp_path: Path) -> None:
    err = _refused(_csv(tmp_path / "p.csv", "row_id,target,score\n1,0,0.5\n2,1,nan\n"),
                   match="missing value in data row 2")  # Arrow reads "nan" in a CSV as null
    assert "column score" in str(err)
    _refused(_csv(tmp_path / "q.csv", "row_id,target,score\n1,0,inf\n2,1,0.5\n"),
             match="inf in data row 1")
    pq.write_table(pa.table({"row_id": [1, 2], "target": [0.0, np.nan], "score": [0.1, 0.2]}),
                   tmp_path / "p.parquet")
    _refused(tmp_path / "p.parquet", match="nan in data row 2")


def test_missing_column_names_the_columns_and_the_setting(tmp_path: Path) -> None:
    err = _refused(_csv(tmp_path / "p.csv", "id,target,score\n1,0,0.5\n"),
                   match="no column 'row_id'")
    assert err.problems[0].hint == "rename it, or set predictions.columns in govkit.yaml"
    assert "(columns: id, score, target)" in str(err)


def test_not_a_table_and_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('[1, 2]')
    _refused(tmp_path / "a.json", match="not a table")
    (tmp_path / "b.json").write_text('{"columns": ["row_id", "target"], "data": [[1]]}')
    _refused(tmp_path / "b.json", match="data row 1 has 1 values for 2 columns")
    _refused(tmp_path / "c.txt", match="unknown predictions format")
    _refused(tmp_path / "missing.csv", match="file not found")


@pytest.mark.parametrize("suffix", [".json", ".csv", ".parquet"])
def test_row_cap_is_enforced_before_use(tmp_path: Path, suffix: str) -> None:
    table = {"row_id": list(range(50)), "target": [0, 1] * 25, "score": [0.5] * 50}
    path = tmp_path / f"p{suffix}"
    if suffix == ".json":
        _json(path, table)
    elif suffix == ".csv":
        pa.csv.write_csv(pa.table(table), path)
    else:
        pq.write_table(pa.table(table), path)
    assert read_predictions(path, max_rows=50).rows == 50
    err = _refused(path, match="more than 49 rows", max_rows=49)
    assert "raise predictions.max_rows" in str(err)


# --- pairing ---------------------------------------------------------------------------------

def test_join_paired_counts_and_aligns(tmp_path: Path) -> None:
    cand = read_predictions(_json(tmp_path / "c.json", ROWS))
    serv = read_predictions(_csv(tmp_path / "s.csv",
                                 "row_id,target,score\n2,1,0.7\n4,0,0.3\n9,1,0.8\n3,1,0.6\n"))
    paired = join_paired(cand, serv)
    assert paired.ids.tolist() == ["2", "3", "4"]
    assert (paired.matched, paired.only_candidate, paired.only_serving) == (3, 1, 1)
    assert paired.target.tolist() == [1.0, 1.0, 0.0]
    assert paired.candidate.score.tolist() == [0.4, 0.9, 0.1]  # type: ignore[union-attr]
    assert paired.serving.score.tolist() == [0.7, 0.6, 0.3]  # type: ignore[union-attr]


def test_join_paired_with_no_common_rows_says_so(tmp_path: Path) -> None:
    cand = read_predictions(_json(tmp_path / "c.json", ROWS))
    other = dict(ROWS, row_id=[10, 11, 12, 13])
    paired = join_paired(cand, read_predictions(_json(tmp_path / "s.json", other)))
    assert (paired.matched, paired.only_candidate, paired.only_serving) == (0, 4, 4)


def test_join_paired_refuses_conflicting_labels(tmp_path: Path) -> None:
    cand = read_predictions(_json(tmp_path / "c.json", ROWS))
    relabelled = dict(ROWS, target=[1, 1, 1, 0])
    with pytest.raises(PredictionsInputError, match=r"1 shared rows have another value in .*s.json, e.g. row id '1': 0 here, 1 there"):
        join_paired(cand, read_predictions(_json(tmp_path / "s.json", relabelled)))
    texts = dict(ROWS, target=["1", "0", "1", "0"])
    with pytest.raises(PredictionsInputError, match="target is numbers here and text"):
        join_paired(cand, read_predictions(_json(tmp_path / "t.json", texts)))


# --- schema ----------------------------------------------------------------------------------

def test_schema_defaults_and_refusals() -> None:
    src = PredictionsSource()
    assert src.artifact == "eval_results_table.json"
    assert src.columns.row_id == "row_id" and src.columns.score == "score"
    for bad in ("../secrets.json", "/etc/p.csv", "eval/../../x.csv", "p.txt", "a b.csv"):
        with pytest.raises(ValidationError):
            PredictionsSource(artifact=bad)
    with pytest.raises(ValidationError, match="different columns"):
        PredictionColumns(row_id="id", target="id")
    with pytest.raises(ValidationError, match="set prediction, score or both"):
        PredictionColumns(prediction=None, score=None)
    with pytest.raises(ValidationError):
        PredictionsSource.model_validate({"artifact": "p.csv", "colums": {}})


# --- a real MLflow store ---------------------------------------------------------------------

def test_log_table_in_a_real_store_reads_back(blank_db: Path, tmp_path: Path) -> None:
    from tests.sources.stores import new_store

    store = new_store(blank_db, tmp_path / "store")
    run_id = store.client.create_run(store.experiment).info.run_id
    store.client.log_table(run_id, ROWS, "eval_results_table.json")  # what mlflow.log_table does
    store.client.log_table(run_id, ROWS, "eval/predictions.json")
    store.client.set_terminated(run_id)
    fetched = store.client.get_run(run_id)
    p = read_run_predictions(fetched, PredictionsSource())
    assert p.source == f"runs:/{run_id}/eval_results_table.json"
    assert p.ids.tolist() == ["3", "1", "2", "4"]
    assert p.score.tolist() == ROWS["score"]  # type: ignore[union-attr]
    assert read_run_predictions(fetched, PredictionsSource(artifact="eval/predictions.json")).rows == 4
    with pytest.raises(InputError, match="file not found") as info:
        read_run_predictions(fetched, PredictionsSource(artifact="predictions.csv"))
    assert str(info.value).startswith(f"runs:/{run_id}/predictions.csv")
    assert "mlflow.log_table" in str(info.value)


def test_int32_and_int64_row_ids_pair(tmp_path: Path) -> None:
    # issue 23 item 11: integer key widths must not stop a join
    pq.write_table(pa.table({"row_id": pa.array([1, 2, 3], pa.int32()), "target": [0, 1, 1],
                             "score": [0.1, 0.8, 0.7]}), tmp_path / "c.parquet")
    pq.write_table(pa.table({"row_id": pa.array([3, 2, 1], pa.int64()), "target": [1, 1, 0],
                             "score": [0.6, 0.9, 0.2]}), tmp_path / "s.parquet")
    paired = join_paired(read_predictions(tmp_path / "c.parquet"),
                         read_predictions(tmp_path / "s.parquet"))
    assert (paired.matched, paired.only_candidate, paired.only_serving) == (3, 0, 0)


# --- segments --------------------------------------------------------------------------------

SEGMENTED = PredictionColumns(segments=["plan", "new"])


def test_segment_columns_read_as_text_and_pair(tmp_path: Path) -> None:
    cand = read_predictions(_csv(tmp_path / "c.csv",
                                 "row_id,target,score,plan,new\n1,1,0.9,basic,true\n"
                                 "2,0,0.2,pro,false\n3,1,0.4,basic,false\n4,0,0.3,,true\n"),
                            SEGMENTED)
    assert cand.segments["plan"].tolist() == ["basic", "pro", "basic", ""]
    pq.write_table(pa.table({"row_id": [4, 3, 2, 1], "target": [0, 1, 0, 1],
                             "score": [0.1, 0.6, 0.3, 0.8],
                             "plan": [None, "basic", "pro", "basic"],
                             "new": [True, False, False, True]}), tmp_path / "s.parquet")
    serv = read_predictions(tmp_path / "s.parquet", SEGMENTED)
    assert serv.segments["new"].tolist() == ["true", "false", "false", "true"]
    basic = join_paired(cand, serv).segment("plan", "basic")
    assert basic.ids.tolist() == ["1", "3"] and basic.matched == 2
    assert basic.candidate.score.tolist() == [0.9, 0.4]  # type: ignore[union-attr]
    assert basic.serving.score.tolist() == [0.8, 0.6]  # type: ignore[union-attr]
    assert join_paired(cand, serv).segment("new", "true").ids.tolist() == ["1", "4"]


def test_a_row_in_another_segment_in_the_other_table_is_refused(tmp_path: Path) -> None:
    cand = read_predictions(_json(tmp_path / "c.json", dict(ROWS, plan=["a", "b", "a", "b"],
                                                            new=[1, 0, 0, 1])), SEGMENTED)
    serv = read_predictions(_json(tmp_path / "s.json", dict(ROWS, plan=["a", "b", "b", "b"],
                                                            new=[1, 0, 0, 1])), SEGMENTED)
    with pytest.raises(PredictionsInputError, match=r"column plan: 1 shared rows have another "
                       r"value in .*row id '2': 'a' here, 'b' there"):
        join_paired(cand, serv)


def test_missing_or_float_segment_column_is_refused(tmp_path: Path) -> None:
    _refused(_json(tmp_path / "a.json", ROWS), match="no column 'plan'", columns=SEGMENTED)
    floats = dict(ROWS, plan=[0.5, 1.5, 0.5, 1.5], new=[1, 0, 0, 1])
    _refused(_json(tmp_path / "b.json", floats), match="segment values must be text",
             columns=SEGMENTED)


def test_a_csv_row_longer_than_arrows_block_is_named_by_line(tmp_path: Path) -> None:
    rows = ["row_id,target,prediction,score,extra",
            *(f"{i},1,1,0.9,a" for i in range(200_000)), "7,1,1,0.9," + "x" * 2_000_000]
    path = _csv(tmp_path / "predictions.csv", "\n".join(rows) + "\n")
    error = _refused(path, match="2,000,010 bytes long; a CSV row may take at most 1 MiB")
    assert error.problems[0].line == 200_002
    assert "Parquet" in error.problems[0].hint


def test_a_csv_header_that_is_not_utf_8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "predictions.csv"
    path.write_bytes("row_id,target,prediction,\xe9\n1,1,1,2\n".encode("latin-1"))
    error = _refused(path, match="the header row is not UTF-8 text")
    assert error.problems[0].line == 1
