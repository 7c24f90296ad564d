"""A model version's dossier: one printable page for an auditor that gathers the version's
card, data dictionaries, training guide, evaluation, pipeline gates, monitoring, alerts and
runbooks, incidents and profile coverage, behind a cover. One per release and enabled
profile, its sections in the order that profile's requirements ask for their evidence. Pure:
plain data from the loaded project and the check results `check_project` computed."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, TypedDict

from govkit.checks.results import CheckResult
from govkit.formatting import fmt
from govkit.model import ModelRecord, MonitoringRecord, ProfileRecord, Project, ReleaseRecord
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
    Section,
    TrainingSection,
)
from govkit.site.plain import CheckData, check_data
from govkit.site.profiles import coverage_word
from govkit.site.profiles import page_path as profile_page
from govkit.site.training import page_name

ROOT = "../../../../"  # from models/<model>/dossiers/<version>/ to the docs folder
MODEL = "../../"  # ... to the model's folder
# Section id (the heading's anchor as MkDocs makes it) -> heading, in a technical file's
# order (what the model is, how it was built and on which data, how it was evaluated, how it
# is watched in use): the order of a dossier without a profile, and of the sections a
# profile asks nothing of, after those it does. Coverage closes every dossier.
SECTIONS = {"model-card": "Model card", "data-dictionary": "Data dictionary",
            "training-guide": "Training guide", "evaluation": "Evaluation",
            "pipeline-gate-results": "Pipeline gate results",
            "monitoring-summary": "Monitoring summary",
            "alerts-and-runbooks": "Alerts and runbooks", "incidents": "Incidents",
            "profile-coverage": "Profile coverage"}
COVERAGE = "profile-coverage"
# The section that shows each kind of evidence a requirement selects (None: no section; an
# architecture has its own page)
_FRESH = {"card": "model-card", "training_guide": "training-guide",
          "dictionary": "data-dictionary", "architecture": None, "experiment_log": None}
_PASSED = {"release": "evaluation", "monitoring": "monitoring-summary",
           "governance": "alerts-and-runbooks", "dictionary": "data-dictionary",
           "training": "pipeline-gate-results", "architecture": None, "document": "model-card"}
# A git revision as `build --revision` takes it: a commit id, tag or branch name
REVISION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/+-]{0,99}$")


def section_order(profile: ProfileRecord | None) -> list[str]:
    """The sections in the order the profile's requirements first select their evidence,
    then the others in the technical file's order, coverage last."""
    asked: list[str] = []
    for requirement in profile.profile.requirements if profile else []:
        for selector in requirement.evidence:
            section = _section_of(selector)
            if section is not None and section not in asked:
                asked.append(section)
    rest = [s for s in SECTIONS if s not in asked and s != COVERAGE]
    return asked + rest + [COVERAGE]


def _section_of(selector: Any) -> str | None:
    kind = selector.kind
    if kind == "present":
        return "model-card"
    if kind == "fresh":
        return _FRESH[selector.document]
    if kind == "passed":
        return _PASSED[selector.family]
    if kind == "within_cadence":
        return "monitoring-summary"
    return "incidents"  # postmortem


def version_window(model: ModelRecord, record: ReleaseRecord) -> MonitoringRecord | None:
    """The newest monitoring window that scored this version."""
    found = [w for w in model.monitoring if model.window_release(w) is record]
    return found[-1] if found else None


def inputs_digest(project: Project, model: ModelRecord, record: ReleaseRecord,
                  profile: ProfileRecord | None) -> str:
    """sha256 of the inputs the dossier shows, as govkit read them (govkit.yaml, the card,
    the version's release record, its newest monitoring window, the training guide, the
    profile): the same inputs give the same digest on any machine, in git or not."""
    window, guide = version_window(model, record), model.training_guide
    data = {"config": project.config_doc.data, "card": model.card_doc.data,
            "release": record.doc.data, "monitoring": window.doc.data if window else None,
            "training": guide.doc.data if guide else None,
            "profile": profile.doc.data if profile else None}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class DossierContext(TypedDict):
    """Everything dossier.md.j2 reads, complete when built."""

    header: str
    title: str
    name: str
    sections: list[Section]
    cover: Cover
    card: CardSummary
    data: list[DataSection]
    training: TrainingSection | None
    evaluation: list[CheckData]
    gates: list[CheckData]
    monitoring: MonitoringSection | None
    alerts: AlertsSection
    incidents: list[IncidentLine]
    coverage: CoverageSection | None


class DossierChecks(TypedDict):
    """The check results a version's dossier reads (not template data: the builder's input)."""

    release: list[CheckResult]  # this version's
    live: dict[str, list[CheckResult]]  # by window name
    guide: list[CheckResult]
    governance: list[CheckResult]
    profiles: dict[tuple[str, str], list[CheckResult]]  # (model, profile id): requirements
    versions: dict[tuple[str, str, str], dict[str, str]]  # (model, version, profile): words


