"""`govkit diff` flags loosened settings that change verdicts (issue 23, item 5): a card
margin raised, monitoring rules relaxed, a metric mapping changed; `--fail-on loosened`
exits 1. Real git revisions of a temporary repository (fixtures of tests/review/test_diff.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review.test_diff import commit, diff, edit, git, repo  # noqa: F401 (fixture)

CHURN_AUC = "    min: 0.85\n    exclusive: true\n  precision_at_10:"
RULES = "      rules:\n        require_effect_size: true"


def _flagged(repo: Path, capsys: pytest.CaptureFixture[str], row: str) -> None:  # noqa: F811
    code, out = diff(repo, capsys, "base", "HEAD")
    assert code == 0 and "Unchanged: churn" not in out, out
    assert row in out, out
    assert "setting(s) loosened" in out, out
    assert diff(repo, capsys, "base", "HEAD", "--fail-on", "loosened")[0] == 1


def test_raised_margin_is_a_loosening(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    card = repo / "examples/churn/card.yaml"
    edit(card, CHURN_AUC, CHURN_AUC.replace("true\n", "true\n    margin: 0\n", 1))
    commit(repo, "margin 0")
    git(repo, "tag", "-f", "base")  # BASE writes margin 0 explicitly
    edit(card, "    margin: 0\n", "    margin: 0.05\n")
    commit(repo, "margin 0.05")
    _flagged(repo, capsys, "| metrics.auc\\_roc.margin | 0 | 0.05 | ⚠️ **loosened**")


def test_relaxed_relative_drop_is_a_loosening(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit(repo / "examples/govkit.yaml", RULES, RULES + "\n        max_relative_drop: 0.5")
    commit(repo, "relax drop")
    _flagged(repo, capsys, "| monitoring.rules.max\\_relative\\_drop | 0.05 | 0.5 | ⚠️ **loosened**")


def test_smaller_alpha_is_a_loosening(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit(repo / "examples/govkit.yaml", RULES, RULES + "\n        alpha: 0.001")
    commit(repo, "alpha")
    _flagged(repo, capsys, "| monitoring.rules.alpha | 0.05 | 0.001 | ⚠️ **loosened**")


def test_larger_alpha_is_a_tightening_not_flagged(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit(repo / "examples/govkit.yaml", RULES, RULES + "\n        alpha: 0.1")
    commit(repo, "alpha up")
    code, out = diff(repo, capsys, "base", "HEAD", "--fail-on", "loosened")
    assert code == 0 and "| monitoring.rules.alpha | 0.05 | 0.1 | tightened |" in out, out


def test_changed_metric_mapping_needs_review(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit(repo / "examples/govkit.yaml", "metrics: {roc_auc: auc_roc}", "metrics: {}")
    commit(repo, "unmap")
    _flagged(repo, capsys, "| monitoring.metrics | ")


def test_added_waiver_is_a_loosening(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    alerts = repo / "examples/churn/alerts.yaml"
    alerts.write_text(alerts.read_text(encoding="utf-8") + (
        "waivers:\n  - rule: alert-runbook\n    subject: auc-degradation\n"
        "    reason: runbook in review\n    expires: 2099-01-01\n"), encoding="utf-8")
    commit(repo, "waive")
    _flagged(repo, capsys, "| waiver alert-runbook auc-degradation | none | waived | ⚠️ **loosened**")


def test_milder_severity_is_a_loosening(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    edit(repo / "examples/govkit.yaml", RULES,
         RULES + "\n        severity: {drift_significant: P4}")
    commit(repo, "milder")
    _flagged(repo, capsys,
             "| monitoring.rules.severity.drift\\_significant | P3 | P4 | ⚠️ **loosened**")
