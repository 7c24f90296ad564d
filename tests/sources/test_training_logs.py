"""Keras / Lightning CSVLogger files and JSON lines -> histories and release records."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.commands.ingest import ingest_log
from govkit.errors import InputError
from govkit.sources.training_logs import read_training_log
from tests.conftest import examples


def write_keras_csv(path: Path, epochs: list[dict[str, float]]) -> None:
    """As keras.callbacks.CSVLogger: 'epoch' then sorted keys, excel dialect (CRLF)."""
    keys = sorted(epochs[0])
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["epoch", *keys], dialect=csv.excel)
        writer.writeheader()
        for epoch, logs in enumerate(epochs):
            writer.writerow({"epoch": epoch, **{k: logs.get(k, "NA") for k in keys}})


def write_lightning_csv(path: Path, rows: list[dict[str, float]]) -> None:
    """As lightning's CSVLogger metrics.csv: sorted union of keys, empty where not logged."""
    keys = sorted(set().union(*rows))
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)


def test_keras_csv_logger(tmp_path: Path) -> None:
    path = tmp_path / "training.log"
    epochs = [
        {"accuracy": 0.5177500247955322, "loss": 0.6949833035469055, "val_loss": 0.69},
        {"accuracy": 0.7, "loss": 0.55, "val_loss": 0.6},
        {"accuracy": 0.8, "loss": 0.41, "val_loss": 0.52},
    ]
    write_keras_csv(path, epochs)
    assert path.read_bytes().startswith(b"epoch,accuracy,loss,val_loss\r\n0,0.5177500247955322,")
    log = read_training_log(path)
    assert log.format == "csv-log" and log.step_column == "epoch"
    assert log.histories["loss"].steps == (0, 1, 2)
    assert log.histories["accuracy"].values[0] == 0.5177500247955322
    assert log.final_metrics == {"accuracy": 0.8, "loss": 0.41, "val_loss": 0.52}


def test_lightning_metrics_csv_uses_last_non_empty_value(tmp_path: Path) -> None:
    path = tmp_path / "metrics.csv"
    write_lightning_csv(
        path,
        [
            {"epoch": 0, "step": 49, "train_loss_step": 0.71},
            {"epoch": 0, "step": 99, "train_loss_step": 0.62},
            {"epoch": 0, "step": 99, "val_loss": 0.66, "val_acc": 0.61},
            {"epoch": 0, "step": 99, "train_loss_epoch": 0.65},
            {"epoch": 1, "step": 149, "train_loss_step": 0.5},
            {"epoch": 1, "step": 199, "val_loss": 0.58, "val_acc": 0.7},
            {"epoch": 1, "step": 199, "train_loss_step": 0.47},
        ],
    )
    assert path.read_text().splitlines()[0] == (
        "epoch,step,train_loss_epoch,train_loss_step,val_acc,val_loss"
    )
    log = read_training_log(path, required=["val_loss"])
    assert log.step_column == "step"
    assert log.histories["train_loss_step"].steps == (49, 99, 149, 199)
    assert log.histories["val_loss"].steps == (99, 199)
    assert log.final_metrics["val_loss"] == 0.58
    assert log.final_metrics["train_loss_epoch"] == 0.65


