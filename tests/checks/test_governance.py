"""Governance checks of alerts, runbooks and incidents: the chapter's alert design rules and
"update runbooks after each incident", each a CheckResult that fails `govkit check` unless
waived until a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.checks.results import CheckResult
from govkit.cli import main
from govkit.sources.project import load_project
from tests.conftest import REPO

ALERTS = (REPO / "examples/churn/alerts.yaml").read_text()
TODAY = dt.date(2024, 6, 1)


def _governance(example: Path, today: dt.date = TODAY) -> dict[str, CheckResult]:
    results = check_project(load_project(example, today=today), "latest")
    return {r.id.split("/governance/")[1]: r for r in results if r.kind == "governance"
            and "/governance/profile/" not in r.id}  # profiles: tests/checks/test_profiles.py


def test_example_governance(example: Path) -> None:
    checks = _governance(example)
    assert {k: v.status for k, v in checks.items()} == {
        "alert-runbook/auc-degradation": "pass",
        "alert-owner-contact/auc-degradation": "pass",
        "alert-action/auc-degradation": "pass",
        "runbook-reviewed/auc-degradation": "pass",
        "alert-runbook/auc-severe-drop": "pass",
        "alert-owner-contact/auc-severe-drop": "pass",
        "alert-action/auc-severe-drop": "pass",
        "alert-action/session-drift": "pass",
        "alert-action/precision-at-10-below-min": "pass",
        "alert-action/recall-at-10-below-min": "pass",
        "alert-action/service-error-rate-above-max": "pass",  # the card's SLOs
        "alert-action/service-p99-latency-above-max": "pass",
        "postmortem-due/2023-11-20-stale-features": "pass",
        "postmortem-due/2024-02-02-new-users-auc": "fail",
        "alert-action/accuracy-below-min": "pass",
        "alert-action/auc-roc-below-min": "pass",
    }
    overdue = checks["postmortem-due/2024-02-02-new-users-auc"]
    assert (overdue.source, overdue.line) == ("churn/incidents.yaml", 18)
    assert overdue.message == ("no postmortem 7 days after the incident of 2024-02-02 "
                               "(due 2024-02-09)")
    assert str(overdue.range) == "a postmortem within 7 days of the incident"


def test_postmortem_not_yet_due_passes_and_target_is_configurable(example: Path) -> None:
    checks = _governance(example, dt.date(2024, 2, 9))
    assert checks["postmortem-due/2024-02-02-new-users-auc"].status == "pass"
    assert "due by 2024-02-09 (not yet due)" in checks[
        "postmortem-due/2024-02-02-new-users-auc"].message
    assert _governance(example, dt.date(2024, 2, 10))[
        "postmortem-due/2024-02-02-new-users-auc"].status == "fail"
    config = example / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "alerting:\n", "alerting:\n  incident_targets: {postmortem_days: 14}\n"))
    assert _governance(example, dt.date(2024, 2, 10))[
        "postmortem-due/2024-02-02-new-users-auc"].status == "pass"


def test_runbook_reviewed_before_last_incident_fails(example: Path) -> None:
    (example / "churn/alerts.yaml").write_text(
        ALERTS.replace("last_reviewed: 2024-02-05", "last_reviewed: 2024-01-20", 1))
    check = _governance(example)["runbook-reviewed/auc-degradation"]
    assert check.status == "fail"
    assert (check.source, check.line) == ("churn/alerts.yaml", 37)
    assert check.message == ("runbook reviewed 2024-01-20, before incident "
                             "2024-02-02-new-users-auc of 2024-02-02")


def test_alert_design_rules(example: Path) -> None:
    text = ALERTS.split("runbooks:")[0] + "runbooks: []\n"
    text = text.replace("    action: Check the session pipeline for changes; retrain if the "
                        "drift is real and lasting\n", "")
    (example / "churn/alerts.yaml").write_text(text)
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace(
        ', email: ml-team@example.com,\n     chat: "#churn-model"}', "}\n"))
    checks = _governance(example)
    failed = {k: v.message for k, v in checks.items() if v.failed}
    assert failed == {
        "alert-runbook/auc-degradation":
            "P2 alert has no runbook (only govkit's generated draft)",
        "alert-owner-contact/auc-degradation":
            "P2 alert pages ML Team, who has no email or chat on the card",
        "runbook-reviewed/auc-degradation":
            "no runbook reviewed, before incident 2024-02-02-new-users-auc of 2024-02-02",
        "alert-runbook/auc-severe-drop":
            "P1 alert has no runbook (only govkit's generated draft)",
        "alert-owner-contact/auc-severe-drop":
            "P1 alert pages ML Team, who has no email or chat on the card",
        "alert-action/session-drift": "alert states no action",
        "postmortem-due/2024-02-02-new-users-auc":
            "no postmortem 7 days after the incident of 2024-02-02 (due 2024-02-09)",
    }
    assert (checks["alert-action/session-drift"].source,
            checks["alert-action/session-drift"].line) == ("churn/alerts.yaml", 27)


def test_default_alerts_follow_the_rules_of_their_severity(example: Path) -> None:
    config = example / "govkit.yaml"
    config.write_text(config.read_text().replace("alerting:\n",
                                                 "alerting:\n  default_severity: P2\n"))
    check = _governance(example)["alert-runbook/accuracy-below-min"]
    assert check.status == "fail"
    assert (check.source, check.line) == ("upsell/card.yaml", 35)  # the documented bound


def test_waiver_turns_a_failure_into_waived_and_says_why(example: Path) -> None:
    (example / "churn/alerts.yaml").write_text(
        ALERTS + "waivers:\n  - rule: postmortem-due\n    subject: 2024-02-02-new-users-auc\n"
        "    reason: joint postmortem with the product team on 2024-06-10\n"
        "    expires: 2024-06-30\n")
    check = _governance(example)["postmortem-due/2024-02-02-new-users-auc"]
    assert check.status == "waived" and not check.failed
    assert check.message.endswith("; waived until 2024-06-30: joint postmortem with the "
                                  "product team on 2024-06-10")
    # a waiver of a rule that holds changes nothing
    assert _governance(example)["postmortem-due/2023-11-20-stale-features"].status == "pass"


def test_check_fails_on_an_overdue_postmortem_alone(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = example / "upsell/card.yaml"
    card.write_text(card.read_text().replace("min: 0.80", "min: 0.60"))
    (example / "churn/monitoring/2024-02-01.json").unlink()
    guide = example / "churn/training.yaml"  # the pipeline's gate agrees with the card
    guide.write_text(guide.read_text().replace("auc: 0.90", "auc: 0.85"))
    assert main(["-C", str(example), "check"]) == 1
    err = capsys.readouterr().err
    assert err.split("Failed checks:")[1].strip().splitlines() == [
        "churn/incidents.yaml:18: churn/governance/postmortem-due/"
        "2024-02-02-new-users-auc: no postmortem 7 days after the incident of 2024-02-02 "
        "(due 2024-02-09)"]
    incidents = example / "churn/incidents.yaml"
    incidents.write_text(incidents.read_text() + "    postmortem: https://wiki.example.com/pm/2\n")
    assert main(["-C", str(example), "check"]) == 0
