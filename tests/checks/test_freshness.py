"""Ownership and freshness of documents, versions without a card, and waivers of document
checks (waivers.yaml, the same Waiver shape as alerts.yaml), through the CLI's exit codes."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.cli import main
from govkit.errors import InputError
from govkit.sources.project import load_project

CONFIG = """\
project: Freshness test
models:
  - name: risk
    mlflow: {registered_model: risk-model}
"""
CARD = """\
title: Risk
owners:
  - {name: ML Team, role: ML Engineer}
last_reviewed: 2024-02-01
"""
RELEASE = """\
version: "2.0"
date: 2024-03-01
metrics:
  auc: {value: 0.9, min: 0.8}
"""
LOG = """\
experiment: risk
experiment_id: '3'
last_run: '2024-03-05'
runs:
  - run_id: aaaa1111
    name: baseline
    params: {depth: '2'}
    metrics: {auc: 0.88, loss: 0.4}
    registered: [{model: risk-model, version: '2.0'}]
  - run_id: bbbb2222
    name: deeper
    params: {depth: '4'}
    metrics: {auc: 0.91, loss: 0.3}
    registered: [{model: risk-model, version: '3'}, {model: other-model, version: '1'}]
"""
DECISION = """\
question: Deeper trees?
options: [keep depth 2, depth 4]
decision: depth 4
date: 2024-03-06
who: Model review
owner: {name: Data Science, role: Data Scientist}
"""
EXPERIMENT = """\
experiments:
  - name: depth
    mlflow_experiment: risk
    model: risk
"""
TODAY = dt.date(2024, 6, 1)


def write(root: Path, **files: str) -> Path:
    files = {"govkit.yaml": CONFIG, "models/risk/card.yaml": CARD,
             "models/risk/releases/2.0.yaml": RELEASE, **files}
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def results(root: Path, today: dt.date = TODAY) -> dict[str, tuple[str, str]]:
    return {r.id: (r.status, r.message)
            for r in check_project(load_project(root, today=today))}


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["-C", str(root), "check", *args])
    out, err = capsys.readouterr()
    return code, out + err, err


def test_card_reviewed_before_the_latest_version_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path)
    assert results(tmp_path)["risk/card/reviewed"] == (
        "warn", "last reviewed 2024-02-01, before the latest version (2.0, 2024-03-01): "
        "review it against the new version and update last_reviewed")
    code, out, _ = run(tmp_path, capsys)
    assert code == 0 and "models/risk/card.yaml:4: risk/card/reviewed" in out
    assert run(tmp_path, capsys, "--strict")[0] == 1
    write(tmp_path, **{"models/risk/card.yaml": CARD.replace("2024-02-01", "2024-03-01")})
    assert results(tmp_path)["risk/card/reviewed"][0] == "pass"
    assert run(tmp_path, capsys, "--strict")[0] == 0


def test_without_last_reviewed_or_git_freshness_is_not_evaluated(tmp_path: Path) -> None:
    write(tmp_path, **{"models/risk/card.yaml": CARD.replace("last_reviewed: 2024-02-01\n", "")})
    status, message = results(tmp_path)["risk/card/reviewed"]
    assert status == "insufficient_data" and "not evaluated" in message


def _git(root: Path, *args: str, date: str = "2024-01-01T12:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_stale_by_git_history_and_fresh_when_changed_in_the_working_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = CARD.replace("last_reviewed: 2024-02-01\n", "")
    write(tmp_path, **{"models/risk/card.yaml": card})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "card", date="2024-01-20T12:00:00+00:00")
    assert results(tmp_path)["risk/card/reviewed"] == (
        "warn", "last changed 2024-01-20 (git), before the latest version (2.0, 2024-03-01): "
        "review it against the new version and update last_reviewed")
    assert run(tmp_path, capsys, "--strict")[0] == 1
    (tmp_path / "models/risk/card.yaml").write_text(card + "summary: reviewed for 2.0\n")
    assert results(tmp_path)["risk/card/reviewed"] == (
        "pass", "last changed 2024-06-01 (uncommitted changes), after the latest version "
        "(2.0, 2024-03-01)")
    _git(tmp_path, "commit", "-q", "-am", "review", date="2024-03-02T09:00:00+00:00")
    assert results(tmp_path)["risk/card/reviewed"][1].startswith("last changed 2024-03-02 (git)")


def test_architecture_older_than_a_quarter_warns(tmp_path: Path) -> None:
    system = ("title: Risk system\nowner: {name: Platform}\nlast_reviewed: 2024-02-01\n"
              "models: [risk]\ncomponents:\n  - {name: registry, kind: model-registry}\n")
    write(tmp_path, **{"govkit.yaml": CONFIG + "systems:\n  - name: core\n",
                       "systems/core.yaml": system})
    assert results(tmp_path)["system/core/reviewed"] == (
        "warn", "last reviewed 2024-02-01, more than 92 days ago (cadence: every 92 days): "
        "review it and update last_reviewed")
    assert results(tmp_path, dt.date(2024, 5, 1))["system/core/reviewed"][0] == "pass"
    configured = CONFIG + "freshness: {architecture: 365}\nsystems:\n  - name: core\n"
    write(tmp_path, **{"govkit.yaml": configured})
    assert results(tmp_path)["system/core/reviewed"] == (
        "pass", "last reviewed 2024-02-01, within 365 days")


def test_card_without_owner_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, **{"models/risk/card.yaml": "title: Risk\nlast_reviewed: 2024-03-01\n"})
    assert results(tmp_path)["risk/card/owner"] == (
        "warn", "the card names no owner (add owners: with a name and role (the chapter: an "
        "ML engineer))")
    assert run(tmp_path, capsys)[0] == 0
    code, out, _ = run(tmp_path, capsys, "--strict")
    assert code == 1 and "risk/card/owner" in out


def test_release_of_a_model_without_a_card_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, **{"govkit.yaml": CONFIG + "  - name: orphan\n",
                       "models/orphan/releases/1.0.yaml": RELEASE.replace("2.0", "1.0")})
    code, out, _ = run(tmp_path, capsys)
    assert code == 1
    assert ("govkit.yaml:5: orphan/1.0/card: release 1.0 of 'orphan' "
            "(models/orphan/releases/1.0.yaml) has no model card: write "
            "models/orphan/card.yaml") in out


def test_registry_version_known_only_from_an_experiment_log_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, **{"govkit.yaml": CONFIG + EXPERIMENT,
                       "experiments/depth/log.yaml": LOG,
                       "experiments/depth/decision.yaml": DECISION})
    got = results(tmp_path)
    assert got["risk/3/card"][0] == "fail"  # risk-model 3: no release record
    assert "risk/2.0/card" not in got  # recorded
    assert not any("other-model" in k for k in got)  # not a model of this project
    assert run(tmp_path, capsys)[0] == 1
    assert got["experiment/depth/owner"] == ("pass", "owned by Data Science")
    assert got["experiment/depth/reviewed"] == (
        "pass", "last reviewed 2024-03-06, after the newest run (2024-03-05)")


def test_experiment_log_with_runs_newer_than_its_decision_is_stale(tmp_path: Path) -> None:
    decision = DECISION.replace("date: 2024-03-06", "date: 2024-03-01").replace(
        "owner: {name: Data Science, role: Data Scientist}\n", "")
    write(tmp_path, **{"govkit.yaml": CONFIG + EXPERIMENT,
                       "experiments/depth/log.yaml": LOG,
                       "experiments/depth/decision.yaml": decision})
    got = results(tmp_path)
    assert got["experiment/depth/reviewed"] == (
        "warn", "last reviewed 2024-03-01, before the newest run (2024-03-05): record what "
        "the new runs decided and update last_reviewed")
    assert got["experiment/depth/owner"][0] == "warn"


WAIVERS = """\
waivers:
  - rule: document-reviewed
    subject: risk/card
    reason: Reviewed with the 3.0 release next week
    expires: 2099-06-30
  - rule: version-card
    subject: orphan/1.0
    reason: The card is being written
    expires: 2099-06-30
