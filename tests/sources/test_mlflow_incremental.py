"""`govkit ingest --all` reads again only versions whose records are not current, and ends
with exactly the records a full ingest writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from govkit.cli import main
from tests.conftest import snapshot
from tests.sources.stores import new_store

MODEL = "inc-churn"


def _project(root: Path) -> Path:
    (root / "models" / "churn").mkdir(parents=True)
    (root / "govkit.yaml").write_text(
        f"project: Inc\nmodels:\n  - name: churn\n    mlflow:\n      registered_model: {MODEL}\n"
    )
    return root


def _ingest(project: Path, uri: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code = main(["-C", str(project), "ingest", "churn", "--tracking-uri", uri, *extra])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return out


def test_incremental_ingest_ends_as_a_full_ingest(
    blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = new_store(blank_db, tmp_path / "store")
    for auc in (0.8, 0.81, 0.82, 0.83):
        store.add_version(MODEL, {"auc": auc})
    kept = _project(tmp_path / "kept")
    _ingest(kept, store.uri, capsys)

    store.client.delete_model_version(MODEL, "1")
    store.client.update_model_version(MODEL, "2", description="retrained")  # new timestamp
    store.client.set_model_version_tag(MODEL, "3", "reviewed", "yes")  # same timestamp
    store.add_version(MODEL, {"auc": 0.9})
    out = _ingest(kept, store.uri, capsys, "--update")
    assert "registry: 1 unchanged since their records, 2 updated, 1 new, " \
           "1 deleted from the registry (1)" in out

    fresh = _project(tmp_path / "fresh")
    _ingest(fresh, store.uri, capsys, "--full")
    incremental = snapshot(kept / "models" / "churn" / "releases")
    full = snapshot(fresh / "models" / "churn" / "releases")
    assert sorted(full) == ["2.yaml", "3.yaml", "4.yaml", "5.yaml"]
    assert {name: incremental[name] for name in full} == full
    assert b"reviewed: 'yes'" in full["3.yaml"] and b"retrained" in full["2.yaml"]
    # the deleted version's record is left for its owner to retire
    assert "1.yaml" in incremental


def test_alias_move_rereads_both_versions_and_nothing_else(
    blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = new_store(blank_db, tmp_path / "store")
    for auc in (0.8, 0.81, 0.82):
        store.add_version(MODEL, {"auc": auc})
    store.client.set_registered_model_alias(MODEL, "champion", "1")
    project = _project(tmp_path / "project")
    _ingest(project, store.uri, capsys)
    store.client.set_registered_model_alias(MODEL, "champion", "2")
    out = _ingest(project, store.uri, capsys)
    assert "registry: 1 unchanged since their records, 2 updated, 0 new, 0 deleted" in out
    records = {name: yaml.safe_load(text)["training"]["registry"] for name, text in
               snapshot(project / "models" / "churn" / "releases").items()}
    assert records["2.yaml"]["aliases"] == ["champion"] and "aliases" not in records["1.yaml"]
    [span] = records["1.yaml"]["alias_history"]  # the move is kept as history
    assert span["alias"] == "champion" and span.get("until")


def _run(project: Path, uri: str, capsys: pytest.CaptureFixture[str],
         *extra: str) -> tuple[int, str]:
    code = main(["-C", str(project), "ingest", "churn", "--tracking-uri", uri, *extra])
    out, err = capsys.readouterr()
    return code, out + err


def test_update_writes_the_change_the_check_run_showed(
    blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 23 item 4: a run's metric changed and an alias moved; the run without --update
    shows the diff, --update writes exactly it, and the result is what a --full ingest
    writes into a copy of the project as it was (same alias history, same clock)."""
    monkeypatch.setattr("govkit.commands.ingest._now", lambda: "2026-01-02T03:04:05Z")
    store = new_store(blank_db, tmp_path / "store")
    store.add_version(MODEL, {"val_auc": 0.91})
    store.add_version(MODEL, {"val_auc": 0.9947})
    store.client.set_registered_model_alias(MODEL, "champion", "1")
    kept = _project(tmp_path / "kept")
    _ingest(kept, store.uri, capsys)
    fresh = tmp_path / "fresh"
    shutil.copytree(kept, fresh)

    run_id = store.client.get_model_version(MODEL, "2").run_id
    store.client.log_metric(run_id, "val_auc", 0.5)
    store.client.set_registered_model_alias(MODEL, "champion", "2")
    code, shown = _run(kept, store.uri, capsys)
    assert code == 1, shown
    assert "-    value: 0.9947" in shown and "+    value: 0.5" in shown
    code, out = _run(kept, store.uri, capsys, "--update")
    assert code == 0, out
    assert "2.yaml" in out and "wrote" in out

    _ingest(fresh, store.uri, capsys, "--full", "--update")
    assert snapshot(kept / "models" / "churn" / "releases") == \
        snapshot(fresh / "models" / "churn" / "releases")


def test_a_changed_run_metric_alone_is_read_again(
    blank_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A finished run can still be given metrics: the record of its version is not current."""
    store = new_store(blank_db, tmp_path / "store")
    store.add_version(MODEL, {"val_auc": 0.9947})
    kept = _project(tmp_path / "kept")
    _ingest(kept, store.uri, capsys)
    store.client.log_metric(store.client.get_model_version(MODEL, "1").run_id, "val_auc", 0.5)
    code, shown = _run(kept, store.uri, capsys)
    assert code == 1 and "+    value: 0.5" in shown, shown
