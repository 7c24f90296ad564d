"""Symlinks and paths in what govkit and mkdocs read may not lead out of the project.

A link in docs_dir is published by mkdocs with whatever it points to; a template, card or
sample read through a link ends up in pages. So every link below the folders govkit and mkdocs
read must resolve inside the project's boundary (the git work tree holding govkit.yaml; outside
git, the folder holding both govkit.yaml and mkdocs.yml), not into a hidden path (.git holds CI
tokens, .env secrets) and not back to a folder that holds it (a loop that publishes everything).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from govkit.errors import Problem
from govkit.formatting import display_path
from govkit.model import Loc, YamlDoc, dotted
from govkit.schemas.config import Config

HINT = ("govkit and mkdocs publish what a link points to: copy what it should show into the "
        "project, or remove the link")
PATH_HINT = "keep inputs inside the project (the git repository, or the folder of govkit.yaml)"


@dataclass(frozen=True)
class Bound:
    """What may be read: paths below `top`, with no hidden part below it (or below `root`,
    the folder of govkit.yaml, for paths inside it: a project may live in `.govkit/`)."""

    top: Path
    root: Path

    def hidden_part(self, path: Path) -> str | None:
        base = self.root if path.is_relative_to(self.root) else self.top
        return next((p for p in path.relative_to(base).parts if p.startswith(".")), None)


def boundary(root: Path, repo: Path | None, mkdocs_config: Path) -> Bound:
    """What counts as the project: the git work tree, or the folder holding govkit.yaml's
    folder (`root`) and mkdocs.yml (which may sit above it, as in the example)."""
    if repo is not None:
        return Bound(repo, root)
    return Bound(Path(os.path.commonpath([root, mkdocs_config.resolve().parent])), root)


def contained(root: Path, bound: Bound, config: Config, config_doc: YamlDoc) -> list[Problem]:
    """Every folder and file govkit.yaml names (inputs, docs_dir, html_dir, the mkdocs config)
    stays in the project as written, and no symlink below them leads out."""
    named: list[tuple[Loc, str]] = [
        ((key,), getattr(config, key)) for key in
        ("models_dir", "templates_dir", "datasets_dir", "systems_dir", "docs_dir", "html_dir",
         "mkdocs_config")]
    for kind in ("models", "datasets", "systems"):
        named += [((kind, i, "path"), e.path) for i, e in enumerate(getattr(config, kind))
                  if e.path]
    problems, starts = [], []
    for loc, value in named:
        path = Path(os.path.normpath(root / value))
        verdict = _lexical(bound, path)
        if verdict:
            problems.append(Problem(config_doc.path, config_doc.line_of(loc), dotted(loc),
                                    f"'{value}' {verdict}", PATH_HINT))
        elif loc[0] != "html_dir":  # html_dir is written, never read
            starts.append(path)
    starts += [root / config.models_dir / e.name for e in config.models if not e.path]
    return problems + link_problems(bound, starts)


def _lexical(bound: Bound, path: Path) -> str | None:
    """A path as written (no link followed) that leaves the project or names a hidden path."""
    if not path.is_relative_to(bound.top):
        return "leaves the project"
    hidden = bound.hidden_part(path)
    return f"is inside a hidden path ({hidden})" if hidden else None


def why_outside(bound: Bound, path: Path) -> str | None:
    """Why `path` (resolved, links and all) may not be read, or None when it may."""
    verdict = _verdict(bound, path)
    if verdict is None:
        return None
    kind, where = verdict
    return {"loop": "is a loop of symlinks",
            "outside": f"resolves outside the project ({where})",
            "hidden": f"resolves into a hidden path ({where})"}[kind]


def _verdict(bound: Bound, path: Path) -> tuple[str, str] | None:
    """("loop" | "outside" | "hidden", where) for a path that may not be read."""
    try:
        real = path.resolve(strict=False)
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        return "loop", ""
    if not real.is_relative_to(bound.top):
        return "outside", display_path(real)
    hidden = bound.hidden_part(real)
    return ("hidden", hidden) if hidden else None


def link_problems(bound: Bound, starts: Iterable[Path]) -> list[Problem]:
    """One problem per symlink below `starts` (and below the folders links lead to) that leaves
    the project, points into a hidden path or back to a folder that holds it; a start that is
    or passes through such a link is a problem itself."""
    problems: list[Problem] = []
    seen: set[Path] = set()
    queue = [p for p in starts if os.path.lexists(p)]
    for start in queue:
        reason = _link_reason(bound, start) if start.is_symlink() else _through(bound, start)
        if reason:
            problems.append(Problem(display_path(start), None, "", reason, HINT))
            continue
        real = start.resolve()
        if real in seen or not real.is_dir():
            continue
        seen.add(real)
        for folder, dirs, files in os.walk(start):
            for name in [*dirs, *files]:
                path = Path(folder, name)
                if not path.is_symlink():
                    continue
                reason = _link_reason(bound, path)
                if reason:
                    problems.append(Problem(display_path(path), None, "", reason, HINT))
                elif path.is_dir():
                    queue.append(path.resolve())  # walked too: its links count
            dirs[:] = [d for d in dirs if not d.startswith(".")]  # .git: not read
    return problems


def _through(bound: Bound, path: Path) -> str | None:
    """A path that is no link itself but passes through one that leads out."""
    why = why_outside(bound, path)
    return f"is reached through a symlink: it {why.removeprefix('is ')}" if why else None


def _link_reason(bound: Bound, link: Path) -> str | None:
    target = os.readlink(link)
    verdict = _verdict(bound, link)
    if verdict is not None:
        kind, where = verdict
        return f"is a symlink to {target}, " + {
            "loop": "a loop of symlinks", "outside": "outside the project",
            "hidden": f"a hidden path ({where})"}[kind]
    real = link.resolve()
    if real.is_dir() and link.parent.resolve().is_relative_to(real):
        return f"is a symlink to {target}, a folder that holds it"
    return None
