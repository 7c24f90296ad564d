"""The serving version as a first-class fact (issue 10), from real MLflow sqlite stores:
the main page, the home page and `govkit check` lead with the version behind the serving
alias (else MLflow's Production stage, else the latest, said so); newer versions are
candidates; a moved alias leaves an observed interval that pins monitoring windows; a
version deleted from the registry is warned about and marked, never dropped."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
import yaml

from govkit.cli import main
from govkit.commands.ingest import ingest_mlflow
from govkit.commands.monitor import pinned_release
from govkit.sources.project import load_project
from tests.sources.stores import SmallStore, store_project

MODEL = "churn-serving"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # printed paths are relative to the working folder


def _project(root: Path, blank_db: Path, extra: str = "") -> tuple[Path, SmallStore]:
    return store_project(root, blank_db, MODEL, project="Serving", extra=extra)


def _registry(root: Path, version: str) -> dict:
    path = root / "models/churn/releases" / f"{version}.yaml"
    return yaml.safe_load(path.read_text())["training"]["registry"]


def _page(root: Path, rel: str) -> str:
    return (root / "docs" / rel).read_text()


@pytest.fixture(scope="module")
def promoted(tmp_path_factory: pytest.TempPathFactory, blank_db: Path) -> tuple[Path, SmallStore]:
    """Three versions; champion on 2; 3 is newer, unpromoted and below the card's range; 2's
    run declares a looser range (0.75) than the card's (0.8)."""
    root, store = _project(tmp_path_factory.mktemp("promoted") / "p", blank_db,
                           "  ui_url: https://mlflow.example.com/ml/\n")
    store.add_version(MODEL, {"auc": 0.88})
    store.add_version(MODEL, {"auc": 0.9}, run_tags={"govkit.threshold.auc.min": "0.75"})
    store.add_version(MODEL, {"auc": 0.7})
    store.client.set_registered_model_alias(MODEL, "champion", "2")
    assert main(["-C", str(root), "ingest", "churn", "--all"]) == 0
    assert main(["-C", str(root), "build"]) == 0
    return root, store


def test_main_and_home_pages_lead_with_the_serving_version(
    promoted: tuple[Path, SmallStore]
) -> None:
    root, _ = promoted
    card = _page(root, "models/churn/index.md")
    assert "# Model Card: Churn v2\n" in card
    assert ('!!! info "Serving version: 2 (alias champion)"\n    This page shows the version '
            "in production; the newest release is [3](versions/3.md).") in card
    assert "| [3](versions/3.md) | " in card and " | – | – | candidate |" in card
    assert " | champion | – | serving |" in card
    assert " | – | – | superseded |" in card
    home = _page(root, "index.md")
    assert ("[2](models/churn/versions/2.md) (serving: alias champion); candidate "
            "[3](models/churn/versions/3.md)") in home
    candidate = _page(root, "models/churn/versions/3.md")
    assert ("Version 3 (candidate: newer than the serving version [2](../index.md), "
            "not promoted)") in candidate
    history = _page(root, "models/churn/history.md")
    assert "| Aliases |" in history and "| Stage |" not in history  # no stage anywhere
    assert "[2](versions/2.md) (serving) |" in history


def test_both_ranges_and_mlflow_links_on_the_page(promoted: tuple[Path, SmallStore]) -> None:
    root, _ = promoted
    card = _page(root, "models/churn/index.md")
    assert "| ≥ 0.80 (card, applies; the training run declares ≥ 0.75) |" in card
    run_id = yaml.safe_load((root / "models/churn/releases/2.yaml").read_text())[
        "training"]["run"]["id"]
    assert (f"| Run | [{run_id}](https://mlflow.example.com/ml/#/experiments/1/runs/{run_id})"
            in card)
    assert ("[Open this version in the MLflow UI](https://mlflow.example.com/ml/#/models/"
            f"{MODEL}/versions/2)") in card
    assert "| Experiment | plain (id 1) | mlflow-run |" in card


