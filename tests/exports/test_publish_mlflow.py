"""`govkit publish mlflow` against a real MLflow sqlite store, read back with MlflowClient."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from govkit.cli import main
from govkit.exports.mlflow_summary import BEGIN, END
from tests.sources.stores import SmallStore, blank_store, store_project

NAME = "churn-model"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return blank_store(tmp_path_factory.mktemp("blank"))


def _project(tmp_path: Path, blank: Path, *, description: str | None = None
             ) -> tuple[Path, SmallStore]:
    root, store = store_project(tmp_path / "p", blank, NAME, project="p",
                                extra="site_url: https://cards.example.org/\n")
    store.add_version(NAME, {"auc": 0.9})
    store.add_version(NAME, {"auc": 0.7})
    if description is not None:
        store.client.update_model_version(NAME, "1", description=description)
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    return root, store


def _state(client: Any, version: str) -> tuple[str, dict[str, str], str | None]:
    found = client.get_model_version(NAME, version)
    arts = [a.path for a in client.list_artifacts(found.run_id, "govkit")]
    return found.description, dict(found.tags), ",".join(arts) or None


def test_publish_twice_changes_nothing_and_keeps_a_hand_written_description(
        tmp_path: Path, blank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hand = "Hand-written: trained by Ana; see the design doc."
    root, store = _project(tmp_path, blank, description=hand)
    before = {v: store.client.get_model_version(NAME, v).last_updated_timestamp
              for v in ("1", "2")}
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--all"]) == 0
    assert "2 version(s) changed" in capsys.readouterr().out
    first = {v: _state(store.client, v) for v in ("1", "2")}
    description, tags, artifacts = first["1"]
    assert description.startswith(hand + "\n\n" + BEGIN) and description.endswith(END)
    assert "| auc | all | 0.9 | ≥ 0.80 | pass |" in description
    assert "https://cards.example.org/models/churn/versions/1.html" in description
    assert {k: v for k, v in tags.items() if k.startswith("govkit.")} == {
        "govkit.status": "pass", "govkit.failing": "0",
        "govkit.checked_at": tags["govkit.checked_at"],
        "govkit.card_url": "https://cards.example.org/models/churn/versions/1.html",
        # the registry's clock as publish left it, and as it was before (see ingest)
        "govkit.published_at_ms": str(store.client.get_model_version(NAME, "1")
                                      .last_updated_timestamp),
        "govkit.updated_before_ms": str(before["1"])}
    assert artifacts == "govkit/card.md"
    assert first["2"][1]["govkit.status"] == "fail" and first["2"][1]["govkit.failing"] == "1"
    updated = {v: store.client.get_model_version(NAME, v).last_updated_timestamp
               for v in ("1", "2")}

    assert main(["-C", str(root), "publish", "mlflow", "churn", "--all"]) == 0
    assert "0 version(s) changed, 2 unchanged" in capsys.readouterr().out
    assert {v: _state(store.client, v) for v in ("1", "2")} == first
    assert {v: store.client.get_model_version(NAME, v).last_updated_timestamp
            for v in ("1", "2")} == updated

    # a person edits the hand-written part: govkit's block is replaced, their text kept
    edited = "Edited by hand.\n\n" + description.partition("\n\n")[2]
    store.client.update_model_version(NAME, "1", description=edited)
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--version", "1"]) == 0
    assert "0 version(s) changed" in capsys.readouterr().out
    assert store.client.get_model_version(NAME, "1").description == edited


def test_dry_run_prints_the_diff_and_writes_nothing(
        tmp_path: Path, blank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, store = _project(tmp_path, blank)
    before = _state(store.client, "2")
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "+" + BEGIN in out and "tag govkit.status = fail" in out
    assert "artifact govkit/card.md" in out and "1 version(s) would change" in out
    assert _state(store.client, "2") == before


def test_a_broken_govkit_block_is_refused(tmp_path: Path, blank: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    root, store = _project(tmp_path, blank, description=f"notes {END} then {BEGIN}")
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--version", "1"]) == 2
    assert "govkit block is broken" in capsys.readouterr().err
    assert store.client.get_model_version(NAME, "1").description == f"notes {END} then {BEGIN}"


def test_refused_in_an_untrusted_build(tmp_path: Path, blank: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    root, store = _project(tmp_path, blank)
    monkeypatch.setenv("GOVKIT_UNTRUSTED", "1")
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--all"]) == 2
    assert "untrusted build" in capsys.readouterr().err
    assert store.client.get_model_version(NAME, "2").description in (None, "")


def test_ingest_leaves_what_publish_owns_out_of_the_release_records(
        tmp_path: Path, blank: Path) -> None:
    """govkit's block, govkit.* tags and the card artifact are not facts of the model: a
    re-ingest records the hand-written description and the registry's other tags only."""
    root, store = _project(tmp_path, blank, description="Hand notes.")
    store.client.set_model_version_tag(NAME, "1", "team", "risk")
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--all"]) == 0
    assert main(["-C", str(root), "ingest", "churn", "--update"]) == 0
    record = (root / "models" / "churn" / "releases" / "1.yaml").read_text(encoding="utf-8")
    assert "govkit:begin" not in record and "govkit.status" not in record
    assert "govkit/card.md" not in record
    assert "description: Hand notes." in record and "team: risk" in record


def test_the_ingest_after_a_publish_reports_no_change(
        tmp_path: Path, blank: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Publishing moves the registry's own last_updated_timestamp of each version it wrote
    (measured on this store); the next ingest finds every record current: exit 0, nothing
    written, no version listed as updated."""
    root, store = _project(tmp_path, blank, description="Hand notes.")
    releases = root / "models" / "churn" / "releases"
    before = {p.name: p.read_bytes() for p in sorted(releases.glob("*.yaml"))}
    stamps = {v: store.client.get_model_version(NAME, v).last_updated_timestamp
              for v in ("1", "2")}
    assert main(["-C", str(root), "publish", "mlflow", "churn", "--all"]) == 0
    assert {v: store.client.get_model_version(NAME, v).last_updated_timestamp
            for v in ("1", "2")} != stamps  # the registry moved its own clock
    capsys.readouterr()
    assert main(["-C", str(root), "ingest", "churn"]) == 0
    out = capsys.readouterr().out
    assert "0 updated" in out, out
    assert main(["-C", str(root), "ingest", "churn", "--update"]) == 0
    assert {p.name: p.read_bytes() for p in sorted(releases.glob("*.yaml"))} == before

    # a hand edit of the record file is undone by --update, byte for byte (the registry's
    # clock govkit records is the one before its publish, read from the registry itself)
    one = releases / "1.yaml"
    one.write_text(before["1.yaml"].decode().replace("Hand notes.", "Edited in the file."))
    assert main(["-C", str(root), "ingest", "churn", "--update"]) == 0
    assert one.read_bytes() == before["1.yaml"]

    # a hand edit outside govkit's block is still a change of the model
    found = store.client.get_model_version(NAME, "1")
    store.client.update_model_version(NAME, "1", description="Edited.\n\n" + found.description
                                      .partition("\n\n")[2])
    capsys.readouterr()
    assert main(["-C", str(root), "ingest", "churn"]) == 1
    assert "+    description: Edited." in capsys.readouterr().err
