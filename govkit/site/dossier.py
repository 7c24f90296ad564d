"""A model's dossier: one printable page for an auditor that gathers the serving version's
card, data dictionaries, training guide, evaluation, pipeline gates, monitoring, alerts and
runbooks, incidents and profile coverage, behind a cover. Pure: plain data from the loaded
project and the check results `check_project` computed."""

from __future__ import annotations

import hashlib
import json
from typing import TypedDict

from govkit.checks.results import CheckResult
from govkit.formatting import fmt
from govkit.model import ModelRecord, Project
from govkit.site.cards import header
from govkit.site.dictionary import page_path as dictionary_page
from govkit.site.dossier_sections import (
    AlertLine,
    AlertsSection,
    CardSummary,
    Cover,
    CoverageSection,
    DataSection,
    IncidentLine,
    MonitoringSection,
    RequirementLine,
    TrainingSection,
)
from govkit.site.plain import CheckData, check_data
from govkit.site.profiles import coverage_word
from govkit.site.profiles import page_path as profile_page
from govkit.site.training import page_name

PAGE = "dossier.md"  # below models/<model>/
ROOT = "../../"  # from models/<model>/ to the docs folder
# The dossier's sections, in the order of a technical file (Annex IV's order: what the model
# is, how it was built and on which data, how it was evaluated, how it is watched in use)
# (heading anchor as MkDocs makes it, heading)
SECTIONS = (("model-card", "Model card"), ("data-dictionary", "Data dictionary"),
            ("training-guide", "Training guide"), ("evaluation", "Evaluation"),
            ("pipeline-gate-results", "Pipeline gate results"),
            ("monitoring-summary", "Monitoring summary"),
            ("alerts-and-runbooks", "Alerts and runbooks"), ("incidents", "Incidents"),
            ("profile-coverage", "Profile coverage"))


def page_path(model: str) -> str:
    return f"models/{model}/{PAGE}"


def inputs_digest(project: Project, model: ModelRecord) -> str:
    """sha256 of the inputs the dossier shows, as govkit read them (govkit.yaml, the card,
    the serving release record, the latest monitoring window, the training guide, the
    profiles): the same inputs give the same digest on any machine, in git or not."""
    serving, window, guide = model.serving, model.latest_window, model.training_guide
    data = {"config": project.config_doc.data, "card": model.card_doc.data,
            "release": serving.doc.data if serving else None,
            "monitoring": window.doc.data if window else None,
            "training": guide.doc.data if guide else None,
            "profiles": [p.doc.data for p in project.profiles]}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class DossierContext(TypedDict):
    """Everything dossier.md.j2 reads, complete when built."""

    header: str
    title: str
    name: str
    sections: list[dict[str, str]]
    cover: Cover
    card: CardSummary
    data: list[DataSection]
    training: TrainingSection | None
    evaluation: list[CheckData]
    gates: list[CheckData]
    monitoring: MonitoringSection | None
    alerts: AlertsSection
    incidents: list[IncidentLine]
    coverage: list[CoverageSection]


def dossier_context(project: Project, model: ModelRecord, release: list[CheckResult],
                    live: list[CheckResult], guide: list[CheckResult],
                    governance: list[CheckResult],
                    profiles: dict[tuple[str, str], list[CheckResult]]) -> DossierContext:
    serving = model.serving
    card = model.card
    title = f"{card.title}: dossier"
    sources = [model.card_source] + ([serving.source] if serving else [])
    return {
        "header": header(sources, title), "title": title, "name": model.name,
        "sections": [{"id": i, "title": t} for i, t in SECTIONS],
        "cover": _cover(project, model),
        "card": _card(model), "data": _data(project, model),
        "training": _training(model),
        "evaluation": [check_data(c) for c in release],
        "gates": [check_data(c) for c in guide  # the pipeline's gates, not the guide's own
                  if c.id.rsplit("/", 1)[-1] not in ("owner", "reviewed")],
        "monitoring": _monitoring(model, live),
        "alerts": _alerts(model, governance), "incidents": _incidents(model),
        "coverage": _coverage(project, model, profiles),
    }


