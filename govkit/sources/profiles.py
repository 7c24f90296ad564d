"""Load the governance profiles govkit.yaml enables: shipped ones by name (package data in
govkit/profiles/) and the team's own YAML files inside the project, validated with every
problem at FILE:LINE."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

from govkit.errors import Problem
from govkit.model import ProfileRecord, Where, YamlDoc, dotted
from govkit.package_data import package_folder
from govkit.schemas.card import Card
from govkit.schemas.config import Config
from govkit.schemas.profiles import Present, Profile
from govkit.sources.links import PATH_HINT, Bound, why_outside
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import parse_yaml, read_doc

SHIPPED_PACKAGE = "govkit.profiles"
SHIPPED_PREFIX = "govkit:"  # the source of a shipped profile, e.g. govkit:sr-11-7


def shipped_names() -> list[str]:
    """Names of the profiles govkit ships, sorted."""
    files = package_folder(SHIPPED_PACKAGE).iterdir()
    return sorted(f.name.removesuffix(".yaml") for f in files if f.name.endswith(".yaml"))


def shipped_doc(name: str) -> YamlDoc:
    text = package_folder(SHIPPED_PACKAGE).joinpath(f"{name}.yaml").read_text("utf-8")
    return parse_yaml(text, f"{SHIPPED_PREFIX}{name}")


def load_profiles(root: Path, bound: Bound, config: Config, config_doc: YamlDoc,
                  problems: list[Problem], limit: int) -> list[ProfileRecord]:
    """Every profile of `profiles:`, in the order written; problems are appended."""
    out: list[ProfileRecord] = []
    shipped = shipped_names()
    for index, entry in enumerate(config.profiles):
        line = config_doc.line_of(("profiles", index))
        where = (config_doc.path, line, f"profiles[{index}]")
        if entry in shipped:
            doc: YamlDoc | None = shipped_doc(entry)
            source = f"{SHIPPED_PREFIX}{entry}"
        elif entry.endswith((".yaml", ".yml")):
            path = Path(os.path.normpath(root / entry))
            why = why_outside(bound, path)
            if why is not None:
                problems.append(Problem(*where, f"'{entry}' {why}", PATH_HINT))
                continue
            if not path.is_file():
                problems.append(Problem(*where, f"no profile file {entry}",
                                        "write it (see docs/profiles.md) or fix the path"))
                continue
            doc = read_doc(path, problems, limit)
            source = path.relative_to(root).as_posix() if path.is_relative_to(root) else entry
        else:
            problems.append(Problem(*where, f"'{entry}' is no shipped profile and no YAML file",
                                    f"use one of {', '.join(shipped)} or a path ending .yaml"))
            continue
        profile = validate_doc(Profile, doc, problems) if doc is not None else None
        if doc is None or profile is None:
            continue
        problems.extend(_card_fields(profile, doc))
        if any(p.profile.id == profile.id for p in out):
            problems.append(Problem(*where, f"profile '{profile.id}' is enabled twice",
                                    "keep one"))
            continue
        out.append(ProfileRecord(profile, doc, source,
                                 Where(Path(config_doc.path).name, line)))
    return out


def _card_fields(profile: Profile, doc: YamlDoc) -> list[Problem]:
    """A `present` selector names a card field that exists (or an ethical consideration)."""
    problems = []
    for i, requirement in enumerate(profile.requirements):
        seen = set()
        for j, selector in enumerate(requirement.evidence):
            loc = ("requirements", i, "evidence", j)
            if str(selector) in seen:
                problems.append(Problem(doc.path, doc.line_of(loc), dotted(loc),
                                        "the same evidence is listed twice", "keep one"))
            seen.add(str(selector))
            if isinstance(selector, Present) and not card_field_exists(selector.field):
                problems.append(Problem(
                    doc.path, doc.line_of((*loc, "field")), dotted((*loc, "field")),
                    f"card.yaml has no field '{selector.field}'",
                    "use a dotted card field, e.g. intended_use.out_of_scope (`govkit schema`)"))
        ids = [r.id for r in profile.requirements[:i]]
        if requirement.id in ids:
            at: tuple[str | int, ...] = ("requirements", i, "id")
            problems.append(Problem(doc.path, doc.line_of(at), dotted(at),
                                    f"requirement '{requirement.id}' is listed twice",
                                    "give each requirement its own id"))
    return problems


def card_field_exists(path: str) -> bool:
    """`intended_use.out_of_scope` names a card field; `ethical_considerations.X` names the
    consideration called X."""
    head, _, rest = path.partition(".")
    if head == "ethical_considerations":
        return True
    model: type[BaseModel] | None = Card
    for part in [head, *rest.split(".")] if rest else [head]:
        if model is None or part not in model.model_fields:
            return False
        annotation = model.model_fields[part].annotation
        model = annotation if isinstance(annotation, type) and issubclass(
            annotation, BaseModel) else None
    return True
