"""A model's governance and training checks in one line each, for the dashboard's column and
the card's lead box: the worst status and the failing checks, each linked to its evidence."""

from __future__ import annotations

from collections.abc import Callable

from govkit.checks.results import CheckResult, worst
from govkit.model import MODELS_PAGE_DIR
from govkit.site.card_parts import FailingCheck, Family, RulesLine
from govkit.site.evidence import failing_check


def rules_lines(governance: list[CheckResult], training: list[CheckResult],
                main_version: str | None, alerts: bool) -> list[RulesLine]:
    """`governance`: the model's alert, incident and document checks; `training`: its training
    guide's; failing checks in id order, each with the page and anchor of its value."""
    families: tuple[tuple[Family, list[CheckResult]], ...] = (
        ("governance", governance), ("training", training))
    return [_line(family, sorted(checks, key=lambda c: c.id), main_version, alerts)
            for family, checks in families]


def _line(family: Family, checks: list[CheckResult], main_version: str | None,
          alerts: bool) -> RulesLine:
    def linked(keep: Callable[[CheckResult], bool]) -> list[FailingCheck]:
        return [failing_check(c, main_version, alerts) for c in checks if keep(c)]

    return {"family": family, "status": worst(checks), "checks": len(checks),
            "failing": linked(lambda c: c.failed),
            "warning": linked(lambda c: c.status == "warn")}


def on_card(lines: list[RulesLine], model: str) -> list[RulesLine]:
    """The lines whose checks fail, their links relative to the model's main card (a row of
    the card itself by its anchor; "" where the evidence is the card without a row)."""
    base = f"{MODELS_PAGE_DIR}/{model}/"

    def href(check: FailingCheck) -> str:
        relative = check["href"].removeprefix(base)
        return "" if relative == "index.md" else relative.removeprefix("index.md")

    def relative(checks: list[FailingCheck]) -> list[FailingCheck]:
        return [{**c, "href": href(c)} for c in checks]

    return [{**line, "failing": relative(line["failing"]), "warning": relative(line["warning"])}
            for line in lines if line["failing"]]