def _cover(project: Project, model: ModelRecord) -> Cover:
    serving = model.serving
    release = serving.release if serving else None
    choice = model.serving_choice()
    return {
        "version": release.version if release else None,
        "date": release.date.isoformat() if release else None,
        "basis": choice.basis, "owners": [
            {"name": p.name, "role": p.role, "contact": p.email or p.chat}
            for p in model.card.owners],
        "reviewed": model.card.last_reviewed.isoformat() if model.card.last_reviewed else None,
        "digest": inputs_digest(project, model),
        "profiles": [p.profile.title for p in project.profiles],
        "project": project.config.project,
    }


def _card(model: ModelRecord) -> CardSummary:
    card = model.card
    details = card.model_details
    return {
        "summary": card.summary, "developed_by": details.developed_by,
        "model_type": details.model_type, "description": details.description,
        "uses": list(card.intended_use.primary_uses),
        "users": list(card.intended_use.primary_users),
        "out_of_scope": list(card.intended_use.out_of_scope),
        "training_data": card.training_data.description,
        "label": card.training_data.label_definition,
        "evaluation_data": card.evaluation_data.description,
        "limitations": list(card.limitations),
        "caveats": list(card.caveats_and_recommendations),
        "ethics": [{"name": c.name, "description": c.description}
                   for c in card.ethical_considerations],
        "escalation": [{"condition": e.condition, "action": e.action} for e in card.escalation],
        "link": "index.md",
    }


def _data(project: Project, model: ModelRecord) -> list[DataSection]:
    return [{"name": d.name, "title": d.dictionary.title, "link": ROOT + dictionary_page(d.name),
             "features": [{"name": f.name, "type": f.type, "description": f.description,
                           "unit": f.unit} for f in d.dictionary.features]}
            for d in project.datasets_of(model.name)]


def _training(model: ModelRecord) -> TrainingSection | None:
    record = model.training_guide
    if record is None:
        return None
    guide = record.guide
    return {"pipeline": guide.pipeline.name, "schedule": guide.pipeline.schedule,
            "owner": guide.owner.name if guide.owner else None,
            "reviewed": guide.last_reviewed.isoformat() if guide.last_reviewed else None,
            "stages": [{"name": s.name, "thresholds": ", ".join(
                f"{k} ≥ {fmt(v)}" for k, v in sorted(s.thresholds.items())),
                "on_failure": s.on_failure} for s in guide.pipeline.stages],
            "link": page_name()}


def _monitoring(model: ModelRecord, live: list[CheckResult]) -> MonitoringSection | None:
    window = model.latest_window
    if window is None:
        return None
    name = window.result.window
    return {"window": name, "version": window.result.model_version,
            "link": f"monitoring/{name}.md", "checks": [check_data(c) for c in live]}


def _alerts(model: ModelRecord, governance: list[CheckResult]) -> AlertsSection:
    rows: list[AlertLine] = [{"id": a.id, "severity": a.alert.severity, "watches": a.watches,
             "range": a.condition, "default": a.default,
             "runbook": a.runbook.last_reviewed.isoformat() if a.runbook else None,
             "link": f"runbooks/{a.id}.md"} for a in model.ops.alerts]
    return {"rows": rows, "index": "runbooks/index.md" if rows else None,
            "checks": [check_data(c) for c in governance if c.status != "pass"]}


def _incidents(model: ModelRecord) -> list[IncidentLine]:
    return [{"id": e.incident.id, "date": e.incident.date.isoformat(),
             "severity": e.incident.severity, "summary": e.incident.summary,
             "postmortem": e.incident.postmortem, "link": f"incidents.md#{e.incident.id}"}
            for e in reversed(model.ops.incidents)]


def _coverage(project: Project, model: ModelRecord,
              profiles: dict[tuple[str, str], list[CheckResult]]) -> list[CoverageSection]:
    out: list[CoverageSection] = []
    for record in project.profiles:
        checks = {c.metric: c for c in profiles.get((model.name, record.profile.id), [])}
        link = profile_page(model.name, record.profile.id).split("/", 2)[2]  # profiles/..
        rows: list[RequirementLine] = [
            {"title": r.title, "reference": r.reference, "required": r.required,
             "word": coverage_word(checks[r.id]), "link": f"{link}#{r.id}"}
            for r in record.profile.requirements if r.id in checks]
        out.append({"title": record.profile.title, "short": record.profile.short,
                    "link": link, "rows": rows,
                    "evidenced": sum(1 for r in rows if r["word"] == "evidenced")})
    return out

