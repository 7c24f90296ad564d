"""Governance profiles: each requirement's evidence selectors over the typed project, then
one check per model and requirement. Pure: no I/O.

- `<model>/governance/profile/<profile>/<requirement>`: evidenced (pass), partly evidenced
  or missing (warn; fail when the profile marks the requirement `required`)

Run after every other rule family: `passed` and `fresh` read their results.
"""

from __future__ import annotations

import datetime as dt

from govkit.checks.results import (
    CheckResult,
    DatasetSubject,
    DocumentedRange,
    ExperimentSubject,
    Found,
    ModelSubject,
    ProfileSubject,
    Status,
    Subject,
    SystemSubject,
    VersionSubject,
    WindowSubject,
)
from govkit.model import (
    ModelRecord,
    MonitoringRecord,
    ProfileRecord,
    Project,
    ReleaseRecord,
    SystemRecord,
)
from govkit.schemas.profiles import (
    Fresh,
    Passed,
    Postmortem,
    Present,
    Requirement,
    Selector,
    WithinCadence,
)

# Text that stands where a person has not written anything yet (compared lowercased,
# without surrounding brackets, dots and spaces)
PLACEHOLDERS = frozenset({"", "todo", "tbd", "tba", "n/a", "na", "none", "-", "fixme", "xxx",
                          "more information needed", "to be written", "placeholder"})
COVERAGE = {"pass": "evidenced", "partly": "partly evidenced", "missing": "missing"}


def check_profiles(project: Project, results: list[CheckResult]) -> list[CheckResult]:
    """Every enabled profile's requirements for every model, judged on `results`."""
    out = []
    for model in project.models:
        for record in project.profiles:
            for requirement in record.profile.requirements:
                found = tuple(evaluate(project, model, s, results)
                              for s in requirement.evidence)
                out.append(_result(model, record, requirement, found))
    return out


def version_coverage(project: Project, model: ModelRecord, record: ProfileRecord,
                     release: ReleaseRecord, results: list[CheckResult],
                     ) -> list[tuple[Requirement, tuple[Found, ...]]]:
    """The profile's requirements judged on `release` instead of the serving version: its own
    release checks and the newest window that scored it. Every other selector reads what
    all versions share (the card, documents and their reviews, incidents) as it is now."""
    return [(r, tuple(evaluate(project, model, s, results, release) for s in r.evidence))
            for r in record.profile.requirements]


def versions_coverage(project: Project, results: list[CheckResult],
                      ) -> dict[tuple[str, str, str], dict[str, str]]:
    """(model, version, profile id) -> {requirement id: coverage word} for every release
    that is not the serving one (whose coverage is its requirement checks)."""
    return {(m.name, r.release.version, p.profile.id): {
                req.id: coverage_word(found)
                for req, found in version_coverage(project, m, p, r, results)}
            for m in project.models for r in m.releases if r is not m.serving
            for p in project.profiles}


def coverage_word(found: tuple[Found, ...]) -> str:
    """evidenced, partly evidenced or missing."""
    held = sum(f.holds for f in found)
    return COVERAGE["pass" if held == len(found) else "partly" if held else "missing"]


def evaluate(project: Project, model: ModelRecord, selector: Selector,
             results: list[CheckResult], release: ReleaseRecord | None = None) -> Found:
    """`release`: the version judged (default: the serving one and the latest window)."""
    if isinstance(selector, Present):
        return _present(model, selector.field, release or model.serving)
    if isinstance(selector, Fresh):
        return _fresh(project, model, selector, results)
    if isinstance(selector, Passed):
        return _passed(project, model, selector, results, release)
    if isinstance(selector, WithinCadence):
        return _within_cadence(project, model, selector, release)
    assert isinstance(selector, Postmortem)
    return _postmortem(model)


def written(value: object) -> bool:
    """Text, or a list holding text, that is not placeholder text."""
    if isinstance(value, str):
        return value.strip().strip("[]().… ").lower() not in PLACEHOLDERS
    if isinstance(value, list | tuple):
        return any(written(v) for v in value)
    if isinstance(value, dict):
        return bool(value)
    return value is not None