"""


def test_waivers_apply_to_document_checks_until_they_expire(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, **{"govkit.yaml": CONFIG + "  - name: orphan\n",
                       "models/orphan/releases/1.0.yaml": RELEASE.replace("2.0", "1.0"),
                       "waivers.yaml": WAIVERS})
    got = results(tmp_path)
    assert got["risk/card/reviewed"][0] == "waived"
    assert got["risk/card/reviewed"][1].endswith(
        "; waived until 2099-06-30: Reviewed with the 3.0 release next week")
    assert got["orphan/1.0/card"][0] == "waived"
    code = main(["-C", str(tmp_path), "check", "--strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {c["id"]: c["status"] for c in report["results"]}["orphan/1.0/card"] == "waived"
    assert main(["-C", str(tmp_path), "check"]) == 0
    capsys.readouterr()
    with pytest.raises(InputError) as info:
        load_project(tmp_path, today=dt.date(2099, 7, 1))
    assert ("waivers.yaml:5: waivers[0].expires: waiver of document-reviewed for "
            "'risk/card' expired on 2099-06-30") in str(info.value)


def test_expired_waiver_exits_2_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, **{"waivers.yaml": WAIVERS.replace("2099-06-30", "2020-01-01", 1)})
    code, _, err = run(tmp_path, capsys)
    assert code == 2
    assert ("waivers.yaml:5: waivers[0].expires: waiver of document-reviewed for 'risk/card' "
            "expired on 2020-01-01 (fix what it waives, or renew it with a new reason and "
            "expiry date)") in err


@pytest.mark.parametrize(("waivers", "expected"), [
    ("waivers:\n  - {rule: document-owner, subject: risk/cards, reason: r, "
     "expires: 2099-01-01}\n",
     "waivers.yaml:2: subject: document-owner of 'risk/cards' waives no check (no "
     "risk/cards/owner)"),
    ("waivers:\n  - {rule: alert-action, subject: auc, reason: r, expires: 2099-01-01}\n",
     "waivers.yaml:2: waivers[0].rule: alert-action is an alert rule (waive it in the "
     "model's alerts.yaml"),
    ("waivers:\n  - {rule: document-owner, subject: '../x', reason: r, "
     "expires: 2099-01-01}\n", "waivers.yaml:2: waivers[0].subject:"),
])
def test_bad_waivers_exit_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], waivers: str, expected: str
) -> None:
    write(tmp_path, **{"waivers.yaml": waivers})
    code, _, err = run(tmp_path, capsys)
    assert code == 2 and expected in err, err


def test_document_waiver_in_alerts_yaml_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, **{"models/risk/alerts.yaml": "waivers:\n  - {rule: document-owner, "
                       "subject: risk/card, reason: r, expires: 2099-01-01}\n"})
    code, _, err = run(tmp_path, capsys)
    assert code == 2
    assert ("alerts.yaml:2: waivers[0].rule: document-owner waives a document check (write "
            "it in waivers.yaml beside govkit.yaml)") in err
