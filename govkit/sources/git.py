"""Reading a git repository: the one module that runs git.

Read-only plumbing (rev-parse, ls-tree, cat-file, log, status): the working tree, the index
and the refs are never touched. No shell; a revision is validated and passed after
`--end-of-options`, a path after `--` and read literally (GIT_LITERAL_PATHSPECS), so a hostile
ref or file name is never read as an option or a pathspec.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from govkit.errors import InputError
from govkit.formatting import display_path
from govkit.model import Changed

# A revision as a person writes it (branch, tag, sha, HEAD~2, origin/main, v1^{commit}):
# no leading '-', no whitespace or control characters, no ':' (that would name a file).
_REVISION = re.compile(r"[A-Za-z0-9_@{}^~./+-]{1,255}")
_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
SYMLINK_MODE = "120000"
# paths read literally, no lock taken, no prompt, messages in English
_SAFE = {"GIT_LITERAL_PATHSPECS": "1", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0",
         "LC_ALL": "C"}
_ENV = os.environ


@dataclass(frozen=True)
class TreeFile:
    """One file of a git tree."""

    path: str  # posix, relative to the repository root
    mode: str  # e.g. 100644; 120000 is a symlink
    sha: str


def toplevel(folder: Path) -> Path | None:
    """The root of the git work tree that holds `folder`; None outside git (or no git)."""
    if not _may_be_in_git(folder):
        return None  # what `git rev-parse` answers, without starting it (issue 26)
    try:
        out = _run(folder, "rev-parse", "--show-toplevel")
    except InputError:
        return None
    return Path(out.strip()).resolve() if out.strip() else None


def _may_be_in_git(folder: Path) -> bool:
    """False only where git cannot find a repository: no GIT_* variable is set (GIT_DIR and
    GIT_WORK_TREE name one anywhere) and neither `folder` nor a folder above it holds a
    `.git` (git looks for nothing else; it searches from the resolved path, as here)."""
    if any(name.startswith("GIT_") for name in os.environ):
        return True
    try:
        here = folder.resolve()
    except (OSError, RuntimeError):
        return True
    return any(os.path.lexists(up / ".git") for up in (here, *here.parents))


def prefix(folder: Path) -> PurePosixPath:
    """Where `folder` sits inside its work tree (e.g. `examples`)."""
    return PurePosixPath(_run(folder, "rev-parse", "--show-prefix").strip())


def valid_revision(spec: str) -> bool:
    return bool(_REVISION.fullmatch(spec)) and not spec.startswith("-") and ".." not in spec


def commit_of(folder: Path, spec: str) -> str:
    """The commit id `spec` names; InputError when it names none (or is not a revision)."""
    if not valid_revision(spec):
        raise not_a_revision(spec)
    try:
        sha = _run(folder, "rev-parse", "--verify", "--quiet", "--end-of-options",
                   f"{spec}^{{commit}}").strip()
    except InputError:
        raise not_a_revision(spec) from None
    if not _OBJECT_ID.fullmatch(sha):
        raise not_a_revision(spec)
    return sha


def files_at(top: Path, commit: str) -> list[TreeFile]:
    """Every file (blob or symlink) in `commit`, with its path from the repository root."""
    _object_id(commit)
    listing = _run(top, "ls-tree", "-r", "-z", "--full-tree", commit)
    found = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, sha = meta.split()
        if kind == "blob":
            found.append(TreeFile(path, mode, sha))
    return found


def read_blobs(top: Path, shas: list[str]) -> list[bytes]:
    """The contents of blobs, in order, with one `git cat-file --batch`."""
    if not shas:
        return []
    for sha in shas:
        _object_id(sha)
    done = _call(top, ["cat-file", "--batch"], "".join(f"{s}\n" for s in shas).encode())
    data, offset, out = done, 0, []
    for _ in shas:
        header_end = data.index(b"\n", offset)
        header = data[offset:header_end].split()
        if len(header) != 3:  # "<sha> missing"
            raise InputError.single(display_path(top), f"git object {header[0].decode()} "
                                    "is missing", hint="fetch the full history (fetch-depth: 0)")
        size = int(header[2])
        out.append(data[header_end + 1:header_end + 1 + size])
        offset = header_end + 1 + size + 1
    return out


def input_files(top: Path, commit: str,
                wanted: Callable[[PurePosixPath], bool]) -> dict[str, bytes]:
    """Path (from the repository root) -> bytes of every wanted file in `commit`; symlinks
    are left out (a revision's link could point anywhere on the reader's disk)."""
    files = [f for f in files_at(top, commit)
             if f.mode != SYMLINK_MODE and wanted(PurePosixPath(f.path))]
    return dict(zip([f.path for f in files], read_blobs(top, [f.sha for f in files]),
                    strict=True))


def last_changes(root: Path, top: Path | None, files: Iterable[str],
                 today: dt.date) -> dict[str, Changed]:
    """{file (relative to root, posix): when it last changed}: the last commit touching it, or
    today when it has uncommitted changes (the pull request that is changing it). `top` is
    the work tree holding root (`toplevel`); outside git nothing is known (documents fall
    back to last_reviewed)."""
    wanted = sorted(f for f in set(files) if not Path(f).is_absolute())
    if top is None or not wanted:
        return {}
    out: dict[str, Changed] = {}
    log = _quiet(root, "-c", "core.quotepath=off", "log", "--format=>%cs", "--name-only",
                 "--relative", "--", *wanted)
    day: dt.date | None = None
    for line in (log or "").splitlines():
        if line.startswith(">"):
            day = dt.date.fromisoformat(line[1:])
        elif line and day is not None and line in wanted and line not in out:
            out[line] = Changed(day, "git")
    status = _quiet(root, "-c", "core.quotepath=off", "status", "--porcelain",
                    "--untracked-files=all", "--", *wanted) or ""
    for line in status.splitlines():
        full = (top / line[3:].split(" -> ")[-1]).resolve()
        rel = full.relative_to(root.resolve()).as_posix() \
            if full.is_relative_to(root.resolve()) else ""
        if rel in wanted:
            out[rel] = Changed(today, "working tree")
    return out


def _object_id(sha: str) -> None:
    if not _OBJECT_ID.fullmatch(sha):
        raise ValueError(f"not a git object id: {sha!r}")  # a bug in govkit: exit 3


def not_a_revision(spec: str) -> InputError:
    return InputError.single(spec, "not a git revision",
                             hint="pass a commit, branch or tag, or a project folder written "
                             "dir:PATH")


def _quiet(folder: Path, *args: str) -> str | None:
    """git's output, or None when git is missing, refuses or takes too long (best effort:
    for facts govkit can do without)."""
    env = {k: v for k, v in _ENV.items() if not k.startswith("GIT_")} | _SAFE
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True,
                              timeout=30, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.rstrip("\n") if done.returncode == 0 else None


def _run(folder: Path, *args: str) -> str:
    return _call(folder, list(args)).decode("utf-8", errors="surrogateescape")


def _call(folder: Path, args: list[str], stdin: bytes | None = None) -> bytes:
    env = dict(os.environ, **_SAFE)
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], input=stdin,
                              capture_output=True, check=False, env=env)
    except FileNotFoundError:
        raise InputError.single(display_path(folder), "git is not installed",
                                hint="install git, or compare two folders") from None
    except NotADirectoryError:
        raise InputError.single(display_path(folder), "is not a folder") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode(errors="replace").split())[:200]
        raise InputError.single(display_path(folder), f"git {args[0]} failed: {message}",
                                hint="run govkit inside a git repository, or pass two folders")
    return done.stdout