# Card parts a release record may override for its version (its card page shows those)
OVERRIDES = ("model_details", "training_data", "evaluation_data")


def _present(model: ModelRecord, field: str, release: ReleaseRecord | None) -> Found:
    head, _, rest = field.partition(".")
    source, doc = model.card_source, model.card_doc
    base: object = model.card
    if head in OVERRIDES and release is not None and getattr(release.release, head) is not None:
        source, doc, base = release.source, release.doc, release.release
    if head == "ethical_considerations" and rest:
        items = model.card.ethical_considerations
        at = next((i for i, c in enumerate(items) if c.name.lower() == rest.lower()), None)
        if at is None:
            return Found("present", field, False, f"the card names no ethical consideration "
                         f"'{rest}'", source, doc.line_of(("ethical_considerations",)))
        ok = written(items[at].description)
        return Found("present", field, ok, f"'{rest}' is written" if ok else
                     f"'{rest}' holds placeholder text", source,
                     doc.line_of(("ethical_considerations", at)))
    value = base
    for part in field.split("."):
        value = getattr(value, part, None)
    line = doc.line_of(tuple(field.split("."))) if _in_doc(doc.data, field) else None
    if written(value):
        return Found("present", field, True, f"{field} is written", source, line)
    said = "holds placeholder text" if line else "is not written"
    return Found("present", field, False, f"{field} {said} in {source.rsplit('/', 1)[-1]}",
                 source, line)


def _in_doc(data: object, field: str) -> bool:
    for part in field.split("."):
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def _fresh(project: Project, model: ModelRecord, selector: Fresh,
           results: list[CheckResult]) -> Found:
    document = selector.document
    ids: list[str]
    if document == "card":
        ids = [f"{model.name}/card/reviewed"]
    elif document == "training_guide":
        ids = [f"{model.name}/training/reviewed"] if model.training_guide else []
    elif document == "dictionary":
        ids = [f"dataset/{d.name}/reviewed" for d in project.datasets_of(model.name)]
    elif document == "architecture":
        ids = [f"system/{s.name}/reviewed" for s in _systems(project, model)]
    else:
        ids = [f"experiment/{e.name}/reviewed" for e in project.experiments
               if e.entry.model == model.name]
    name = document.replace("_", " ")
    if not ids:
        return Found("fresh", document, False, f"no {name} documents this model")
    by_id = {r.id: r for r in results}
    judged = [by_id[i] for i in ids if i in by_id]
    stale = [r for r in judged if r.status != "pass"]
    first = (stale or judged)[0] if judged else None
    where = (first.source, first.line) if first else (None, None)
    if stale or len(judged) < len(ids):
        why = "; ".join(f"{r.id}: {r.message}" for r in stale) or "freshness not evaluated"
        return Found("fresh", document, False, f"{name} not within its cadence ({why})", *where)
    return Found("fresh", document, True, f"{name} within its cadence "
                 f"({len(judged)} document{'s' if len(judged) > 1 else ''})", *where)


def _systems(project: Project, model: ModelRecord) -> list[SystemRecord]:
    return [s for s in project.systems if model.name in s.system.models]


def _window(model: ModelRecord, release: ReleaseRecord | None) -> MonitoringRecord | None:
    """The latest window, or for `release` the newest window that scored it."""
    if release is None:
        return model.latest_window
    found = [w for w in model.monitoring if model.window_release(w) is release]
    return found[-1] if found else None


