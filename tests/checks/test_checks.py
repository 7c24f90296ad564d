from __future__ import annotations

from pathlib import Path

import pytest

from govkit.checks.metrics import evaluate
from govkit.checks.project import check_project
from govkit.checks.results import NOT_DOCUMENTED, DocumentedRange, applicable
from govkit.formatting import fmt
from govkit.schemas.card import MetricDefinition
from govkit.schemas.release import MetricValue
from govkit.sources.project import load_project


@pytest.mark.parametrize(
    ("value", "rng", "status"),
    [
        (0.87, DocumentedRange(0.85, None, "x"), "pass"),
        (0.85, DocumentedRange(0.85, None, "x"), "pass"),
        (0.85, DocumentedRange(0.85, None, "x", exclusive=True), "fail"),
        (0.84, DocumentedRange(0.85, None, "x"), "fail"),
        (0.2, DocumentedRange(None, 0.1, "x"), "fail"),
        (0.05, DocumentedRange(0.0, 0.1, "x"), "pass"),
        (0.5, DocumentedRange(None, None, "x"), "no_range"),
    ],
)
def test_evaluate(value: float, rng: DocumentedRange, status: str) -> None:
    assert evaluate(value, rng)[0] == status


def test_failure_message_names_value_and_range() -> None:
    assert evaluate(0.82, DocumentedRange(0.85, None, "x", True)) == (
        "fail", "0.82 is below the allowed range > 0.85")


def test_range_precedence_hand_written_release_then_card_then_run() -> None:
    card = DocumentedRange.of(MetricDefinition(min=0.8), "card")
    assert applicable(DocumentedRange.of(MetricValue(value=1, min=0.9)), card).min == 0.9
    from_run = DocumentedRange.of(MetricValue(value=1, min=0.7, range_source="mlflow-run"))
    assert applicable(from_run, card).min == 0.8
    assert applicable(from_run, None).min == 0.7
    assert applicable(None, None) == NOT_DOCUMENTED


@pytest.mark.parametrize(("value", "text"), [
    (0.4, "0.40"), (0.87, "0.87"), (0.8725, "0.8725"), (0.123456, "0.1235"), (3.0, "3"),
    (1200000, "1200000"), (0.0001234, "0.0001234"), (-0.01, "-0.01"), (None, "–"),
])
def test_fmt_is_stable(value: float | None, text: str) -> None:
    assert fmt(value) == text


def test_example_checks_have_stable_ids_and_source_lines(example: Path) -> None:
    results = {r.id: r for r in check_project(load_project(example), "all")}
    failing = results["upsell/1.1.0/segment/new-users/accuracy"]
    assert failing.status == "fail"
    assert (failing.source, failing.line) == ("upsell/card.yaml", 35)
    lines = (example / failing.source).read_text().splitlines()
    assert lines[failing.line - 1].strip() == "min: 0.80"
    auc = results["churn/2.3.0/auc_roc"]
    assert (auc.status, auc.value, str(auc.range)) == ("pass", 0.87, "> 0.85")
    assert sum(r.failed for r in results.values() if r.kind == "release") == 1
    live = results["churn/live/2024-02-01/segment/user-segment-new-users/auc_roc"]
    assert (live.status, live.kind, live.source, live.line) == (
        "fail", "monitoring", "churn/card.yaml", 48)


def test_latest_scope_checks_only_newest_release(example: Path) -> None:
    versions = {(r.model, r.version) for r in check_project(load_project(example), "latest")
                if r.model and r.kind not in ("governance", "document")}  # no release
    assert versions == {("churn", "2.3.0"), ("upsell", "1.1.0")}
