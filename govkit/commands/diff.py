"""`govkit diff BASE HEAD`: compare two states of a project for a pull-request review.

Each side is a git revision of the repository that holds the project, read by
`sources/git.py` (the working tree, the index and the refs are never touched), or a project
folder written `dir:PATH`. A bare argument is never taken as a folder: a pull request could
add a folder named like the base ref (`origin/main/`) and so choose the "base" it is compared
with; an argument that names both a revision and a folder is refused. A revision's input
files (govkit.yaml, cards, releases, monitoring results) are copied into a temporary
folder and loaded there by the same loader every command uses, then the folder is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from govkit.checks.project import check_project
from govkit.errors import EXIT_CHECK_FAILED, EXIT_OK, InputError, Problem
from govkit.formatting import display_path
from govkit.model import Project
from govkit.output.files import remove_folder, scratch_folder
from govkit.output.writer import write_if_changed
from govkit.review.engine import compare
from govkit.review.records import ProjectDiff
from govkit.sources import git
from govkit.sources.project import CONFIG_NAME, load_project

FAIL_ON = ("loosened", "new-failure")
DIR = "dir:"
# What a project reads: YAML sources (cards, releases, alerts, incidents, dictionaries,
# training guides, systems), monitoring JSON and the data files dictionaries profile.
_INPUT_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".tsv", ".parquet")


@dataclass
class DiffRun:
    diff: ProjectDiff
    fail_on: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        loosened = (self.diff.loosened or self.diff.loosened_settings
                    or self.diff.coverage_lost or self.diff.segments_lost)
        hit = ("loosened" in self.fail_on and loosened) or (
            "new-failure" in self.fail_on and self.diff.new_failures)
        return EXIT_CHECK_FAILED if hit else EXIT_OK


def run_diff(start: Path, base: str, head: str, fail_on: tuple[str, ...] = ()) -> DiffRun:
    with _state(start, base) as old, _state(start, head) as new:
        results = check_project(old, "all"), check_project(new, "all")
        return DiffRun(compare(old, new, *results, labels=(base, head)), fail_on)


@contextmanager
def _state(start: Path, spec: str) -> Iterator[Project]:
    """The project in folder PATH when `spec` is `dir:PATH`, else at git revision `spec`."""
    if spec.startswith(DIR):
        project = Path(spec.removeprefix(DIR))
        if not project.is_dir():
            raise InputError.single(spec, "no such folder",
                                    hint="give the folder of a project (dir:PATH)")
        yield load_project(project)
        return
    folder, config = (start.parent, start.name) if start.is_file() else (start, CONFIG_NAME)
    top = git.toplevel(folder)
    commit = _commit_or_none(folder, spec) if top is not None else None
    if Path(spec).exists():
        if commit is not None:
            raise InputError.single(spec, f"both a git revision ({commit[:12]}) and a folder "
                                    f"({display_path(Path(spec))})",
                                    hint=f"write dir:{spec} to compare the folder, or rename it")
        raise InputError.single(spec, "not a git revision (a folder is not read unless "
                                "written dir:PATH)", hint=f"write dir:{spec} to compare it")
    if top is None and git.valid_revision(spec):
        raise InputError.single(display_path(folder), "is not inside a git repository",
                                hint="run govkit diff inside a git repository, "
                                "or compare two folders written dir:PATH")
    if top is None or commit is None:
        raise git.not_a_revision(spec)
    where = git.prefix(folder)
    scratch = scratch_folder("govkit-diff-")
    try:
        for path, data in git.input_files(top, commit, _is_input).items():
            write_if_changed(scratch.joinpath(*PurePosixPath(path).parts), data)
        try:
            yield load_project(scratch.joinpath(*where.parts, config))
        except InputError as exc:
            raise _relabel(exc, scratch, spec) from None
    finally:
        remove_folder(scratch)


def _commit_or_none(folder: Path, spec: str) -> str | None:
    try:
        return git.commit_of(folder, spec)
    except InputError:
        return None


def _is_input(path: PurePosixPath) -> bool:
    return path.name == CONFIG_NAME or path.suffix.lower() in _INPUT_SUFFIXES


def _relabel(exc: InputError, scratch: Path, spec: str) -> InputError:
    """Problems in a revision's files name `REV:path`, not the temporary copy."""
    root = scratch.resolve()
    problems = []
    for p in exc.problems:
        full = (Path.cwd() / p.path).resolve()
        path = f"{spec}:{full.relative_to(root).as_posix()}" if full.is_relative_to(root) \
            else p.path
        problems.append(Problem(path, p.line, p.field, p.message, p.hint))
    return InputError(problems)
