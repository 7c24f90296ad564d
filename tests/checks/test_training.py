"""Training guides: the pipeline's evaluation gate against the card, the page, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.cli import main
from govkit.commands.build import build
from govkit.sources.project import load_project

CONFIG = "project: Training test\nmodels:\n  - name: risk\n"
CARD = """\
title: Risk
metrics:
  auc:
    label: AUC-ROC
    min: 0.85
    exclusive: true
  log_loss:
    goal: lower
    max: 0.4
  recall:
    max: 0.99
"""
RELEASE = """\
version: "1.0.0"
date: 2024-01-15
metrics:
  auc:
    value: 0.9
"""
GUIDE = """\
pipeline:
  name: risk-training
  schedule: "0 2 * * *"
  stages:
    - name: train
      image: training:v2
      hyperparameters: {learning_rate: 0.001}
    - name: evaluate
      thresholds:
        auc: 0.85
        log_loss: 0.4
      on_failure: alert_and_halt
owner: {name: ML Team, role: ML Engineer}
trigger:
  strategy: hybrid
  rules: [monthly, early on drift]
approach: full
validation:
  offline: against the current model
  canary: {traffic: 5%, duration: 3 days}
"""


def write(root: Path, **files: str) -> Path:
    defaults = {"govkit.yaml": CONFIG, "models/risk/card.yaml": CARD,
                "models/risk/releases/1.0.0.yaml": RELEASE, "models/risk/training.yaml": GUIDE}
    for rel, text in (defaults | files).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def results(root: Path) -> dict[str, tuple[str, str, str, int | None]]:
    return {r.id: (r.status, r.message, r.source, r.line)
            for r in check_project(load_project(root)) if r.kind == "training"}


def test_gates_that_match_the_card_pass(tmp_path: Path) -> None:
    got = results(write(tmp_path))
    assert {k: v[0] for k, v in got.items()} == {
        "risk/training/owner": "pass", "risk/training/evaluate/auc": "pass",
        "risk/training/evaluate/log_loss": "pass",
        "risk/training/reviewed": "insufficient_data"}  # no last_reviewed, no git
    assert got["risk/training/evaluate/log_loss"][1] == (
        "the pipeline's gate ≤ 0.40 agrees with the documented range ≤ 0.40 "
        "(models/risk/card.yaml:9)")


def test_a_gate_that_differs_fails_naming_both_files_and_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, **{"models/risk/training.yaml": GUIDE.replace("auc: 0.85", "auc: 0.90")})
    status, message, source, line = results(tmp_path)["risk/training/evaluate/auc"]
    assert (status, source, line) == ("fail", "models/risk/training.yaml", 10)
    assert message == ("the pipeline's gate ≥ 0.90 (models/risk/training.yaml:10) disagrees "
                       "with the documented range > 0.85 (models/risk/card.yaml:5): make them "
                       "the same")
    assert main(["-C", str(tmp_path), "check"]) == 1  # a failure, not a warning
    err = capsys.readouterr().err
    assert "models/risk/training.yaml:10: risk/training/evaluate/auc: the pipeline's gate" in err


def test_a_release_range_overrides_the_card(tmp_path: Path) -> None:
    release = RELEASE + "    min: 0.9\n"
    got = results(write(tmp_path, **{"models/risk/releases/1.0.0.yaml": release}))
    assert got["risk/training/evaluate/auc"][0] == "fail"
    assert "documented range ≥ 0.90 (models/risk/releases/1.0.0.yaml:6)" in \
        got["risk/training/evaluate/auc"][1]


def test_names_map_to_card_keys_and_unknown_ones_warn(tmp_path: Path) -> None:
    guide = GUIDE.replace("        auc: 0.85", "        roc: 0.85\n        accuracy: 0.8") + \
        "metrics: {roc: auc}\n"
    got = results(write(tmp_path, **{"models/risk/training.yaml": guide}))
    assert got["risk/training/evaluate/roc"][0] == "pass"
    status, message, _, line = got["risk/training/evaluate/accuracy"]
    assert (status, line) == ("warn", 11)
    assert message.startswith("the pipeline gates on 'accuracy' (models/risk/training.yaml:11), "
                              "which the card does not document")


def test_a_gate_on_the_side_the_card_leaves_open_warns(tmp_path: Path) -> None:
    guide = GUIDE.replace("log_loss: 0.4", "recall: 0.5")
    status, message, _, _ = results(write(tmp_path, **{
        "models/risk/training.yaml": guide}))["risk/training/evaluate/recall"]
    assert status == "warn"
    assert "the card documents no minimum for 'recall'" in message


def test_without_a_release_the_card_decides(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "models/risk/releases/1.0.0.yaml").unlink()
    got = results(tmp_path)
    assert got["risk/training/evaluate/auc"][0] == "pass"
    assert got["risk/training/evaluate/auc"][1].endswith("(models/risk/card.yaml:5)")


def test_guide_without_owner_warns(tmp_path: Path) -> None:
    guide = GUIDE.replace("owner: {name: ML Team, role: ML Engineer}\n", "")
    status, message, _, line = results(write(tmp_path, **{
        "models/risk/training.yaml": guide}))["risk/training/owner"]
    assert (status, line) == ("warn", 1)
    assert message.startswith("the training guide names no owner")


def test_page_and_card_link(tmp_path: Path) -> None:
    write(tmp_path, **{"models/risk/training.yaml": GUIDE.replace("auc: 0.85", "auc: 0.90")})
    build(tmp_path)
    page = (tmp_path / "docs/models/risk/training.md").read_text(encoding="utf-8")
    assert '!!! failure "1 pipeline check fails: the pipeline and the card disagree"' in page
    assert "- **Trigger strategy:** hybrid: Scheduled, and triggered early when needed" in page
    assert "- **Schedule:** `0 2 * * *`" in page
    assert "| Hyperparameters | learning\\_rate: 0.001 |" in page
    assert "| auc | 0.90 | &gt; 0.85 | :material-close-octagon:" in page
    assert "- **Canary deployment:** 5% of traffic, for 3 days" in page
    assert "- **Shadow deployment:** *Not documented*" in page
    card = (tmp_path / "docs/models/risk/index.md").read_text(encoding="utf-8")
    assert "- **Training guide:** [how to retrain and validate](training.md) (1 check fails)" \
        in card
    old = (tmp_path / "docs/models/risk/versions/1.0.0.md").read_text(encoding="utf-8")
    assert "(../training.md) (1 check fails)" in old
    home = (tmp_path / "docs/index.md").read_text(encoding="utf-8")
    assert "**training gate: AUC-ROC**" in home  # the home page does not claim a pass


def test_minimal_guide_page(tmp_path: Path) -> None:
    write(tmp_path, **{"models/risk/training.yaml":
                       "pipeline:\n  name: p\n  stages:\n    - name: only\n"})
    build(tmp_path)
    page = (tmp_path / "docs/models/risk/training.md").read_text(encoding="utf-8")
    assert "- **Trigger strategy:** *Not documented*" in page
    assert "- **Schedule:** none (not scheduled)" in page
    assert "- **Offline evaluation:** *Not documented*" in page
    assert "| Image | – |" in page
    assert '!!! warning "1 warning' in page  # no owner


def test_models_without_a_guide_get_no_page(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "models/risk/training.yaml").unlink()
    build(tmp_path)
    assert not (tmp_path / "docs/models/risk/training.md").exists()
    assert "Training guide" not in (tmp_path / "docs/models/risk/index.md").read_text()


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(GUIDE.replace("thresholds:", "threshold:"),
                 "models/risk/training.yaml:9: pipeline.stages[1].threshold: unknown field "
                 "(did you mean 'thresholds'?)", id="typo"),
    pytest.param(GUIDE.replace("auc: 0.85", "auc: high"),
                 "models/risk/training.yaml:10: pipeline.stages[1].thresholds.auc: Input should "
                 "be a valid number", id="not-a-number"),
    pytest.param(GUIDE.replace("name: evaluate", "name: train"),
                 "models/risk/training.yaml:1: pipeline: stage names must be unique: train "
                 "appears twice", id="duplicate-stage"),
    pytest.param(GUIDE.replace("strategy: hybrid", "strategy: sometimes"),
                 "models/risk/training.yaml:15: trigger.strategy: Input should be 'scheduled'",
                 id="unknown-strategy"),
    pytest.param("pipeline: {name: p, stages: []}\n",
                 "models/risk/training.yaml:1: pipeline.stages: List should have at least 1 "
                 "item", id="no-stages"),
    pytest.param("pipeline: [\n", "models/risk/training.yaml:", id="malformed"),
])
def test_bad_guide_exits_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    write(tmp_path, **{"models/risk/training.yaml": text})
    for command in (["build"], ["check"]):
        assert main(["-C", str(tmp_path), *command]) == 2
        err = capsys.readouterr().err
        assert expected in err, err
    assert not (tmp_path / "docs").exists()