def dossier_context(project: Project, model: ModelRecord, record: ReleaseRecord,
                    profile: ProfileRecord | None, checks: DossierChecks,
                    revision: str | None = None) -> DossierContext:
    """`checks`: release (this version's), live (by window name), guide, governance,
    profiles ({(model, profile id): requirement checks of the serving version}) and versions
    ({(model, version, profile id): {requirement id: word}} of the other versions)."""
    card = model.card
    version = record.release.version
    title = f"{card.title} {version}: dossier" + (f" ({profile.profile.short})"
                                                   if profile else "")
    window = version_window(model, record)
    live = checks["live"].get(window.result.window, []) if window else []
    return {
        "header": header([model.card_source, record.source], title), "title": title,
        "name": model.name,
        "sections": [{"id": i, "title": SECTIONS[i]} for i in section_order(profile)],
        "cover": _cover(project, model, record, profile, revision),
        "card": _card(model), "data": _data(project, model),
        "training": _training(model),
        "evaluation": [check_data(c) for c in checks["release"]],
        # the pipeline's gates only: the guide's owner and review checks judge no metric
        "gates": [check_data(c) for c in checks["guide"] if c.metric],
        "monitoring": _monitoring(window, live),
        "alerts": _alerts(model, checks["governance"]), "incidents": _incidents(model),
        "coverage": _coverage(model, record, profile, checks),
    }


def _cover(project: Project, model: ModelRecord, record: ReleaseRecord,
           profile: ProfileRecord | None, revision: str | None) -> Cover:
    release = record.release
    choice = model.serving_choice()
    serving = choice.record
    is_serving = record is serving and choice.known
    basis = f"the serving version, by {choice.basis}" if is_serving else \
        (f"not serving; the serving version is {serving.release.version}"
         if choice.known and serving is not None else "no serving version known")
    return {
        "version": release.version, "date": release.date.isoformat(), "basis": basis,
        "stage": None if is_serving else release.stage,
        "owners": [{"name": p.name, "role": p.role, "contact": p.email or p.chat}
                   for p in model.card.owners],
        "reviewed": model.card.last_reviewed.isoformat() if model.card.last_reviewed else None,
        "digest": inputs_digest(project, model, record, profile), "revision": revision,
        "profile": profile.profile.title if profile else None,
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
        "link": MODEL + "index.md",
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
            "link": MODEL + page_name()}


def _monitoring(window: MonitoringRecord | None,
                live: list[CheckResult]) -> MonitoringSection | None:
    if window is None:
        return None
    name = window.result.window
    return {"window": name, "version": window.result.model_version,
            "link": f"{MODEL}monitoring/{name}.md", "checks": [check_data(c) for c in live]}


def _alerts(model: ModelRecord, governance: list[CheckResult]) -> AlertsSection:
    rows: list[AlertLine] = [{"id": a.id, "severity": a.alert.severity, "watches": a.watches,
             "range": a.condition, "default": a.default,
             "runbook": a.runbook.last_reviewed.isoformat() if a.runbook else None,
             "link": f"{MODEL}runbooks/{a.id}.md"} for a in model.ops.alerts]
    return {"rows": rows, "index": f"{MODEL}runbooks/index.md" if rows else None,
            "checks": [check_data(c) for c in governance if c.status != "pass"]}


def _incidents(model: ModelRecord) -> list[IncidentLine]:
    return [{"id": e.incident.id, "date": e.incident.date.isoformat(),
             "severity": e.incident.severity, "summary": e.incident.summary,
             "postmortem": e.incident.postmortem,
             "link": f"{MODEL}incidents.md#{e.incident.id}"}
            for e in reversed(model.ops.incidents)]


def _coverage(model: ModelRecord, record: ReleaseRecord, profile: ProfileRecord | None,
              checks: DossierChecks) -> CoverageSection | None:
    """The profile's coverage table: the serving version's requirement checks, or for
    another version its requirements judged on its own release checks and windows."""
    if profile is None:
        return None
    link = MODEL + profile_page(model.name, profile.profile.id).split("/", 2)[2]
    version = (model.name, record.release.version, profile.profile.id)
    own = record is not model.serving and version in checks["versions"]
    if own:
        words = dict(checks["versions"][version])
    else:
        words = {c.metric: coverage_word(c)
                 for c in checks["profiles"].get((model.name, profile.profile.id), [])}
    rows: list[RequirementLine] = [
            {"title": r.title, "reference": r.reference, "required": r.required,
             "word": words[r.id], "link": f"{link}#{r.id}"}
            for r in profile.profile.requirements if r.id in words]
    return {"title": profile.profile.title, "short": profile.profile.short, "link": link,
            "rows": rows, "evidenced": sum(1 for r in rows if r["word"] == "evidenced"),
            "own": own, "serving": None if own or model.serving is None
            else model.serving.release.version}
