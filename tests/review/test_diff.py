"""`govkit diff BASE HEAD` on real git revisions of a temporary repository (and on folders):
what a reviewer must see, the loosened ranges that need an owner, and an untouched tree."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from govkit.checks.results import DocumentedRange
from govkit.cli import main
from govkit.review.ranges import classify
from govkit.review.text import word_diff
from tests.conftest import snapshot

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(example: Path) -> Path:
    """The example project committed as revision `base` of a fresh repository."""
    root = example.parent
    shutil.rmtree(example / "mlflow_churn")
    for big in (example / "data").glob("*.parquet"):  # generated windows; the sample stays
        big.unlink()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    git(root, "tag", "base")
    return root


def commit(repo: Path, message: str) -> None:
    git(repo, "commit", "-qam", message)


def diff(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(repo / "examples"), "diff", *args])
    return code, capsys.readouterr().out


def test_loosened_range_is_flagged_and_fails_on_request(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "examples/upsell/card.yaml", "    min: 0.80", "    min: 0.70")
    commit(repo, "loosen")
    before_tree, before_head = snapshot(repo / "examples"), git(repo, "rev-parse", "HEAD")
    code, out = diff(repo, capsys, "base", "HEAD")
    assert code == 0
    assert "1 documented range(s) loosened: an owner's approval is needed** " \
           "(upsell: Growth ML Team)" in out
    assert ("| upsell/card.yaml\\:35 | accuracy | ≥ 0.80 | ≥ 0.70 | ⚠️ **loosened**: needs "
            "an owner's approval |") in out
    # the New Users segment now passes: a status flip, listed first
    assert "| 1.1.0/segment/new-users/accuracy | 0.70 | 0.70 | 0 | fail → **pass** |" in out
    assert diff(repo, capsys, "base", "HEAD", "--fail-on", "loosened")[0] == 1
    # read with git only: working tree, index and refs untouched
    assert snapshot(repo / "examples") == before_tree
    assert git(repo, "rev-parse", "HEAD") == before_head
    assert git(repo, "status", "--porcelain") == ""


def test_tightened_range_is_reported_but_not_flagged(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "examples/upsell/card.yaml", "    min: 0.75", "    min: 0.78")
    commit(repo, "tighten")
    code, out = diff(repo, capsys, "base", "HEAD", "--fail-on", "loosened")
    assert code == 0
    assert "| upsell/card.yaml\\:38 | auc\\_roc | ≥ 0.75 | ≥ 0.78 | tightened |" in out
    assert "loosened" not in out and "approval" not in out


def test_moved_alias_new_version_and_waiver(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    releases = repo / "examples/upsell/releases"
    registry = "training:\n  source: mlflow\n  registry:\n    aliases: [{}]\n"
    (releases / "1.0.0.yaml").write_text(
        (releases / "1.0.0.yaml").read_text() + registry.format("champion"))
    commit(repo, "alias on 1.0.0")
    git(repo, "tag", "before")
    (releases / "1.0.0.yaml").write_text(
        (releases / "1.0.0.yaml").read_text().replace("[champion]", "[]"))
    (releases / "1.2.0.yaml").write_text(
        'version: "1.2.0"\ndate: 2024-09-01\nmetrics:\n'
        "  accuracy: {value: 0.83}\n"
        "  auc_roc: {value: 0.72, min: 0.70}\n" + registry.format("champion"))
    git(repo, "add", "-A")
    commit(repo, "1.2.0 is the champion")
    code, out = diff(repo, capsys, "before", "HEAD", "--fail-on", "new-failure")
    assert code == 0  # nothing that passed fails now
    assert "- Versions added: 1.2.0" in out
    assert "- Alias champion: 1.0.0 → 1.2.0" in out
    assert "| 1.2.0/accuracy (vs 1.1.0) | 0.92 | 0.83 | −0.09 (−9.8%) | pass |".replace(
        "(", "\\(").replace(")", "\\)").replace("%", "\\%") in out
    # a release range looser than the card's: a waiver that needs approval
    assert ("| upsell/releases/1.2.0.yaml\\:5 | 1.2.0 auc\\_roc | ≥ 0.75 | ≥ 0.70 | ⚠️ "
            "**loosened**: needs an owner's approval (new version against 1.1.0) |") in out
    data = json.loads(diff(repo, capsys, "before", "HEAD", "--format", "json")[1])
    [upsell] = [m for m in data["models"] if m["name"] == "upsell"]
    assert upsell["aliases"] == [{"model": "upsell", "alias": "champion", "old": "1.0.0",
                                  "new": "1.2.0"}]
    assert data["loosened"] == 1 and upsell["ranges"][0]["old"]["min"] == 0.75


def test_removed_range_and_version_and_text(repo: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "examples/churn/card.yaml", "    min: 0.50\n    exclusive: true\n", "")
    (repo / "examples/churn/releases/2.2.0.yaml").unlink()
    edit(repo / "examples/upsell/card.yaml", "Pricing decisions", "Pricing or discount decisions")
    commit(repo, "drop a range")
    code, out = diff(repo, capsys, "base", "HEAD", "--fail-on", "loosened")
    assert code == 1
    assert "- Versions removed: 2.2.0" in out
    assert "| 2.3.0/recall\\_at\\_10 | 0.62 | 0.62 | 0 | pass → **no\\_range** |" in out
    assert "| churn/card.yaml\\:55 | recall\\_at\\_10 | \\> 0.50 | none | ⚠️ **loosened**" in out
    assert ("- intended\\_use.out\\_of\\_scope (upsell/card.yaml\\:13): Pricing **or discount** "
            "decisions · Users under 18") in out


def test_alerts_runbooks_and_dictionary_entries(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alerts = repo / "examples/churn/alerts.yaml"
    edit(alerts, "    severity: P2\n", "    severity: P4\n")  # auc-degradation
    text = alerts.read_text()
    start, end = text.index("  - id: session-drift"), text.index("runbooks:")
    alerts.write_text(text[:start] + text[end:])  # session-drift removed
    edit(alerts, "    last_reviewed: 2024-02-05\n    reviewed_by: ML Team\n    steps:\n"
         "      - id: rollback", "    last_reviewed: 2024-03-01\n    reviewed_by: ML Team\n"
         "    steps:\n      - id: rollback")
    dictionary = repo / "examples/datasets/churn-training.yaml"
    edit(dictionary, "    min: 0\n    max: 1440\n", "    min: 0\n    max: 2880\n")
    edit(dictionary, "  - name: device\n", "  - name: region\n    type: string\n"
         "  - name: device_kind\n")
    commit(repo, "operations and dictionary")
    code, out = diff(repo, capsys, "base", "HEAD")
    assert code == 0
    assert "**Alerts and runbooks**" in out
    assert ("| churn/alerts.yaml\\:7 | alert auc-degradation | changed | severity: P2 → P4 |"
            in out)
    assert "| alert session-drift | **removed** | – |" in out
    assert ("| runbook auc-severe-drop | changed | last\\_reviewed: 2024-02-05 → 2024-03-01 |"
            in out)
    assert "### Data dictionary churn-training" in out
    assert ("| datasets/churn-training.yaml\\:30 | entry session\\_minutes | changed | "
            "max: 1440 → 2880 |") in out
    assert "| entry region | added |" in out and "| entry device\\_kind | added |" in out
    assert "| entry device | **removed** |" in out
    data = json.loads(diff(repo, capsys, "base", "HEAD", "--format", "json")[1])
    [churn] = [m for m in data["models"] if m["name"] == "churn"]
    assert {"kind": "alert", "subject": "auc-degradation", "change": "changed",
            "source": "churn/alerts.yaml", "line": 7, "note": "",
            "details": [{"field": "severity", "old": "P2", "new": "P4"}]} in churn["operations"]
    [dataset] = data["datasets"]
    assert dataset["name"] == "churn-training" and dataset["state"] == "changed"
    assert sorted((e["subject"], e["change"]) for e in dataset["entries"]) == [
        ("device", "removed"), ("device_kind", "added"), ("region", "added"),
        ("session_minutes", "changed")]
    # nothing changed: no tables at all
    assert "Alerts and runbooks" not in diff(repo, capsys, "HEAD", "HEAD")[1]


def test_folders_and_bad_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = repo / "head-copy"
    shutil.copytree(repo / "examples", other)
    edit(other / "upsell/releases/1.1.0.yaml", "value: 0.81", "value: 0.74")
    code, out = diff(repo, capsys, f"dir:{repo / 'examples'}", f"dir:{other}", "--fail-on",
                     "new-failure")
    assert code == 1 and "| 1.1.0/auc\\_roc | 0.81 | 0.74 |" in out
    assert "Unchanged: churn" in out
    assert main(["-C", str(repo / "examples"), "diff", "no-such-rev", "HEAD"]) == 2
    assert "no-such-rev: not a git revision" in capsys.readouterr().err
    # a broken file in a revision is reported as REV:path, with its line
    edit(repo / "examples/upsell/card.yaml", "title: Upsell Propensity", "title: [")
    commit(repo, "broken")
    assert main(["-C", str(repo / "examples"), "diff", "HEAD", "base"]) == 2
    assert "HEAD:examples/upsell/card.yaml:" in capsys.readouterr().err


def test_outside_a_repository_revisions_are_an_input_error(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(example), "diff", "main", "HEAD"]) == 2
    assert "inside a git repository" in capsys.readouterr().err


@pytest.mark.parametrize(("old", "new", "verdict"), [
    (DocumentedRange(0.8, None, "card"), DocumentedRange(0.7, None, "card"), "loosened"),
    (DocumentedRange(0.8, None, "card"), DocumentedRange(0.9, None, "card"), "tightened"),
    (DocumentedRange(None, 0.1, "card"), DocumentedRange(None, 0.2, "card"), "loosened"),
    (DocumentedRange(None, 0.2, "card"), DocumentedRange(None, 0.1, "card"), "tightened"),
    (DocumentedRange(0.8, 0.9, "card"), DocumentedRange(0.8, None, "card"), "loosened"),
    (DocumentedRange(0.8, 0.9, "card"), None, "loosened"),
    (None, DocumentedRange(0.8, None, "card"), "tightened"),
    (DocumentedRange(0.8, None, "card", True), DocumentedRange(0.8, None, "card"), "loosened"),
    (DocumentedRange(0.8, None, "card"), DocumentedRange(0.8, None, "card", True), "tightened"),
    (DocumentedRange(0.8, 0.9, "card"), DocumentedRange(0.85, 0.95, "card"), "loosened"),  # one side looser
    (DocumentedRange(0.8, None, "card"), DocumentedRange(0.8, None, "release"), None),
    (None, DocumentedRange(None, None, "card"), None),
])
def test_classify(old: DocumentedRange | None, new: DocumentedRange | None, verdict: str | None) -> None:
    assert classify(old, new) == verdict


def test_word_diff() -> None:
    assert word_diff("a b c d", "a x c d e") == (
        ("=", "a"), ("-", "b"), ("+", "x"), ("=", "c d"), ("+", "e"))


@pytest.mark.parametrize("ref", ["base", "HEAD~1"])
def test_a_folder_named_like_a_revision_does_not_win(
        repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        ref: str) -> None:
    """A pull request adds a folder named like the base ref holding its own (loosened)
    state: the base must still be the revision, never the folder."""
    edit(repo / "examples/upsell/card.yaml", "    min: 0.80", "    min: 0.70")
    commit(repo, "loosen")
    shutil.copytree(repo / "examples", repo / ref)
    monkeypatch.chdir(repo)
    capsys.readouterr()
    code = main(["-C", "examples", "diff", ref, "HEAD", "--fail-on", "loosened"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{ref}: both a git revision (" in err and f"write dir:{ref}" in err
    # the folder, when meant, is written dir:PATH; the revision stays a revision elsewhere
    assert main(["-C", "examples", "diff", f"dir:{ref}", "HEAD"]) == 0
    shutil.rmtree(repo / ref)
    assert main(["-C", "examples", "diff", ref, "HEAD", "--fail-on", "loosened"]) == 1


def test_a_bare_folder_is_not_a_revision(repo: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(repo / "examples", repo / "copy")
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["-C", "examples", "diff", "copy", "HEAD"]) == 2
    assert "write dir:copy" in capsys.readouterr().err
    assert main(["-C", "examples", "diff", "dir:no-such", "HEAD"]) == 2
    assert "dir:no-such: no such folder" in capsys.readouterr().err