def _passed(project: Project, model: ModelRecord, selector: Passed,
            results: list[CheckResult], release: ReleaseRecord | None = None) -> Found:
    family = selector.family
    serving, window = release or model.serving, _window(model, release)
    by_family: dict[str, set[Subject]] = {
        "release": {VersionSubject(model.name, serving.release.version)} if serving else set(),
        "monitoring": {WindowSubject(model.name, window.result.window)} if window else set(),
        "dictionary": {DatasetSubject(d.name) for d in project.datasets_of(model.name)},
        "architecture": {SystemSubject(s.name) for s in _systems(project, model)},
        "document": {ModelSubject(model.name), *(
            ExperimentSubject(e.name) for e in project.experiments
            if e.entry.model == model.name)},
    }
    subjects = by_family.get(family, {ModelSubject(model.name)})
    judged = sorted((r for r in results if r.kind == family and r.subject in subjects),
                    key=lambda r: r.id)
    if not judged:
        whom = f"version {release.release.version}" if release and family in (
            "release", "monitoring") else "this model"
        return Found("passed", family, False, f"no {family} checks ran for {whom}")
    open_ = [r for r in judged if r.status != "pass"]
    first = (open_ or judged)[0]
    if open_:
        listed = ", ".join(f"{r.id} ({r.status})" for r in open_[:3])
        more = f" and {len(open_) - 3} more" if len(open_) > 3 else ""
        return Found("passed", family, False, f"{len(open_)} of {len(judged)} {family} checks "
                     f"not passed: {listed}{more}", first.source, first.line)
    return Found("passed", family, True, f"all {len(judged)} {family} checks passed",
                 first.source, first.line)


def _within_cadence(project: Project, model: ModelRecord, selector: WithinCadence,
                    release: ReleaseRecord | None = None) -> Found:
    days = selector.days or model.monitoring_config.cadence_days
    window = _window(model, release)
    if window is None:
        return Found("within_cadence", "monitoring", False, "no monitoring window recorded"
                     + (f" for version {release.release.version}" if release else ""))
    name = window.result.window
    if days is None:
        return Found("within_cadence", "monitoring", False, f"latest window {name}; no "
                     "cadence to judge it by (set monitoring.cadence_days in govkit.yaml)",
                     window.source, 1)
    try:
        day = dt.date.fromisoformat(name)
    except ValueError:
        return Found("within_cadence", "monitoring", False, f"window {name} is not dated "
                     "(name windows YYYY-MM-DD)", window.source, 1)
    ok = (project.today - day).days <= days
    return Found("within_cadence", "monitoring", ok,
                 f"latest window {name} {'within' if ok else 'older than'} {days} days",
                 window.source, 1)


def _postmortem(model: ModelRecord) -> Found:
    incidents = model.ops.incidents
    if not incidents:
        return Found("postmortem", "incidents", True, "no incidents recorded")
    owed = [e for e in incidents if e.incident.postmortem is None]
    if owed:
        first = owed[0]
        return Found("postmortem", "incidents", False,
                     f"{len(owed)} of {len(incidents)} incidents without a postmortem: "
                     + ", ".join(e.incident.id for e in owed), first.where.source,
                     first.where.line)
    return Found("postmortem", "incidents", True,
                 f"all {len(incidents)} incidents have their postmortem",
                 incidents[-1].where.source, incidents[-1].where.line)


def _result(model: ModelRecord, record: ProfileRecord, requirement: Requirement,
            found: tuple[Found, ...]) -> CheckResult:
    profile = record.profile
    word = coverage_word(found)
    status: Status = "pass" if word == "evidenced" else \
        "fail" if requirement.required else "warn"
    missing = [f.detail for f in found if not f.holds]
    message = word if not missing else f"{word}: " + "; ".join(missing)
    if record.shipped:
        source, line = record.enabled.source, record.enabled.line
    else:
        index = profile.requirements.index(requirement)
        source, line = record.source, record.doc.line_of(("requirements", index))
    return CheckResult(
        id=f"{model.name}/governance/profile/{profile.id}/{requirement.id}", model=model.name,
        version=model.serving.release.version if model.serving else "",
        metric=requirement.id, label=f"{profile.short}: {requirement.title}", segment=None,
        value=None, range=DocumentedRange(None, None, "profile", text=(
            f"{requirement.reference}: {requirement.title}"
            + (" (required)" if requirement.required else ""))),
        status=status, message=message, source=source, line=line, kind="governance",
        subject=ProfileSubject(model.name, profile.id), evidence=found,
    )
