"""A model's coverage of each governance profile: one page per model and profile, built from
the profile checks `check_project` computed (their `evidence`). Pure: plain data out."""

from __future__ import annotations

from typing import TypedDict

from govkit.checks.results import CheckResult, Found, Status
from govkit.model import ModelRecord, ProfileRecord, Project
from govkit.site.architecture import page_path as system_page
from govkit.site.cards import header
from govkit.site.dictionary import page_path as dictionary_page
from govkit.site.experiments import page_path as experiment_page
from govkit.site.training import page_name

PAGE_DIR = "profiles"  # below models/<model>/
WORDS = {"evidenced", "partly evidenced", "missing"}
# The card page's section (MkDocs heading anchor) of each top-level card field
CARD_ANCHORS = {
    "title": "", "summary": "", "model_details": "model-details",
    "intended_use": "intended-use", "factors": "factors", "training_data": "training-data",
    "evaluation_data": "evaluation-data", "ethical_considerations": "ethical-considerations",
    "limitations": "limitations", "caveats_and_recommendations": "caveats-and-recommendations",
    "owners": "owners-and-escalation", "escalation": "owners-and-escalation",
    "metrics": "metrics", "last_reviewed": "", "tags": "",
}


def page_path(model: str, profile: str) -> str:
    return f"models/{model}/{PAGE_DIR}/{profile}.md"


def coverage_word(check: CheckResult) -> str:
    """evidenced, partly evidenced or missing: the start of the check's message."""
    word = check.message.split(":", 1)[0]
    assert word in WORDS, check.id
    return word


class Summary(TypedDict):
    """A model's coverage of a profile in one line: 'Annex IV: 4 of 12'."""

    id: str
    short: str
    evidenced: int
    total: int
    failed: int


class CoverageCell(Summary):
    link: str


class CoverageRow(TypedDict):
    name: str
    title: str
    cells: list[CoverageCell]


class ProfileName(TypedDict):
    id: str
    short: str


class CoverageTable(TypedDict):
    """The home page's table: each model's coverage of each profile."""

    profiles: list[ProfileName]
    rows: list[CoverageRow]


class EvidenceRow(TypedDict):
    kind: str
    target: str
    holds: bool
    detail: str
    link: str | None
    at: str | None


class RequirementRow(TypedDict):
    id: str
    title: str
    summary: str
    reference: str
    required: bool
    word: str
    status: Status
    check: str
    evidence: list[EvidenceRow]


class ProfileInfo(TypedDict):
    id: str
    title: str
    short: str
    source: str
    description: str | None
    file: str


def summary(record: ProfileRecord, checks: list[CheckResult]) -> Summary:
    """'Annex IV: 4 of 12' for a dashboard column or a card link."""
    evidenced = sum(1 for c in checks if c.status == "pass")
    return {"id": record.profile.id, "short": record.profile.short, "evidenced": evidenced,
            "total": len(record.profile.requirements),
            "failed": sum(1 for c in checks if c.failed)}


def coverage_table(project: Project,
                   checks: dict[tuple[str, str], list[CheckResult]]) -> CoverageTable | None:
    """The home page's table: each model's evidenced requirements per profile."""
    if not project.profiles:
        return None
    rows: list[CoverageRow] = [{"name": m.name, "title": m.card.title, "cells": [
        {**summary(p, checks.get((m.name, p.profile.id), [])),
         "link": page_path(m.name, p.profile.id)} for p in project.profiles]}
        for m in project.models]
    return {"profiles": [{"id": p.profile.id, "short": p.profile.short}
                         for p in project.profiles], "rows": rows}


class ProfileContext(TypedDict):
    """Everything profile.md.j2 reads, complete when built."""

    header: str
    title: str
    profile: ProfileInfo
    model: str
    version: str | None
    rows: list[RequirementRow]
    counts: dict[str, int]
    summary: Summary
    card_link: str


def profile_context(project: Project, model: ModelRecord, record: ProfileRecord,
                    checks: list[CheckResult], up: str = "../") -> ProfileContext:
    """The coverage page's data; `up` leads from the page to models/<model>/."""
    profile = record.profile
    by_id = {c.metric: c for c in checks}
    rows: list[RequirementRow] = []
    for requirement in profile.requirements:
        check = by_id[requirement.id]
        rows.append({
            "id": requirement.id, "title": requirement.title, "summary": requirement.summary,
            "reference": requirement.reference, "required": requirement.required,
            "word": coverage_word(check), "status": check.status, "check": check.id,
            "evidence": [_evidence(project, model, f, up) for f in check.evidence],
        })
    serving = model.serving
    sources = [model.card_source, record.source if not record.shipped else "govkit.yaml"]
    title = f"{model.card.title}: {profile.short} coverage"
    return {
        "header": header(sources, title), "title": title, "profile": {
            "id": profile.id, "title": profile.title, "short": profile.short,
            "source": profile.source, "description": profile.description,
            "file": record.source},
        "model": model.name, "version": serving.release.version if serving else None,
        "rows": rows, "counts": {w: sum(1 for r in rows if r["word"] == w) for w in
                                 ("evidenced", "partly evidenced", "missing")},
        "summary": summary(record, checks), "card_link": f"{up}index.md",
    }


def _evidence(project: Project, model: ModelRecord, found: Found, up: str) -> EvidenceRow:
    return {"kind": found.kind, "target": found.target, "holds": found.holds,
            "detail": found.detail, "link": evidence_link(project, model, found, up),
            "at": f"{found.source}:{found.line}" if found.source and found.line else
            found.source}


def evidence_link(project: Project, model: ModelRecord, found: Found, up: str) -> str | None:
    """The page (and anchor) that shows a selector's evidence, relative to a page `up` below
    models/<model>/; None when no page shows it."""
    root = f"{up}../../"  # the docs folder
    window = model.latest_window
    serving = model.serving
    if found.kind == "present":
        anchor = CARD_ANCHORS.get(found.target.split(".", 1)[0], "")
        return f"{up}index.md" + (f"#{anchor}" if anchor else "")
    if found.kind == "within_cadence":
        return f"{up}monitoring/{window.result.window}.md" if window else None
    if found.kind == "postmortem":
        return f"{up}incidents.md" if model.ops.incidents else None
    target = found.target
    if target in ("card", "document"):
        return f"{up}index.md"
    if target in ("training_guide", "training"):
        return f"{up}{page_name()}" if model.training_guide else None
    if target == "release":
        return f"{up}versions/{serving.release.version}.md#metrics" if serving else None
    if target == "monitoring":
        return f"{up}monitoring/{window.result.window}.md" if window else None
    if target == "governance":
        return f"{up}runbooks/index.md" if model.ops.alerts else None
    if target == "dictionary":
        datasets = project.datasets_of(model.name)
        return root + dictionary_page(datasets[0].name) if datasets else None
    if target == "architecture":
        systems = [s for s in project.systems if model.name in s.system.models]
        return root + system_page(systems[0].name) if systems else None
    experiments = [e for e in project.experiments if e.entry.model == model.name]
    return root + experiment_page(experiments[0].name) if experiments else None
