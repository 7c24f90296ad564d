"""Which version serves, every version's aliases and stages, and links into the MLflow UI,
as page contexts (plain data). Pure."""

from __future__ import annotations

from typing import TypedDict
from urllib.parse import quote, urlsplit, urlunsplit

from govkit.model import ModelRecord, Project, ReleaseRecord, deleted_from_registry, registry_of


class Serving(TypedDict):
    version: str | None
    basis: str
    known: bool
    alias: str


class VersionRow(TypedDict):
    version: str
    date: str
    aliases: list[str]
    mlflow_stage: str | None
    stage: str | None
    role: str | None


class MlflowLinks(TypedDict):
    run: str | None
    version: str | None


def serving_context(model: ModelRecord) -> Serving:
    """The serving version, how govkit knows it, and whether it is only the latest."""
    choice = model.serving_choice()
    return {"version": choice.record.release.version if choice.record else None,
            "basis": choice.basis, "known": choice.known, "alias": model.serving_alias}


def version_roles(model: ModelRecord) -> list[str | None]:
    """Each release's role, in the order of ``model.releases``: 'serving', 'candidate' (newer
    than the serving version, not promoted), 'deleted from the registry', 'superseded' (older
    than the main page's), 'not serving' or None (the main page's release when no serving
    version is known)."""
    choice = model.serving_choice()
    candidates = {id(r) for r in model.candidates()}
    main = next((i for i, r in enumerate(model.releases) if r is choice.record),
                len(model.releases))
    roles: list[str | None] = []
    for i, record in enumerate(model.releases):
        if deleted_from_registry(record):
            roles.append("deleted from the registry")
        elif record is choice.record:
            roles.append("serving" if choice.known else None)
        elif id(record) in candidates:
            roles.append("candidate")
        else:
            roles.append("superseded" if i < main else "not serving")
    return roles


def version_role(model: ModelRecord, record: ReleaseRecord) -> str | None:
    """The role of one release (see `version_roles`)."""
    index = next(i for i, r in enumerate(model.releases) if r is record)
    return version_roles(model)[index]


def version_rows(model: ModelRecord) -> list[VersionRow]:
    """Every version, newest first, with its aliases, stages and role."""
    rows: list[VersionRow] = []
    for record, role in zip(reversed(model.releases), reversed(version_roles(model)),
                            strict=True):
        registry = registry_of(record)
        rows.append({
            "version": record.release.version, "date": record.release.date.isoformat(),
            "aliases": list(registry.aliases) if registry else [],
            "mlflow_stage": registry.stage if registry else None,
            "stage": record.release.stage, "role": role,
        })
    return rows


def shows_versions(rows: list[VersionRow]) -> bool:
    """A table of versions says something when any has an alias, a stage or a role."""
    return any(r["aliases"] or r["mlflow_stage"] or r["stage"] or r["role"] not in
               (None, "serving") for r in rows)


def ui_base(project: Project, model: ModelRecord, record: ReleaseRecord) -> str | None:
    """The MLflow UI: govkit.yaml's mlflow.ui_url (the model's, else the project's), else
    the tracking URI when it is http(s), without credentials, `;params`, query or fragment
    (the schemas refused a URL whose port is not a port)."""
    entry = model.entry.mlflow if model.entry else None
    configured = (entry.ui_url if entry else None) or project.config.mlflow.ui_url
    training = record.release.training
    uri = configured or (training.tracking_uri if training else None) or ""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    path = parts.path.split(";", 1)[0].rstrip("/")
    return urlunsplit((parts.scheme, host, path, "", ""))


def mlflow_links(project: Project, model: ModelRecord, record: ReleaseRecord) -> MlflowLinks:
    """Links to the run and the model version in the MLflow UI (None: not known)."""
    training = record.release.training
    base = ui_base(project, model, record) if training and training.source == "mlflow" else None
    if base is None or training is None:
        return {"run": None, "version": None}
    run, registry = training.run, training.registry
    run_link = None
    if run is not None and run.id and run.experiment_id:
        run_link = (f"{base}/#/experiments/{quote(run.experiment_id, safe='')}/runs/"
                    f"{quote(run.id, safe='')}")
    version_link = None
    if registry is not None and registry.version and training.registered_model \
            and not registry.deleted:
        version_link = (f"{base}/#/models/{quote(training.registered_model, safe='')}/versions/"
                        f"{quote(registry.version, safe='')}")
    return {"run": run_link, "version": version_link}
