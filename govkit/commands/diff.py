"""`govkit diff BASE HEAD`: compare two states of a project for a pull-request review.

Each side is a project folder (a path that exists) or a git revision of the repository that
holds the project. A revision is read with `git ls-tree` and `git cat-file` only: the
working tree, the index and the refs are never touched. Its input files (govkit.yaml, cards,
releases, monitoring results) are copied into a temporary folder and loaded there by the
same loader every command uses, then the folder is removed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from govkit.checks import check_project
from govkit.errors import EXIT_CHECK_FAILED, EXIT_OK, InputError, Problem
from govkit.formatting import display_path
from govkit.model import Project
from govkit.review.engine import compare
from govkit.review.records import ProjectDiff
from govkit.site.writer import write_if_changed
from govkit.sources.project import CONFIG_NAME, load_project

FAIL_ON = ("loosened", "new-failure")
# What a project reads: YAML sources (cards, releases, alerts, incidents, dictionaries,
# training guides, systems), monitoring JSON and the data files dictionaries profile.
_INPUT_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".tsv", ".parquet")


@dataclass
class DiffRun:
    diff: ProjectDiff
    fail_on: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        hit = ("loosened" in self.fail_on and self.diff.loosened) or (
            "new-failure" in self.fail_on and self.diff.new_failures)
        return EXIT_CHECK_FAILED if hit else EXIT_OK


def run_diff(start: Path, base: str, head: str, fail_on: tuple[str, ...] = ()) -> DiffRun:
    with _state(start, base) as old, _state(start, head) as new:
        results = check_project(old, "all"), check_project(new, "all")
        return DiffRun(compare(old, new, *results, labels=(base, head)), fail_on)


@contextmanager
def _state(start: Path, spec: str) -> Iterator[Project]:
    """The project as it is in folder `spec`, or at git revision `spec`."""
    if Path(spec).exists():
        yield load_project(Path(spec))
        return
    folder, config = (start.parent, start.name) if start.is_file() else (start, CONFIG_NAME)
    top = Path(_git(folder, "rev-parse", "--show-toplevel", spec=spec).strip())
    prefix = PurePosixPath(_git(folder, "rev-parse", "--show-prefix", spec=spec).strip())
    commit = _revision(folder, spec)
    scratch = Path(tempfile.mkdtemp(prefix="govkit-diff-"))
    try:
        _copy_inputs(top, commit, scratch, spec)
        try:
            yield load_project(scratch.joinpath(*prefix.parts, config))
        except InputError as exc:
            raise _relabel(exc, scratch, spec) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _revision(folder: Path, spec: str) -> str:
    if spec.startswith("-"):
        raise _bad(spec)
    try:
        return _git(folder, "rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}",
                    spec=spec).strip()
    except InputError:
        raise _bad(spec) from None


def _bad(spec: str) -> InputError:
    return InputError.single(spec, "neither an existing folder nor a git revision",
                             hint="pass a project folder, or a commit, branch or tag")


def _copy_inputs(top: Path, commit: str, scratch: Path, spec: str) -> None:
    listing = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, spec=spec)
    wanted: list[tuple[str, str]] = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob" and mode != "120000" and _is_input(PurePosixPath(path)):
            wanted.append((sha, path))
    if not wanted:
        return
    batch = subprocess.run(["git", "-C", str(top), "cat-file", "--batch"], check=False,
                           input="".join(f"{sha}\n" for sha, _ in wanted).encode(),
                           capture_output=True)
    if batch.returncode != 0:
        raise InputError.single(spec, f"git cat-file failed: {batch.stderr.decode()[:200]}")
    data, offset = batch.stdout, 0
    for _, path in wanted:
        header_end = data.index(b"\n", offset)
        size = int(data[offset:header_end].split()[2])
        body = data[header_end + 1:header_end + 1 + size]
        offset = header_end + 1 + size + 1
        write_if_changed(scratch.joinpath(*PurePosixPath(path).parts), body)


def _is_input(path: PurePosixPath) -> bool:
    return path.name == CONFIG_NAME or path.suffix.lower() in _INPUT_SUFFIXES


def _git(folder: Path, *args: str, spec: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise InputError.single(spec, "git is not installed",
                                hint="install git, or compare two folders") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode(errors="replace").split())[:200]
        raise InputError.single(display_path(folder), f"git {args[0]} failed: {message}",
                                hint="run govkit diff inside a git repository, "
                                "or pass two folders")
    return done.stdout.decode("utf-8", errors="surrogateescape")


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
