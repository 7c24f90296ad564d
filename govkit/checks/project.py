"""Every check of a project, composed from the rule modules, with waivers applied."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

from govkit.checks.architecture import check_systems
from govkit.checks.dictionary import check_dictionaries
from govkit.checks.documents import check_documents
from govkit.checks.governance import check_operations
from govkit.checks.layers import check_layers
from govkit.checks.live import check_unmapped, check_window
from govkit.checks.metrics import check_release
from govkit.checks.placeholders import check_placeholders
from govkit.checks.profiles import check_profiles
from govkit.checks.results import CheckResult
from govkit.checks.training import check_training_guides
from govkit.errors import InputError, Problem
from govkit.model import Project, Where
from govkit.schemas.alerts import DOCUMENT_RULES

Scope = Literal["serving", "latest", "all"]


def check_project(project: Project, scope: Scope = "all") -> list[CheckResult]:
    """Every documented metric of every release and the live metrics of every monitoring
    window ("all"), or of each model's serving release ("serving", see
    `ModelRecord.serving_choice`) or latest release ("latest") and its latest window; then
    the governance rules of each model's alerts, runbooks and incidents."""
    results: list[CheckResult] = []
    days = project.config.alerting.incident_targets.postmortem_days
    config = project.config_doc
    entries = {m.name: i for i, m in enumerate(project.config.models)}
    for model in project.models:
        index = entries.get(model.name)
        entry = Where(Path(config.path).name,
                      config.line_of(("models", index)) if index is not None else None)
        serving = model.serving
        records = (model.releases if scope == "all" else
                   [serving] if scope == "serving" and serving else model.releases[-1:])
        windows = model.monitoring if scope == "all" else model.monitoring[-1:]
        for record in records:
            results.extend(check_release(model, record))
        for window in windows:
            results.extend(check_window(model, window))
            results.extend(check_unmapped(model, window, entry))
            results.extend(check_layers(model, window))
        results.extend(check_operations(model, project.today, days))
        results.extend(check_placeholders(model))
    results.extend(check_dictionaries(project))
    results.extend(check_training_guides(project))
    results.extend(check_systems(project))
    results.extend(check_documents(project))
    results = apply_waivers(project, results)
    return results + check_profiles(project, results)  # read the others' results


def waived_id(rule: str, subject: str, model: str | None) -> str:
    """The id of the check a waiver names: an alert rule of a model's alerts.yaml, or a
    document rule of waivers.yaml (see schemas/alerts.DOCUMENT_RULES)."""
    if model is not None:
        return f"{model}/governance/{rule}/{subject}"
    return DOCUMENT_RULES[rule][1].format(subject=subject)


def apply_waivers(project: Project, results: list[CheckResult]) -> list[CheckResult]:
    """A failing or warning check named by a waiver is "waived" until the waiver expires
    (expired waivers never load). A waiver of waivers.yaml that names no check is bad input."""
    waivers = {waived_id(w.waiver.rule, w.waiver.subject, m.name): w
               for m in project.models for w in m.ops.waivers}
    waivers.update({waived_id(w.waiver.rule, w.waiver.subject, None): w
                    for w in project.waivers})
    ids = {r.id for r in results}
    problems = [Problem(w.where.source, w.where.line, "subject",
                        f"{w.waiver.rule} of '{w.waiver.subject}' waives no check (no {key})",
                        f"the subject names {DOCUMENT_RULES[w.waiver.rule][0]}")
                for key, w in waivers.items() if key not in ids and w in project.waivers]
    if problems:
        raise InputError(problems)
    out = []
    for r in results:
        w = waivers.get(r.id)
        if w is not None and r.status in ("fail", "warn"):
            r = replace(r, status="waived", message=f"{r.message}; waived until "
                        f"{w.waiver.expires.isoformat()}: {w.waiver.reason}")
        out.append(r)
    return out
