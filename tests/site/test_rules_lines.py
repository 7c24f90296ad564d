"""A model's governance and training checks as the dashboard and the card's lead box show
them (site/rules_lines.py): worst status, failing checks linked to their rows."""

from __future__ import annotations

from govkit.checks.project import check_project
from govkit.site.rules_lines import on_card, rules_lines
from govkit.sources.project import load_project
from tests.conftest import REPO


def test_failing_checks_link_to_their_rows_and_the_card_links_relative() -> None:
    project = load_project(REPO / "examples")
    results = [r for r in check_project(project) if r.model == "churn"]
    governance = [r for r in results if r.kind in ("governance", "document")
                  and "/profile/" not in r.id]
    training = [r for r in results if r.kind == "training"]
    lines = rules_lines(governance, training, "2.3.0", alerts=True)
    assert [(line["family"], line["status"]) for line in lines] == [
        ("governance", "fail"), ("training", "fail")]
    assert [[c["href"] for c in line["failing"]] for line in lines] == [
        ["models/churn/runbooks/index.md#churn/governance/postmortem-due/2024-02-02-new-users-auc"],
        ["models/churn/training.md#churn/training/model-evaluation/auc"]]
    card = on_card(lines, "churn")
    assert [c["href"] for line in card for c in line["failing"]] == [
        "runbooks/index.md#churn/governance/postmortem-due/2024-02-02-new-users-auc",
        "training.md#churn/training/model-evaluation/auc"]
    # without alerts a governance failure's evidence is the card itself: no self link
    alone = on_card(rules_lines(governance, [], "2.3.0", alerts=False), "churn")
    assert [c["href"] for line in alone for c in line["failing"]] == [""]


def test_no_checks_no_status_and_nothing_on_the_card() -> None:
    lines = rules_lines([], [], None, alerts=False)
    assert [(line["status"], line["checks"], line["failing"]) for line in lines] == [
        (None, 0, []), (None, 0, [])]
    assert on_card(lines, "m") == []
