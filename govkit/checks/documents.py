"""Ownership and freshness of the chapter's documents, and registered versions without a
card. Pure: no I/O (git dates arrive in `Project.changed`, read by the loader).

- `<model>/card/owner`, `experiment/<name>/owner`: the document names no owner (warn)
- `<model>/card/reviewed`, `<model>/training/reviewed`, `system/<name>/reviewed`,
  `dataset/<name>/reviewed`, `experiment/<name>/reviewed`: older than its cadence (warn)
- `<model>/<version>/card`: a release record, or a registry version an experiment log
  knows, of a model without a card, or without a record (fail)

A document's last review is its `last_reviewed` date when written, else the last commit
of its source file (today when it has uncommitted changes), else not evaluated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from govkit.checks.results import (
    CheckResult,
    DocumentedRange,
    ExperimentSubject,
    Kind,
    ModelSubject,
    Status,
    Subject,
    VersionSubject,
)
from govkit.model import ExperimentRecord, ModelRecord, Project, Where
from govkit.schemas.config import Cadence

KIND: Kind = "document"


@dataclass(frozen=True)
class Event:
    """What a document must have been reviewed after, e.g. the latest version."""

    date: dt.date
    text: str  # e.g. "the latest version (2.3.0, 2024-03-01)"
    fix: str
    days: int | None = None  # a cadence in days: messages name no date (pages stay stable)


def cadence_event(project: Project, cadence: Cadence, *, model: ModelRecord | None = None,
                  schema: Event | None = None,
                  experiment: ExperimentRecord | None = None) -> Event | str:
    """The event a document with this cadence must be newer than, or why none is known."""
    if isinstance(cadence, int):
        start = project.today - dt.timedelta(days=cadence)
        return Event(start, f"{cadence} days ago", "review it and update last_reviewed",
                     days=cadence)
    if cadence == "version":
        record = model.latest if model else None
        if record is None:
            return "no version released yet"
        r = record.release
        return Event(r.date, f"the latest version ({r.version}, {r.date.isoformat()})",
                     "review it against the new version and update last_reviewed")
    if cadence == "pipeline":
        change = _pipeline_change(model) if model else None
        return change or "no release names the commit it was trained from"
    if cadence == "schema":
        return schema or "no schema change recorded"
    last = experiment.log.last_run if experiment else None
    if last is None:
        return "no run recorded"
    return Event(last, f"the newest run ({last.isoformat()})",
                 "record what the new runs decided and update last_reviewed")


def _pipeline_change(model: ModelRecord) -> Event | None:
    """The first release trained from the newest training commit."""
    found = None
    for record in model.releases:
        training = record.release.training
        commit = training.run.git_commit if training and training.run else None
        if commit and (found is None or found[0] != commit):
            found = (commit, record.release)
    if found is None:
        return None
    commit, r = found
    return Event(r.date, f"the pipeline change of version {r.version} ({r.date.isoformat()}, "
                 f"commit {commit[:12]})",
                 "check the guide against the new pipeline and update last_reviewed")


def freshness(project: Project, source: str, last_reviewed: dt.date | None,
              event: Event | str) -> tuple[Status, str]:
    """A document's last review against its cadence's event."""
    changed = project.changed.get(source)
    if last_reviewed is not None:
        date, said = last_reviewed, f"last reviewed {last_reviewed.isoformat()}"
    elif changed is not None:
        how = "uncommitted changes" if changed.how == "working tree" else "git"
        date, said = changed.date, f"last changed {changed.date.isoformat()} ({how})"
    else:
        what = event.text if isinstance(event, Event) else "its cadence"
        return "insufficient_data", (f"no last_reviewed date: freshness against {what} "
                                     "not evaluated (add last_reviewed: YYYY-MM-DD)")
    if isinstance(event, str):
        return "insufficient_data", f"{said}; not evaluated: {event}"
    if event.days is not None:
        if date < event.date:
            return "warn", (f"{said}, more than {event.days} days ago (cadence: every "
                            f"{event.days} days): {event.fix}")
        return "pass", f"{said}, within {event.days} days"
    if date < event.date:
        return "warn", f"{said}, before {event.text}: {event.fix}"
    return "pass", f"{said}, after {event.text}"


def check_documents(project: Project) -> list[CheckResult]:
    results: list[CheckResult] = []
    cadence = project.config.freshness
    for model in project.models:
        card, doc = model.card, model.card_doc
        results.append(_owner(f"{model.name}/card", "card", bool(card.owners),
                              ", ".join(p.name for p in card.owners),
                              Where(model.card_source, doc.line_of(("owners",))),
                              "add owners: with a name and role (the chapter: an ML engineer)",
                              ModelSubject(model.name), model=model.name))
        status, message = freshness(project, model.card_source, card.last_reviewed,
                                    cadence_event(project, cadence.card, model=model))
        line = doc.line_of(("last_reviewed",)) or doc.line_of(("title",))
        results.append(_result(f"{model.name}/card/reviewed", "card: reviewed", status,
                               message, Where(model.card_source, line), ModelSubject(model.name),
                               model=model.name))
        results.extend(_unrecorded_versions(project, model))
    for uncarded in project.uncarded:
        for version, source in uncarded.versions:
            results.append(_result(
                f"{uncarded.name}/{version}/card", f"{version}: card", "fail",
                f"release {version} of '{uncarded.name}' ({source}) has no model card: write "
                f"{source.rsplit('/releases/', 1)[0]}/card.yaml", uncarded.where,
                VersionSubject(uncarded.name, version), model=uncarded.name, version=version))
    for experiment in project.experiments:
        results.extend(_experiment(project, experiment))
    return results


def _unrecorded_versions(project: Project, model: ModelRecord) -> list[CheckResult]:
    """Registry versions an experiment log saw for this model's registered model, with no
    release record (so no card page)."""
    entry = model.entry
    registered = (entry.mlflow.registered_model if entry and entry.mlflow else None) \
        or model.name
    recorded = {r.release.version for r in model.releases}
    recorded |= {r.release.training.registry.version for r in model.releases
                 if r.release.training and r.release.training.registry
                 and r.release.training.registry.version}
    out = []
    for experiment in project.experiments:
        for run in experiment.log.runs:
            for v in run.registered:
                if v.model != registered or v.version in recorded:
                    continue
                recorded.add(v.version)
                out.append(_result(
                    f"{model.name}/{v.version}/card", f"{v.version}: card", "fail",
                    f"registry version {v.version} of '{registered}' (run {run.run_id}, "
                    f"{experiment.log_source}) has no release record, so no card: run "
                    f"`govkit ingest {model.name} --version {v.version}`",
                    Where(model.card_source, 1), VersionSubject(model.name, v.version),
                    model=model.name, version=v.version))
    return out


def _experiment(project: Project, experiment: ExperimentRecord) -> list[CheckResult]:
    name, decision, doc = experiment.name, experiment.decision, experiment.decision_doc
    source = experiment.decision_source or experiment.log_source
    if decision is None or doc is None:
        missing = Where(experiment.log_source, 1)
        return [_result(f"experiment/{name}/owner", "experiment log: owner", "warn",
                        f"no decision record ({source}) names an owner (write it with "
                        "question, options, decision, date, who and owner)", missing,
                        ExperimentSubject(name))]
    owner = decision.owner
    out = [_owner(f"experiment/{name}", "experiment log", owner is not None,
                  owner.name if owner else "", Where(source, doc.line_of(("owner",))),
                  "add owner: with a name and role (the chapter: a data scientist)",
                  ExperimentSubject(name))]
    status, message = freshness(
        project, source, decision.last_reviewed or decision.date,
        cadence_event(project, project.config.freshness.experiment_log,
                      experiment=experiment))
    line = doc.line_of(("last_reviewed",)) or doc.line_of(("date",))
    out.append(_result(f"experiment/{name}/reviewed", "experiment log: reviewed", status,
                       message, Where(source, line), ExperimentSubject(name)))
    return out


def _owner(subject: str, what: str, ok: bool, names: str, where: Where, fix: str,
           judged: Subject, model: str = "") -> CheckResult:
    message = f"owned by {names}" if ok else f"the {what} names no owner ({fix})"
    return _result(f"{subject}/owner", f"{what}: owner", "pass" if ok else "warn", message,
                   where, judged, model=model)


def _result(id_: str, label: str, status: Status, message: str, where: Where,
            subject: Subject, model: str = "", version: str = "") -> CheckResult:
    return CheckResult(
        id=id_, model=model, version=version, metric="", label=label, segment=None,
        value=None, range=DocumentedRange(None, None, "document", text="owner and cadence"),
        status=status, message=message, source=where.source, line=where.line, kind=KIND,
        subject=subject,
    )
