"""The user's cache folder: the one place govkit keeps files outside the project.

What is kept there is derived (compiled templates) and keyed by everything it derives from.
It is used only where a pull request cannot have written it: outside the project and the
git work tree around it (a CI job whose XDG_CACHE_HOME points into its checkout gets no
cache), in folders this user owns and no one else may write (created 0700). Otherwise
there is no cache: the caller computes, as if the folder were empty.

Location: $GOVKIT_CACHE_DIR, else $XDG_CACHE_HOME/govkit, else ~/.cache/govkit.
GOVKIT_CACHE_DIR=off turns it off.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def cache_folder(kind: str, key: str, project_root: Path) -> Path | None:
    """`<cache>/<kind>/<key>`, made if missing; None when it is off, unsafe or unwritable."""
    base = _base()
    if base is None:
        return None
    try:
        base = base.resolve()
        if _inside(base, _work_tree(project_root.resolve())):
            return None
        folder = base / kind / key
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        for level in (base, base / kind, folder):
            level.mkdir(mode=0o700, exist_ok=True)
            if not _private(level):
                return None
        return folder
    except (OSError, RuntimeError, ValueError):
        return None


def _base() -> Path | None:
    configured = os.environ.get("GOVKIT_CACHE_DIR", "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "govkit"
    return Path.home() / ".cache" / "govkit"


def _work_tree(root: Path) -> Path:
    """The git work tree holding the project (a pull request writes anywhere in it), else
    the project itself."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _private(folder: Path) -> bool:
    """A real folder (not a link), owned by this user, writable by no one else."""
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def read_entry(folder: Path, name: str) -> bytes | None:
    """An entry of a folder from `cache_folder`, or None when there is none."""
    try:
        with open(folder / name, "rb") as f:
            return f.read()
    except OSError:
        return None


def write_entry(folder: Path, name: str, data: bytes) -> None:
    """Keep `data` (atomically: a concurrent run reads all of it or nothing); a cache that
    cannot be written is no error."""
    from govkit.output.writer import atomic_write

    with contextlib.suppress(OSError):
        atomic_write(folder / name, data, make_parent=False)
