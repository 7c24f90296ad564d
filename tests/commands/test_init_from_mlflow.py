"""`govkit init --from-mlflow URI`: a project describing a real store's registered models,
read only, never overwriting a file, that `check`, `ingest` and `build` accept."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest
import yaml

from govkit.cli import main
from govkit.commands.init_mlflow import live_mapping
from tests.sources.stores import SmallStore, blank_store, new_store


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return blank_store(tmp_path_factory.mktemp("blank"))


@pytest.fixture
def store(blank: Path, tmp_path: Path) -> SmallStore:
    s = new_store(blank, tmp_path / "store")
    s.add_version("churn", {"val_auc": 0.8734, "train_auc": 0.91, "log_loss": 0.412})
    s.add_version("churn", {"val_auc": 0.8801, "train_auc": 0.92, "log_loss": 0.4})
    s.client.update_registered_model("churn", description="Predicts 30-day churn.")
    s.client.set_registered_model_alias("churn", "champion", "2")
    s.add_version("Fraud Model", {"precision": 0.7, "recall": math.nan})
    gone = s.add_version("Fraud Model", {"precision": 0.1})
    s.client.delete_run(s.client.get_model_version("Fraud Model", gone).run_id)
    return s


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_scaffolds_every_registered_model_with_placeholder_ranges(
        store: SmallStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _digest(store.path)
    target = tmp_path / "proj"
    assert main(["init", str(target), "--from-mlflow", store.uri]) == 0
    out = capsys.readouterr().out
    assert "next: cd" in out and "govkit ingest churn && govkit ingest fraud-model" in out
    assert _digest(store.path) == before  # read only
    assert not (target / "models/example").exists()
    config = yaml.safe_load((target / "govkit.yaml").read_text(encoding="utf-8"))
    assert config["mlflow"]["tracking_uri"] == "sqlite:///../store/mlflow.db"  # relative
    assert config["models"] == [
        {"name": "churn", "mlflow": {"registered_model": "churn"},
         "monitoring": {"metrics": {"roc_auc": "val_auc"}}},
        {"name": "fraud-model", "mlflow": {"registered_model": "Fraud Model"}},
    ]
    card = yaml.safe_load((target / "models/churn/card.yaml").read_text(encoding="utf-8"))
    assert card["title"] == "churn" and card["summary"] == "Predicts 30-day churn."
    metrics = card["metrics"]
    assert sorted(metrics) == ["log_loss", "train_auc", "val_auc"]
    assert metrics["val_auc"]["min"] == 0.87  # the lowest logged value, rounded down
    assert metrics["log_loss"] == {**metrics["log_loss"], "goal": "lower", "max": 0.42}
    assert all(m["description"].startswith("TODO:") for m in metrics.values())
    fraud = (target / "models/fraud-model/card.yaml").read_text(encoding="utf-8")
    assert "# recall: not written, its runs logged only NaN or infinity" in fraud
    assert "# version(s) 2: no run to read (none recorded, or deleted)" in fraud
    assert "min: 0.70" in fraud  # the deleted run's 0.1 is not a bound
    assert list(yaml.safe_load(fraud)["metrics"]) == ["precision"]

    # the placeholders warn (and fail --strict), naming the range's description
    assert main(["-C", str(target), "check"]) == 0
    text = "".join(capsys.readouterr())
    assert "churn/card/placeholder" in text and "metrics.val_auc.description" in text
    assert main(["-C", str(target), "check", "--strict"]) == 1
    capsys.readouterr()
    # the store's versions become releases, and the site builds; the placeholder range
    # holds the serving version's value
    assert main(["-C", str(target), "ingest", "churn"]) == 0
    assert (target / "models/churn/releases/2.yaml").is_file()
    assert main(["-C", str(target), "build"]) == 0
    assert (target / "docs/models/churn/index.md").is_file()
    capsys.readouterr()
    assert main(["-C", str(target), "check", "--format", "json"]) == 0
    assert '"status": "fail"' not in capsys.readouterr().out


def test_a_relative_uri_is_read_from_the_current_folder(
        store: SmallStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path / "store")
    assert main(["init", ".", "--from-mlflow", "sqlite:///mlflow.db"]) == 0
    config = yaml.safe_load((tmp_path / "store/govkit.yaml").read_text(encoding="utf-8"))
    assert config["mlflow"]["tracking_uri"] == "sqlite:///mlflow.db"


@pytest.mark.parametrize("existing", ["govkit.yaml", "models/fraud-model/card.yaml"])
def test_never_overwrites_a_file(store: SmallStore, tmp_path: Path, existing: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "proj"
    (target / existing).parent.mkdir(parents=True)
    (target / existing).write_text("mine\n", encoding="utf-8")
    assert main(["init", str(target), "--from-mlflow", store.uri]) == 2
    err = capsys.readouterr().err
    assert f"{target / existing}: already exists" in err
    assert (target / existing).read_text(encoding="utf-8") == "mine\n"
    written = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert written == [existing]  # nothing half-written


def test_a_store_without_registered_models_is_refused(
        blank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = new_store(blank, tmp_path / "store")
    assert main(["init", str(tmp_path / "proj"), "--from-mlflow", empty.uri]) == 2
    assert "the store has no registered model" in capsys.readouterr().err
    assert not (tmp_path / "proj").exists()


def test_missing_store_is_an_input_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    uri = f"sqlite:///{tmp_path / 'nothing.db'}"
    assert main(["init", str(tmp_path / "proj"), "--from-mlflow", uri]) == 2
    assert "nothing.db" in capsys.readouterr().err
    assert not (tmp_path / "proj").exists()
    assert not (tmp_path / "nothing.db").exists()  # not created by MLflow either


def test_live_metric_mapping_only_when_unambiguous() -> None:
    assert live_mapping(["val_auc", "train_auc", "accuracy"]) == {"roc_auc": "val_auc"}
    assert live_mapping(["val_auc", "test_auc"]) == {}  # which one? not guessed
    assert live_mapping(["roc_auc", "val/precision"]) == {"precision": "val_precision"}
    assert live_mapping(["val_pr_auc", "val_auprc"]) == {}  # precision-recall AUC, not ROC
    assert live_mapping(["val/auc", "val_auc"]) == {"roc_auc": "val_auc"}  # one card key


def _scaffold(name: str) -> str:
    from govkit.site.jinja import default_templates_dir

    return (default_templates_dir() / "scaffold" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("metrics", [
    {},  # a model whose runs logged nothing
    {"yes": (0.5,), "@rate": (0.25,), "val/loss": (0.3,), "on": (1.0,)},  # YAML 1.1 words
    {"rmse": (1234.5678,), "huge": (1e300,), "tiny": (-1e-9,), "count": (3.0,)},
    {"val/auc": (0.8,), "val_auc": (0.7,)},  # two names, one card key: one entry, min 0.70
])
def test_every_scaffolded_card_and_config_is_valid(metrics: dict[str, tuple[float, ...]]) -> None:
    from govkit.commands.init_mlflow import card_text, config_text, model_slugs
    from govkit.schemas.card import Card
    from govkit.schemas.config import Config
    from govkit.sources.mlflow_scaffold import RegisteredMetrics

    model = RegisteredMetrics('Churn "v2"\nmodel', "Line one.\nLine 'two'.", ("1",), metrics,
                              ("nan_only",))
    text = card_text(_scaffold("card.yaml"), model)
    keys = [line for line in text.splitlines() if line.startswith("  ") and line.endswith(":")
            and not line.startswith("   ")]
    assert len(keys) == len(set(keys)), keys  # govkit refuses a duplicate key
    card = yaml.safe_load(text)
    Card.model_validate(card, strict=True)
    assert card["title"] == model.name and card["summary"] == model.description
    assert sorted(card["metrics"]) == sorted({metric_key_of(k) for k in metrics})
    for key in metrics:
        values = [v for k, vals in metrics.items() if metric_key_of(k) == metric_key_of(key)
                  for v in vals]
        entry = card["metrics"][metric_key_of(key)]
        bound = entry.get("min", entry.get("max"))
        assert (bound <= min(values)) if "min" in entry else (bound >= max(values)), entry
    slugs = model_slugs([model])
    assert slugs == {model.name: "churn-v2-model"}
    config = yaml.safe_load(config_text(_scaffold("govkit.yaml"), "sqlite:///m.db", [model], slugs))
    Config.model_validate(config, strict=True)
    assert config["models"][0]["mlflow"]["registered_model"] == model.name


def metric_key_of(name: str) -> str:
    from govkit.sources.release_records import metric_key

    return metric_key(name)


def test_model_option_picks_registered_models(store: SmallStore, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "one"
    assert main(["init", str(target), "--from-mlflow", store.uri, "--model", "Fraud Model"]) == 0
    assert sorted(p.name for p in (target / "models").iterdir()) == ["fraud-model"]
    capsys.readouterr()
    assert main(["init", str(tmp_path / "two"), "--from-mlflow", store.uri,
                 "--model", "churn", "--model", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no registered model 'nope'" in err and "registered models: Fraud Model, churn" in err
    assert not (tmp_path / "two").exists()
    assert main(["init", str(tmp_path / "three"), "--model", "churn"]) == 2  # needs the store
    assert not (tmp_path / "three").exists()