def test_jsonl_log(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    lines = [{"epoch": 0, "loss": 0.9}, {"epoch": 1, "loss": 0.7, "auc": 0.8}, {}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    log = read_training_log(path)
    assert log.format == "jsonl-log"
    assert log.final_metrics == {"auc": 0.8, "loss": 0.7}


@pytest.mark.parametrize(
    ("name", "text", "where", "message"),
    [
        ("a.csv", "loss,val_loss\n0.5,0.6\n", "a.csv:1", "missing column 'epoch' or 'step'"),
        ("a.csv", "epoch,loss\n0,0.5\n1,0.4,9\n", "a.csv:3", "bad row: 3 cells, header has 2"),
        ("a.csv", "epoch,loss\n0,0.5\n1,high\n", "a.csv:3", "loss = 'high' is not a number"),
        ("a.csv", "epoch,loss\n0,0.5\n1,nan\n", "a.csv:3", "metric 'loss' is nan"),
        ("a.csv", "epoch,loss\n0.5,0.5\n", "a.csv:2", "epoch '0.5' is not a whole number"),
        ("a.csv", "epoch,loss,loss\n", "a.csv:1", "duplicate column 'loss'"),
        ("a.csv", "", "a.csv:1", "empty training log"),
        ("a.jsonl", '{"epoch": 0}\n{"epoch": 1,\n', "a.jsonl:2", "not valid JSON"),
        ("a.jsonl", '{"epoch": 0}\n[1, 2]\n', "a.jsonl:2", "expected a JSON object"),
        ("a.jsonl", "\n", "a.jsonl:1", "empty training log"),
        ("a.csv", "epoch,loss\n0,0.5\n", "a.csv:1", "missing column 'auc'"),
    ],
)
def test_bad_logs_name_file_and_line(
    tmp_path: Path, name: str, text: str, where: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_training_log(path, required=["auc"] if "auc" in message else ())
    rendered = str(info.value)
    assert rendered.startswith(f"{tmp_path / where}:") and message in rendered


def test_ingest_log_writes_release_and_is_stable(tmp_path: Path) -> None:
    log = tmp_path / "training.log"
    write_keras_csv(log, [{"auc": 0.8, "loss": 0.5}, {"auc": 0.86, "loss": 0.4}])
    model_dir = tmp_path / "models" / "churn"
    first = ingest_log(model_dir, log, "1.0.0", date=dt.date(2026, 1, 15))
    (path,) = first.written
    record = yaml.safe_load(path.read_text())
    assert record["date"] == dt.date(2026, 1, 15)
    assert record["metrics"]["auc"] == {"value": 0.86, "source": "training-log"}
    assert record["training"]["source"] == "csv-log"
    assert record["training"]["metric_history"]["loss"] == {"steps": [0, 1], "values": [0.5, 0.4]}
    again = ingest_log(model_dir, log, "1.0.0")  # no date: keeps the recorded one
    assert again.unchanged == [path] and again.written == []
    bad = tmp_path / "bad.csv"
    bad.write_text("epoch,auc\n0,0.9\n1,oops\n")
    with pytest.raises(InputError, match=r"bad.csv:3"):
        ingest_log(model_dir, bad, "1.0.0", update=True)
    assert yaml.safe_load(path.read_text()) == record


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
cell = st.one_of(st.none(), finite)
metric_names = st.lists(
    st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(lambda s: s not in ("epoch", "step")),
    min_size=1,
    max_size=4,
    unique=True,
)


@settings(max_examples=examples(60), deadline=None)
@given(names=metric_names, data=st.data())
def test_csv_round_trip_keeps_last_non_empty_value(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], data: st.DataObject
) -> None:
    rows = data.draw(st.lists(st.fixed_dictionaries({n: cell for n in names}), max_size=12))
    path = tmp_path_factory.mktemp("h") / "metrics.csv"
    write_lightning_csv(path, [{"step": i, **r} for i, r in enumerate(rows)] or [{"step": 0}])
    log = read_training_log(path)
    for name in names:
        logged = [(i, r[name]) for i, r in enumerate(rows) if r[name] is not None]
        if not logged:
            assert name not in log.histories
            continue
        series = log.histories[name]
        assert list(series.steps) == [i for i, _ in logged]
        assert list(series.values) == [v for _, v in logged]  # repr round-trips exactly
        assert log.final_metrics[name] == logged[-1][1]


@settings(max_examples=examples(60), deadline=None)
@given(text=st.text(alphabet='epoch,stlos0123456789.-\n\rnaNA" ', max_size=80))
def test_csv_parser_only_raises_input_errors(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("f") / "log.csv"
    path.write_text(text)
    try:
        log = read_training_log(path)
    except InputError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert all(math.isfinite(v) for s in log.histories.values() for v in s.values)


def test_cli_ingest_log_then_build(tmp_path: Path) -> None:
    from govkit.cli import main

    (tmp_path / "govkit.yaml").write_text("project: Logs\nmodels:\n  - name: churn\n")
    model = tmp_path / "models" / "churn"
    model.mkdir(parents=True)
    (model / "card.yaml").write_text("title: Churn\nmetrics:\n  val_loss:\n    max: 0.6\n")
    log = tmp_path / "logs" / "metrics.csv"
    log.parent.mkdir()
    write_lightning_csv(log, [
        {"epoch": 0, "step": 9, "train_loss": 0.8},
        {"epoch": 0, "step": 9, "val_loss": 0.7},
        {"epoch": 1, "step": 19, "train_loss": 0.6},
        {"epoch": 1, "step": 19, "val_loss": 0.55},
    ])
    args = ["-C", str(tmp_path), "ingest", "churn", "--log", str(log)]
    assert main(args) == 2  # a log has no versions of its own
    assert main([*args, "--version", "0.1.0"]) == 0
    record = yaml.safe_load((model / "releases" / "0.1.0.yaml").read_text())
    assert record["training"]["log_file"] == "logs/metrics.csv"
    assert main(["-C", str(tmp_path), "build"]) == 0
    card = (tmp_path / "docs" / "models" / "churn" / "index.md").read_text()
    assert "Ingested from the training log `logs/metrics.csv` (csv-log)." in card
    assert ('| val\\_loss<br><span class="gk-check" id="churn/0.1.0/val_loss">'
            "churn/0.1.0/val\\_loss</span> | 0.55 | ≤ 0.60 |") in card
    assert "| training-log (range: hand-written) |" in card
    versions = tmp_path / "docs/models/churn/versions"
    assert sorted(p.name for p in versions.glob("0.1.0-training-*")) == [
        "0.1.0-training-train-loss.svg", "0.1.0-training-val-loss.svg"]
    curve = (versions / "0.1.0-training-val-loss.svg").read_text()
    assert ": last 0.55, inside the allowed range ≤ 0.60." in curve  # the card's range


@settings(max_examples=examples(60), deadline=None)
@given(names=metric_names, data=st.data())
def test_jsonl_round_trip(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], data: st.DataObject
) -> None:
    rows = data.draw(
        st.lists(st.fixed_dictionaries({n: cell for n in names}), min_size=1, max_size=10)
    )
    path = tmp_path_factory.mktemp("j") / "log.jsonl"
    path.write_text("".join(json.dumps({"epoch": i, **r}) + "\n" for i, r in enumerate(rows)))
    log = read_training_log(path)
    for name in names:
        logged = [(i, r[name]) for i, r in enumerate(rows) if r[name] is not None]
        assert (name in log.histories) == bool(logged)
        if logged:
            assert list(log.histories[name].steps) == [i for i, _ in logged]
            assert log.final_metrics[name] == logged[-1][1]


@pytest.mark.parametrize("name", ["log.csv", "log.jsonl"])
def test_a_log_that_is_not_utf_8_names_its_line(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    text = ("epoch,loss\n0,0.5\n1,0.4 caf\xe9\n" if name.endswith(".csv")
            else '{"epoch": 0, "loss": 0.5}\n{"epoch": 1, "note": "caf\xe9"}\n')
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as exc:
        read_training_log(path)
    problem = exc.value.problems[0]
    assert problem.message.startswith("not UTF-8 text") and problem.line in (2, 3)
    assert problem.hint == "save the file as UTF-8"


def test_a_release_record_that_is_not_utf_8_is_named_not_overwritten(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    write_keras_csv(log, [{"loss": 0.5}])
    record = tmp_path / "churn/releases/1.0.yaml"
    record.parent.mkdir(parents=True)
    record.write_bytes("version: '1.0'\nnotes: caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        ingest_log(tmp_path / "churn", log, "1.0", update=True)
    problem = exc.value.problems[0]
    assert (problem.line, problem.hint) == (2, "save the file as UTF-8")
    assert problem.path.endswith("1.0.yaml")
    assert record.read_bytes() == "version: '1.0'\nnotes: caf\xe9\n".encode("latin-1")