def test_check_evaluates_the_serving_version_unless_asked(
    promoted: tuple[Path, SmallStore], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = promoted
    capsys.readouterr()
    assert main(["-C", str(root), "check"]) == 0  # 2 passes; 3 (auc 0.7) is not serving
    out = capsys.readouterr().out
    assert "  churn 2: serving, alias champion\n" in out
    assert "churn  3 " not in out
    assert main(["-C", str(root), "check", "--latest"]) == 1
    out = capsys.readouterr().out
    assert "  churn 3: latest (--latest)\n" in out and "FAIL" in out
    assert main(["-C", str(root), "check", "--all-versions"]) == 1
    assert "  churn: every version (3)\n" in capsys.readouterr().out
    assert main(["-C", str(root), "check", "--latest", "--all-versions"]) == 2


def test_legacy_stage_then_no_serving_version(
    tmp_path: Path, blank_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, store = _project(tmp_path / "p", blank_db)
    store.add_version(MODEL, {"auc": 0.85})
    store.add_version(MODEL, {"auc": 0.7})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # stages are deprecated in MLflow 3; still read
        store.client.transition_model_version_stage(MODEL, "1", "Production")
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    assert _registry(root, "1")["stage"] == "Production"
    capsys.readouterr()
    assert main(["-C", str(root), "check"]) == 0
    assert "  churn 1: serving, MLflow stage Production\n" in capsys.readouterr().out
    assert main(["-C", str(root), "build"]) == 0
    assert " | Production (MLflow) | serving |" in _page(root, "models/churn/index.md")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        store.client.transition_model_version_stage(MODEL, "1", "Archived")
    assert main(["-C", str(root), "ingest", "churn", "--update"]) == 0
    capsys.readouterr()
    assert main(["-C", str(root), "check"]) == 1  # falls back to the latest, 2, and says so
    assert ("  churn 2: no serving version known; latest release: no version carries the "
            "alias 'champion' or a production stage\n") in capsys.readouterr().out
    assert main(["-C", str(root), "build"]) == 0
    assert ("No release carries the serving alias `champion` or a production stage"
            in _page(root, "models/churn/index.md"))


def test_alias_move_keeps_observed_intervals_that_pin_windows(
    tmp_path: Path, blank_db: Path
) -> None:
    root, store = _project(tmp_path / "p", blank_db)
    for auc in (0.85, 0.9):
        store.add_version(MODEL, {"auc": auc})
    store.client.set_registered_model_alias(MODEL, "champion", "1")
    model_dir = root / "models" / "churn"

    def ingest(when: str) -> None:
        ingest_mlflow(model_dir, MODEL, store.uri, observed_at=when)

    ingest("2030-01-10T08:00:00Z")
    ingest("2030-01-20T08:00:00Z")  # nothing moved: nothing rewritten
    assert _registry(root, "1")["alias_history"] == [
        {"alias": "champion", "since": "2030-01-10T08:00:00Z"}]
    store.client.set_registered_model_alias(MODEL, "champion", "2")
    ingest("2030-03-01T08:00:00Z")
    assert _registry(root, "1")["alias_history"] == [
        {"alias": "champion", "since": "2030-01-10T08:00:00Z", "until": "2030-03-01T08:00:00Z"}]
    assert "aliases" not in _registry(root, "1")  # never on two versions
    assert _registry(root, "2")["alias_history"] == [
        {"alias": "champion", "since": "2030-03-01T08:00:00Z"}]
    model = load_project(root).model("churn")
    assert model is not None
    pins = {window: (record.release.version if record else None, basis)
            for window in ("2030-02-01", "2030-03-01", "2030-04-01", "2029-12-01")
            for record, basis in [pinned_release(model, None, window)]}
    assert pins["2030-02-01"] == ("1", "alias champion on 2030-02-01, as govkit ingest "
                                  "observed it")
    assert pins["2030-03-01"] == ("2", "alias champion on 2030-03-01, as govkit ingest "
                                  "observed it")  # the day it moved: the newer observation
    assert pins["2030-04-01"][0] == "2"
    # before govkit first saw the alias: the latest release dated before the window
    assert pins["2029-12-01"] == ("2", "latest release dated on or before 2029-12-01")


def test_deleted_version_is_warned_kept_and_marked(
    tmp_path: Path, blank_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, store = _project(tmp_path / "p", blank_db)
    for auc in (0.85, 0.9):
        store.add_version(MODEL, {"auc": auc})
    store.client.set_registered_model_alias(MODEL, "champion", "1")
    assert main(["-C", str(root), "ingest", "churn", "--all"]) == 0
    store.client.delete_model_version(MODEL, "1")
    capsys.readouterr()
    assert main(["-C", str(root), "ingest", "churn", "--all"]) == 0
    out, err = capsys.readouterr()
    assert ("warning: p/models/churn/releases/1.yaml: version 1 of registered model "
            f"'{MODEL}' was deleted from the registry; the record and its page are kept, "
            "marked deleted") in err
    assert "marked deleted from the registry: p/models/churn/releases/1.yaml" in out
    registry = _registry(root, "1")
    assert registry["deleted"] is True and "aliases" not in registry
    assert registry["alias_history"][0]["until"]  # the alias went with it
    assert main(["-C", str(root), "ingest", "churn", "--all"]) == 0
    out, err = capsys.readouterr()
    assert "0 written, 1 unchanged" in out and err == ""  # marked once, warned once
    assert main(["-C", str(root), "build"]) == 0
    page = _page(root, "models/churn/versions/1.md")
    assert '!!! warning "Version 1 was deleted from the registry"' in page
    assert "| Registry version | 1 (deleted from the registry) | mlflow-registry |" in page
    assert " | deleted from the registry |" in _page(root, "models/churn/index.md")
