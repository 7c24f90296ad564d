"""The folders govkit owns (docs_dir, html_dir), checked before anything is written.

govkit replaces them as a whole, so they must not be, contain or sit inside the project's
inputs (the project folder with govkit.yaml, models_dir, each model folder, templates_dir),
nor each other, nor contain the mkdocs config; and no part of them may be a symlink. They may
sit inside the project folder (the default `docs/` does), and inside models_dir when that is
the project folder too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from govkit.errors import InputError, Problem
from govkit.formatting import display_path
from govkit.model import Project

EXAMPLE = {"docs_dir": "docs", "html_dir": "build/site-html"}


@dataclass(frozen=True)
class Outputs:
    """The output folders of a build, as real paths."""

    docs: Path
    html: Path | None  # None: no `--html`
    mkdocs_config: Path


def check_outputs(project: Project, *, html: bool, need_config: bool = True) -> Outputs:
    """The output folders as real paths, or one InputError listing every reason not to."""
    problems: list[Problem] = []
    keys = ["docs_dir", "html_dir"] if html else ["docs_dir"]
    found = {key: _real_folder(project, key, problems) for key in keys}
    config = project.path(project.config.mkdocs_config)
    for key, out in found.items():
        if out is None:
            continue
        overlaps = [(what, _relation(out, folder, container))
                    for what, folder, container in _inputs(project)]
        if key == "html_dir" and found["docs_dir"] is not None:
            overlaps.append(("docs_dir", _relation(out, found["docs_dir"], False)))
        if config.is_relative_to(out):
            overlaps.append(("the mkdocs config", "contains"))
        value = getattr(project.config, key)
        line = project.config_doc.lines.get((key,))
        first = next(((what, rel) for what, rel in overlaps if rel), None)  # the gravest
        if first:
            problems.append(Problem(project.config_doc.path, line, key,
                                    f"'{value}' {first[1]} {first[0]}",
                                    f"govkit replaces {key} as a whole: give it a folder of its "
                                    f"own, e.g. {EXAMPLE[key]}"))
    if html and need_config and not config.is_file():
        problems.append(Problem(project.config_doc.path,
                                project.config_doc.lines.get(("mkdocs_config",)),
                                "mkdocs_config", f"mkdocs config {display_path(config)} not found",
                                "set mkdocs_config in govkit.yaml or run `govkit init`"))
    if problems:
        raise InputError(problems)
    docs = found["docs_dir"]
    assert docs is not None
    return Outputs(docs, found.get("html_dir"), config)


def _real_folder(project: Project, key: str, problems: list[Problem]) -> Path | None:
    """`root / value` without following symlinks: refused if any part of it below the
    project's real ancestors is a symlink (govkit never writes through one)."""
    path = Path(os.path.normpath(project.root / getattr(project.config, key)))
    for part in (path, *path.parents):
        if project.root.is_relative_to(part):
            break
        if part.is_symlink():
            problems.append(Problem(display_path(part), None, "",
                                    "is a symlink; govkit never writes through a symlink",
                                    f"make {key} a real folder"))
            return None
    if os.path.lexists(path) and not path.is_dir():
        problems.append(Problem(display_path(path), None, "", "is not a folder",
                                f"point {key} at a folder"))
        return None
    return path


def _inputs(project: Project) -> list[tuple[str, Path, bool]]:
    """(name, folder, is a container of the project folder) of every input folder."""
    named = [("the project folder", project.root),
             ("models_dir", project.path(project.config.models_dir)),
             *((f"the folder of model '{m.name}'", m.folder.resolve()) for m in project.models),
             ("templates_dir", project.path(project.config.templates_dir))]
    seen: dict[Path, str] = {}
    for what, folder in named:
        seen.setdefault(folder, what)
    return [(what, folder, project.root.is_relative_to(folder)) for folder, what in seen.items()]


def _relation(out: Path, folder: Path, container: bool) -> str:
    """How an output folder overlaps an input folder ('' when it does not)."""
    if out == folder:
        return "is"
    if folder.is_relative_to(out):
        return "contains"
    if out.is_relative_to(folder) and not container:
        return "is inside"
    return ""
