"""The home page (fleet dashboard) and the tag pages as typed page contexts. Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.model import Project
from govkit.site.cards import header
from govkit.site.evidence import FailingCheck
from govkit.site.fleet import FleetRow, FleetSummary, fleet_summary
from govkit.site.plain import plain
from govkit.site.profiles import CoverageTable


def home_sources(project: Project) -> list[str]:
    """The files the home page, the tag pages and `status.json` are built from."""
    return ["govkit.yaml"] + [m.card_source for m in project.models]


class TagCount(TypedDict):
    """A tag of the fleet as the home page links it: how many models, how many failing."""

    tag: str
    models: int
    failing: int


class IndexContext(TypedDict):
    """Everything index.md.j2 reads, complete when built."""

    header: str
    project: Any
    models: list[FleetRow]
    failing: list[FailingCheck]
    fleet: FleetSummary
    as_of: str | None
    counts: dict[str, int]
    tags: list[TagCount]
    total: int
    coverage: CoverageTable | None
    layered: bool  # a model's row shows its three layers


def index_context(
    project: Project, rows: list[FleetRow], failing: list[FailingCheck],
    judged: list[CheckResult], tagged: dict[str, list[FleetRow]],
    coverage: CoverageTable | None, today: dt.date | None,
) -> IndexContext:
    """The dashboard: `rows` the fleet's rows in order, `failing` their failing checks with
    links, `judged` the checks the banner counts, `tagged` each tag's rows."""
    return {
        "header": header(home_sources(project), project.config.project),
        "project": plain(project.config), "models": rows, "failing": failing,
        "fleet": fleet_summary(rows, failing),
        "as_of": today.isoformat() if today else None,
        "counts": {s: sum(1 for c in judged if c.status == s) for s in STATUS_ORDER},
        "tags": [{"tag": tag, "models": len(members), "failing": _failing(members)}
                 for tag, members in tagged.items()],
        "total": len(judged), "coverage": coverage,
        "layered": any(r["layers"] is not None for r in rows),
    }


class TagContext(TypedDict):
    """Everything tag.md.j2 reads."""

    header: str
    tag: str
    models: list[FleetRow]
    failing: int


def tag_context(project: Project, tag: str, members: list[FleetRow]) -> TagContext:
    return {"header": header(home_sources(project), f"Tag: {tag}"), "tag": tag,
            "models": members, "failing": _failing(members)}


def _failing(members: list[FleetRow]) -> int:
    return sum(1 for m in members if m["status"] == "fail")
