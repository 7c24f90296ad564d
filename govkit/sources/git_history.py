"""When each document's source file last changed, from git: the last commit touching it, or
today when it has uncommitted changes (the pull request that is changing it). Outside a git
work tree, or without git, nothing is known and documents fall back to `last_reviewed`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from govkit.model import Changed

_TIMEOUT = 30


def last_changes(root: Path, files: Iterable[str], today: dt.date) -> dict[str, Changed]:
    """{file (relative to root, posix): last change} for the files git knows."""
    wanted = sorted(f for f in set(files) if not Path(f).is_absolute())
    top = (_git(root, "rev-parse", "--show-toplevel") or "").strip() if wanted else None
    if not top:
        return {}
    out: dict[str, Changed] = {}
    log = _git(root, "-c", "core.quotepath=off", "log", "--format=>%cs", "--name-only",
               "--relative", "--", *wanted)
    day: dt.date | None = None
    for line in (log or "").splitlines():
        if line.startswith(">"):
            day = dt.date.fromisoformat(line[1:])
        elif line and day is not None and line in wanted and line not in out:
            out[line] = Changed(day, "git")
    status = _git(root, "-c", "core.quotepath=off", "status", "--porcelain",
                  "--untracked-files=all", "--", *wanted) or ""
    for line in status.splitlines():
        full = (Path(top) / line[3:].split(" -> ")[-1]).resolve()
        rel = full.relative_to(root.resolve()).as_posix() \
            if full.is_relative_to(root.resolve()) else ""
        if rel in wanted:
            out[rel] = Changed(today, "working tree")
    return out


def _git(root: Path, *args: str) -> str | None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              timeout=_TIMEOUT, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.rstrip("\n") if done.returncode == 0 else None
