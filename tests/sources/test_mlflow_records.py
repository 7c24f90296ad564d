"""Release records from ordinary MLflow stores, through the CLI: a version with nothing
optional, an unreadable signature, an alias that moves, the same store by another path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from govkit.cli import main
from tests.sources.stores import SmallStore, store_project

MODEL = "churn-plain"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # printed paths are relative to the working folder


def _project(root: Path, blank_db: Path) -> tuple[Path, SmallStore]:
    """A project whose govkit.yaml points at its own store by a relative path."""
    return store_project(root, blank_db, MODEL, project="Plain")


def _release(root: Path, version: str) -> dict:
    return yaml.safe_load((root / "models/churn/releases" / f"{version}.yaml").read_text())


@pytest.fixture
def plain(tmp_path: Path, blank_db: Path) -> tuple[Path, SmallStore]:
    """One registered version: no tags, no description, no datasets, no params, no signature."""
    root, store = _project(tmp_path / "plain", blank_db)
    store.add_version(MODEL, {"auc": 0.91})
    return root, store


def test_version_with_nothing_optional_is_ingested(
    plain: tuple[Path, SmallStore], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = plain
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    assert capsys.readouterr().err == ""  # no signature is normal: no warning
    t = _release(root, "1")["training"]
    assert t["registry"] == {"version": "1", "created": t["registry"]["created"],
                             "updated": t["registry"]["updated"],
                             "source": t["registry"]["source"], "status": "READY"}
    assert t["experiment_name"] == "plain"
    for absent in ("datasets", "signature", "signature_error", "params", "tracking_uri",
                   "registered_model_description"):
        assert absent not in t


def test_build_after_ingesting_a_version_with_nothing_optional(
    plain: tuple[Path, SmallStore]
) -> None:
    root, _ = plain
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    assert main(["-C", str(root), "build"]) == 0
    page = (root / "docs" / "models" / "churn" / "index.md").read_text()
    assert ('| auc<br><span class="gk-check" id="churn/1/auc">churn/1/auc</span> | 0.91 |'
            in page)
    assert "(tracking URI `sqlite:///store/mlflow.db`)" in page  # from govkit.yaml


def test_unreadable_signature_is_a_warning_and_recorded(
    tmp_path: Path, blank_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, store = _project(tmp_path / "p", blank_db)
    store.add_version(MODEL, {"auc": 0.9}, model_file=None)  # a bare folder: no MLmodel
    store.add_version(MODEL, {"auc": 0.9}, model_file="flavors: [unclosed\n")
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line[:45] for line in err] == [
        "warning: version 1: signature not read from m",
        "warning: version 2: signature not read from m",
    ], err
    assert "MLmodel" in err[0]
    for version in ("1", "2"):
        t = _release(root, version)["training"]
        assert "signature" not in t
        assert t["signature_error"] and t["signature_error"] in err[int(version) - 1]
        assert "tmp" not in t["signature_error"]  # MLflow's temp folder changes every run
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    assert "0 written, 2 unchanged, 0 changed" in capsys.readouterr().out


def test_moved_alias_updates_the_version_it_left(
    tmp_path: Path, blank_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, store = _project(tmp_path / "p", blank_db)
    for auc in (0.88, 0.9, 0.92):
        store.add_version(MODEL, {"auc": auc})
    store.client.set_registered_model_alias(MODEL, "champion", "2")
    store.client.set_registered_model_alias(MODEL, "challenger", "1")
    assert main(["-C", str(root), "ingest", "churn", "--version", "1"]) == 0
    assert main(["-C", str(root), "ingest", "churn", "--alias", "champion"]) == 0
    first = (root / "models/churn/releases/1.yaml").read_bytes()
    store.client.set_registered_model_alias(MODEL, "champion", "3")
    capsys.readouterr()
    assert main(["-C", str(root), "ingest", "churn", "--alias", "champion", "--update"]) == 0
    out = capsys.readouterr().out
    assert "wrote p/models/churn/releases/3.yaml" in out
    assert "updated aliases in p/models/churn/releases/2.yaml" in out
    assert "2 written, 0 unchanged" in out
    assert _release(root, "3")["training"]["registry"]["aliases"] == ["champion"]
    assert "aliases" not in _release(root, "2")["training"]["registry"]
    assert (root / "models/churn/releases/1.yaml").read_bytes() == first  # challenger stays
    # Without --update too: an alias is never on two versions.
    store.client.set_registered_model_alias(MODEL, "champion", "1")
    assert main(["-C", str(root), "ingest", "churn", "--version", "2"]) == 0
    assert _release(root, "1")["training"]["registry"]["aliases"] == ["challenger", "champion"]
    assert "aliases" not in _release(root, "3")["training"]["registry"]
    # The selected version itself, when only its aliases changed: updated, not a conflict.
    store.client.set_registered_model_alias(MODEL, "champion", "2")
    capsys.readouterr()
    assert main(["-C", str(root), "ingest", "churn", "--version", "2"]) == 0
    out = capsys.readouterr().out
    assert "updated aliases in p/models/churn/releases/2.yaml" in out
    assert "updated aliases in p/models/churn/releases/1.yaml" in out
    assert "2 written, 0 unchanged, 0 changed" in out


def test_alias_left_alone_in_a_hand_edited_record_is_reported(
    tmp_path: Path, blank_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, store = _project(tmp_path / "p", blank_db)
    for auc in (0.88, 0.9):
        store.add_version(MODEL, {"auc": auc})
    store.client.set_registered_model_alias(MODEL, "champion", "1")
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    path = root / "models/churn/releases/1.yaml"
    edited = path.read_text() + "# reviewed by hand\n"
    path.write_text(edited)
    store.client.set_registered_model_alias(MODEL, "champion", "2")
    capsys.readouterr()
    assert main(["-C", str(root), "ingest", "churn", "--version", "2"]) == 0
    assert path.read_text() == edited
    err = capsys.readouterr().err
    assert "p/models/churn/releases/1.yaml: aliases changed in the registry (now: none)" in err


def test_same_store_by_another_path_is_no_difference(
    plain: tuple[Path, SmallStore], capsys: pytest.CaptureFixture[str]
) -> None:
    root, store = plain
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    assert "tracking_uri" not in _release(root, "1")["training"]
    capsys.readouterr()
    assert main(["-C", str(root), "ingest", "churn", "--tracking-uri", store.uri]) == 0
    assert "0 written, 1 unchanged, 0 changed" in capsys.readouterr().out
