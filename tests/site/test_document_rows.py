"""A model's document checks (card owner, card review, registry versions without a record)
each have a row on the card, anchored by the check id, and the home dashboard links a
warning to that row when nothing fails: a reader can always reach what gives a cell its
status."""

from __future__ import annotations

import re
from pathlib import Path

from govkit.checks.project import check_project
from govkit.cli import main
from govkit.site.evidence import evidence
from govkit.sources.project import load_project


def _overdue_card(example: Path) -> None:
    card = example / "churn/card.yaml"
    card.write_text(re.sub(r"(?m)^last_reviewed: .*$", "last_reviewed: 2020-01-01",
                           card.read_text(encoding="utf-8")), encoding="utf-8")


def test_a_document_check_links_to_its_row_on_the_card(example: Path) -> None:
    _overdue_card(example)
    checks = {c.id: c for c in check_project(load_project(example))}
    reviewed = checks["churn/card/reviewed"]
    assert reviewed.status == "warn"
    assert evidence(reviewed, "2.3.0", True) == "models/churn/index.md#churn/card/reviewed"


def test_the_card_shows_each_document_check_in_a_row_with_its_id(example: Path) -> None:
    _overdue_card(example)
    assert main(["-C", str(example), "build"]) == 0
    card = (example.parent / "site/models/churn/index.md").read_text(encoding="utf-8")
    rows = [line for line in card.splitlines() if 'class="gk-check" id="churn/card/' in line]
    assert len(rows) == 2, rows
    reviewed = next(r for r in rows if 'id="churn/card/reviewed"' in r)
    assert "**warning**" in reviewed and "last reviewed 2020-01-01" in reviewed
    owner = next(r for r in rows if 'id="churn/card/owner"' in r)
    assert "pass" in owner and "owned by ML Team" in owner


def test_a_governance_warning_on_the_dashboard_links_to_its_row(example: Path) -> None:
    _overdue_card(example)
    # the overdue postmortem is the example's one governance failure: written, a warning
    # (the card's review) is the worst governance status
    incidents = example / "churn/incidents.yaml"
    incidents.write_text(incidents.read_text(encoding="utf-8").replace(
        "    minutes_to_stabilise: 40\n", "    minutes_to_stabilise: 40\n"
        "    postmortem: https://wiki.example.com/postmortems/2024-02-02-new-users-auc\n"),
        encoding="utf-8")
    assert main(["-C", str(example), "build"]) == 0
    home = (example.parent / "site/index.md").read_text(encoding="utf-8")
    row = next(line for line in home.splitlines()
               if line.startswith("| ") and "[Churn Prediction](models/churn/" in line)
    governance = row.split(" | ")[2].split("<br>")[0]
    assert governance.startswith("governance ") and "**warning**" in governance, governance
    assert "[card: reviewed](models/churn/index.md#churn/card/reviewed)" in governance
