"""alerts.yaml and incidents.yaml: every alert resolved from the documented ranges and rules,
every bad reference a `FILE:LINE: field: message (fix)` with exit 2 and nothing written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govkit.checks.metrics import documented_range
from govkit.cli import main
from govkit.errors import InputError
from govkit.sources.project import load_project
from tests.conftest import REPO, snapshot

ALERTS = (REPO / "examples/churn/alerts.yaml").read_text()
INCIDENTS = (REPO / "examples/churn/incidents.yaml").read_text()
WAIVER = ("waivers:\n  - rule: postmortem-due\n    subject: 2024-02-02-new-users-auc\n"
          "    reason: postmortem scheduled with the product team\n    expires: 2024-03-01\n")


def test_example_alerts_are_resolved(example: Path) -> None:
    project = load_project(example)
    churn, upsell = project.models
    alerts = {a.id: a for a in churn.ops.alerts}
    assert sorted(alerts) == ["auc-degradation", "auc-severe-drop", "precision-at-10-below-min",
                              "recall-at-10-below-min", "service-error-rate-above-max",
                              "service-p99-latency-above-max", "session-drift"]
    latency = alerts["service-p99-latency-above-max"]  # a documented SLO's default alert
    assert (latency.threshold, latency.op, str(latency.range), latency.default) == (
        200, ">", "≤ 200", True)
    assert (latency.threshold_at.source, latency.threshold_at.line) == ("churn/card.yaml", 71)
    auc = alerts["auc-degradation"]
    assert (auc.threshold, auc.op, str(auc.range), auc.default) == (0.85, "<=", "> 0.85", False)
    assert (auc.where.source, auc.where.line) == ("churn/alerts.yaml", 7)
    assert (auc.threshold_at.source, auc.threshold_at.line) == ("churn/card.yaml", 48)
    assert auc.owner is not None and auc.owner.chat == "#churn-model"
    assert auc.runbook is not None and auc.runbook.last_reviewed == dt.date(2024, 2, 5)
    assert [r.incident.id for r in auc.incidents] == [
        "2023-11-20-stale-features", "2024-02-02-new-users-auc"]
    drift = alerts["session-drift"]
    assert (drift.threshold, drift.op, drift.range) == (0.2, ">=", None)  # a rule, not a range
    assert drift.condition == "PSI of sessions_30d ≥ 0.20"
    severe = alerts["auc-severe-drop"]
    assert (severe.threshold, severe.op, severe.threshold_at) == (0.1, ">", None)
    # a card with ranges has alerts without writing any
    assert [(a.id, a.default, a.alert.severity) for a in upsell.ops.alerts] == [
        ("accuracy-below-min", True, "P3"), ("auc-roc-below-min", True, "P3")]


def test_alert_thresholds_are_the_ranges_the_checks_use(example: Path) -> None:
    """sources/bounds.py follows checks.results.applicable: hand-written release range > card
    range > range declared by the training run."""
    release = example / "churn/releases/2.3.0.yaml"
    release.write_text(release.read_text().replace(
        "precision_at_10:\n    value: 0.45",
        "precision_at_10:\n    value: 0.45\n    min: 0.42\n    max: 0.9"))
    project = load_project(example)
    for model in project.models:
        assert model.latest is not None
        for alert in model.ops.alerts:
            if alert.alert.metric is None or alert.alert.metric.startswith("service/"):
                continue  # an SLO's range: tests/sources/test_slo_alerts.py
            key = alert.alert.metric
            rng = documented_range(model, model.latest, key, ("metrics", key))
            assert alert.range == rng, alert.id  # the typed range itself, not its text
            bound = rng.min if alert.bound == "min" else rng.max
            assert alert.threshold == bound, alert.id
            assert alert.threshold_at is not None
            assert alert.threshold_at == (rng.min_at if alert.bound == "min" else rng.max_at)
    ids = [a.id for a in project.models[0].ops.alerts]
    assert "precision-at-10-above-max" in ids


def test_statistic_threshold_follows_the_configured_rules(example: Path) -> None:
    config = example / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "        require_effect_size: true",
        "        require_effect_size: true\n        psi: 0.3\n"
        "        features:\n          sessions_30d: {psi: 0.25}"))
    alert = load_project(example).models[0].ops.alert("session-drift")
    assert alert is not None and alert.threshold == 0.25
    assert alert.threshold_at is not None and alert.threshold_at.source == "govkit.yaml"


def test_default_alerts_can_be_turned_off(example: Path) -> None:
    (example / "upsell/alerts.yaml").write_text("default_alerts: false\n")
    assert load_project(example).models[1].ops.alerts == []


def test_expired_waiver_is_bad_input_only_after_its_expiry(example: Path) -> None:
    (example / "churn/alerts.yaml").write_text(ALERTS + WAIVER)
    project = load_project(example, today=dt.date(2024, 3, 1))
    assert [w.waiver.subject for w in project.models[0].ops.waivers] == [
        "2024-02-02-new-users-auc"]
    with pytest.raises(InputError) as exc:
        load_project(example, today=dt.date(2024, 3, 2))
    assert [str(p) for p in exc.value.problems] == [
        "examples/churn/alerts.yaml:65: waivers[0].expires: waiver of postmortem-due for "
        "'2024-02-02-new-users-auc' expired on 2024-03-01 (fix what it waives, or renew it "
        "with a new reason and expiry date)"]


def _break(example: Path, capsys: pytest.CaptureFixture[str], rel: str,
           text: str) -> tuple[int, str]:
    assert main(["-C", str(example), "build"]) == 0
    before = snapshot(example.parent / "site")
    (example / rel).write_text(text, encoding="utf-8")
    capsys.readouterr()
    code = main(["-C", str(example), "build"])
    err = capsys.readouterr().err
    assert snapshot(example.parent / "site") == before
    assert "nothing was written" in err
    return code, err


@pytest.mark.parametrize(("rel", "text", "expected"), [
    pytest.param("churn/alerts.yaml", ALERTS.replace("severity: P2", "severity: P5"),
                 "examples/churn/alerts.yaml:10: alerts[0].severity: Input should be 'P1', "
                 "'P2', 'P3' or 'P4', got 'P5' (use one of the listed values)",
                 id="unknown-severity"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("metric: auc_roc", "metric: auc"),
                 "examples/churn/alerts.yaml:9: alerts[0].metric: 'auc' is not a documented "
                 "metric of model 'churn' (no allowed range on the card or the latest "
                 "release) (document its range under metrics: in card.yaml, or use one of: "
                 "auc_roc, precision_at_10, recall_at_10, service/error_rate, "
                 "service/p99_latency)", id="undocumented-metric"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("  - alert: auc-severe-drop",
                                                     "  - alert: auc-severe"),
                 "examples/churn/alerts.yaml:54: runbooks[1].alert: no alert 'auc-severe' in "
                 "model 'churn' (use one of: auc-degradation, auc-severe-drop, session-drift, "
                 "precision-at-10-below-min, recall-at-10-below-min, service-error-rate-above-max, "
                 "service-p99-latency-above-max)", id="runbook-unknown-alert"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("        text: Compare to previous",
                                                     "        txt: Compare to previous"),
                 "examples/churn/alerts.yaml:44: runbooks[0].steps[1].txt: unknown field "
                 "(did you mean 'text'?)", id="step-unknown-field"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("      - id: new-users\n        section: "
                                                     "impact\n", "      - id: new-users\n"),
                 "examples/churn/alerts.yaml:49: runbooks[0].steps[4].id: 'new-users' is not "
                 "a default step (add section: to add a new step", id="step-unknown-id"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("remove: [prepare-rollback",
                                                     "remove: [prepare-rolback"),
                 "examples/churn/alerts.yaml:60: runbooks[1].remove[0]: 'prepare-rolback' is "
                 "not a default step", id="remove-unknown-step"),
    pytest.param("churn/alerts.yaml", ALERTS + WAIVER,
                 "examples/churn/alerts.yaml:65: waivers[0].expires: waiver of postmortem-due "
                 "for '2024-02-02-new-users-auc' expired on 2024-03-01", id="expired-waiver"),
    pytest.param("churn/alerts.yaml", ALERTS + WAIVER.replace("2024-02-02-new-users-auc",
                                                              "2024-02-03-outage"),
                 "examples/churn/alerts.yaml:63: waivers[0].subject: no incident '2024-02-03-outage' "
                 "in model 'churn' (use one of: 2023-11-20-stale-features, "
                 "2024-02-02-new-users-auc)", id="waiver-unknown-subject"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("threshold {threshold}\"\n    action: "
                                                     "Verify", "threshold {treshold}\"\n    "
                                                     "action: Verify"),
                 "examples/churn/alerts.yaml:12: alerts[0].trigger: unknown placeholder "
                 "{treshold}; known: {channels}", id="unknown-placeholder"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("<= {threshold}'", "<= 0.85'"),
                 "examples/churn/alerts.yaml:7: alerts[0]: expr does not use {threshold}",
                 id="expr-without-threshold"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("    owner: ML Team\n    trigger: \"Churn "
                                                     "model AUC is",
                                                     "    owner: Data Team\n    trigger: "
                                                     "\"Churn model AUC is"),
                 "examples/churn/alerts.yaml:11: alerts[0].owner: 'Data Team' is not an owner "
                 "on churn/card.yaml (use one of the card's owners (ML Team) or add them "
                 "under owners:)", id="unknown-owner"),
    pytest.param("churn/alerts.yaml", ALERTS.replace("feature: sessions_30d",
                                                     "feature: sessions_31d"),
                 "examples/churn/alerts.yaml:30: alerts[2].feature: 'sessions_31d' is not a "
                 "monitored feature of model 'churn'", id="unknown-feature"),
    pytest.param("churn/incidents.yaml", INCIDENTS.replace("alert: auc-degradation\n    "
                                                           "severity: P2\n    summary: >-\n"
                                                           "      In window",
                                                           "alert: auc-drop\n    severity: P2"
                                                           "\n    summary: >-\n      In window"),
                 "examples/churn/incidents.yaml:20: incidents[1].alert: no alert 'auc-drop' in "
                 "model 'churn'", id="incident-unknown-alert"),
    pytest.param("churn/incidents.yaml", INCIDENTS.replace("severity: P2", "severity: high", 1),
                 "examples/churn/incidents.yaml:7: incidents[0].severity: Input should be "
                 "'P1', 'P2', 'P3' or 'P4', got 'high'", id="incident-unknown-severity"),
    pytest.param("churn/incidents.yaml", INCIDENTS.replace("https://wiki", "javascript://wiki"),
                 "examples/churn/incidents.yaml:14: incidents[0].postmortem: String should "
                 "match pattern", id="postmortem-not-http"),
])
def test_bad_operations_input(example: Path, capsys: pytest.CaptureFixture[str], rel: str,
                              text: str, expected: str) -> None:
    code, err = _break(example, capsys, rel, text)
    assert code == 2, err
    assert expected in err, err
