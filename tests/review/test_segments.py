"""Issue 23: a segment removed from a release is reported by `govkit diff` (its checks vanish
with it) and counts as a loosening for --fail-on loosened; it was silent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from govkit.cli import main


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _diff(example: Path, head: Path, capsys: pytest.CaptureFixture[str],
          *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(example), "diff", f"dir:{example}", f"dir:{head}", *args])
    return code, capsys.readouterr().out


NEW_USERS = """  - name: New Users
    description: Subscribed less than 30 days before the offer
    metrics:
      accuracy: {value: 0.70, ci: [0.681, 0.718], sample_size: 2400}
"""


def test_a_removed_segment_is_lost_evidence(
        example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = tmp_path / "head"
    shutil.copytree(example, head)
    # the failing New Users segment of the serving release is dropped: its check vanishes
    _edit(head / "upsell/releases/1.1.0.yaml", NEW_USERS, "")
    code, out = _diff(example, head, capsys)
    assert code == 0
    assert ("1 release segment(s) removed, their checks with them: an owner's approval is "
            "needed** (upsell: Growth ML Team)") in out
    assert ("| upsell/releases/1.1.0.yaml\\:19 | 1.1.0 | New Users | ⚠️ **removed** (accuracy "
            "no longer checked): needs an owner's approval |") in out
    assert _diff(example, head, capsys, "--fail-on", "loosened")[0] == 1
    data = json.loads(_diff(example, head, capsys, "--format", "json")[1])
    assert data["segments_lost"] == 1
    [upsell] = [m for m in data["models"] if m["name"] == "upsell"]
    assert upsell["segments"] == [{
        "model": "upsell", "version": "1.1.0", "segment": "New Users", "change": "removed",
        "metrics": ["accuracy"], "source": "upsell/releases/1.1.0.yaml", "line": 19,
        "note": "", "lost": True}]


def test_a_new_version_without_a_segment_of_the_latest_is_lost_evidence(
        example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = tmp_path / "head"
    shutil.copytree(example, head)
    (head / "upsell/releases/1.2.0.yaml").write_text(
        'version: "1.2.0"\ndate: 2024-09-01\nmetrics:\n  accuracy: {value: 0.93}\n'
        "  auc_roc: {value: 0.82}\nsegments:\n  - name: Power Users\n"
        "    metrics:\n      accuracy: {value: 0.95}\n", encoding="utf-8")
    code, out = _diff(example, head, capsys, "--fail-on", "loosened")
    assert code == 1
    for name in ("New Users", "Mobile Users", "Desktop Users"):
        assert (f"| 1.2.0 | {name} | ⚠️ **removed** (accuracy no longer checked): needs an "
                "owner's approval (new version against 1.1.0) |") in out
    assert "Power Users" not in out


def test_an_added_segment_is_reported_not_flagged(
        example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = tmp_path / "head"
    shutil.copytree(example, head)
    _edit(head / "upsell/releases/1.1.0.yaml", NEW_USERS,
          NEW_USERS + "  - name: Tablet Users\n    metrics:\n"
                      "      accuracy: {value: 0.90, sample_size: 900}\n")
    code, out = _diff(example, head, capsys, "--fail-on", "loosened")
    assert code == 0
    assert "| 1.1.0 | Tablet Users | added (accuracy) |" in out
    assert "removed" not in out
