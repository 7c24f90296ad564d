"""`govkit export huggingface|cyclonedx`: the governed card as a Hub model card or an ML-BOM."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.checks.project import check_project
from govkit.commands.loading import load_profiled_project
from govkit.errors import InputError
from govkit.exports.facts import VersionFacts, releases_of, version_facts
from govkit.model import ModelRecord, Project
from govkit.output.writer import write_if_changed
from govkit.sources.mkdocs_site import html_pages


@dataclass
class ExportRun:
    path: Path
    written: bool
    versions: list[str]  # model@version exported


def run_huggingface(start: Path, model: str, version: str | None, out: Path) -> ExportRun:
    from govkit.exports.huggingface import hub_card

    if out.exists() and not out.is_dir():
        raise InputError.single(str(out), "is a file, not a folder",
                                hint="pass --out with a folder; README.md is written in it")
    project = load_profiled_project(start)
    facts = _facts(project, [model], version)[0]
    path = out / "README.md"
    return ExportRun(path, write_if_changed(path, hub_card(facts).encode("utf-8")),
                     [f"{model}@{facts.version}"])


def run_cyclonedx(start: Path, models: list[str], out: Path) -> ExportRun:
    from govkit.exports.cyclonedx import bom_json

    if out.is_dir():
        raise InputError.single(str(out), "is a folder, not a file",
                                hint="pass --out with a file name, e.g. build/ml-bom.json")
    project = load_profiled_project(start)
    names = models or [m.name for m in project.models]
    facts = [f for name in names for f in _facts(project, [name], None, every=True)]
    text = bom_json(project, facts)
    return ExportRun(out, write_if_changed(out, text.encode("utf-8")),
                     [f"{f.model.name}@{f.version}" for f in facts])


def model_or_error(project: Project, name: str) -> ModelRecord:
    found = project.model(name)
    if found is None:
        known = ", ".join(m.name for m in project.models) or "none"
        raise InputError.single(project.config_doc.path, f"no model {name!r} in the project",
                                field="models", hint=f"models: {known}")
    return found


def _facts(project: Project, names: list[str], version: str | None, *,
           every: bool = False) -> list[VersionFacts]:
    results = check_project(project, "all")
    pages = html_pages(project.path(project.config.mkdocs_config))
    out = []
    for name in names:
        model = model_or_error(project, name)
        records = list(model.releases) if every else releases_of(model, version)
        if not records and not every:
            versions = ", ".join(r.release.version for r in model.releases) or "none"
            raise InputError.single(model.card_source, f"model {name} has no release "
                                    f"{version or '(none released)'}",
                                    hint=f"released versions: {versions}")
        out += [version_facts(project, model, r, results, pages) for r in records]
    return out
