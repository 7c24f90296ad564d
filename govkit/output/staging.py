"""Replace a folder as a whole: build its next state in a folder beside it, then swap.

The next state is built in `.NAME.govkit-tmp-new-XXXXXXXX`, a sibling of the target (same file
system, so the swap is one rename; same depth, so a relative symlink carried over points where
it did). The scratch folder `.NAME.govkit-tmp` records each such folder before it is made and
holds a replaced tree during the fallback swap. Builds of a project hold a lock, so whatever
the records name when a build starts was left by a killed one and is removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from govkit.errors import InputError
from govkit.formatting import display_path

MARK = ".govkit-tmp"  # inside a scratch folder: govkit made it
_MADE = "made-"  # a record in the scratch folder: govkit made this folder beside the target


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `folder`; the system drops it if the process dies."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # file systems without flock
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class Scratch:
    """Staging folders for `target`, committed by an atomic swap. On entry, leftovers of killed
    builds go (with `legacy`, also `.NAME.XXXXXXXX` and `.NAME.old` of govkit < 0.2); on exit,
    this build's own staging folders and the replaced tree."""

    def __init__(self, target: Path, *, legacy: bool = False) -> None:
        self.target = target
        self.work = target.parent / f".{target.name}.govkit-tmp"
        self.legacy = legacy

    def __enter__(self) -> Scratch:
        self._restore()
        self._clear()
        if self.legacy and self.target.parent.is_dir():
            old = re.compile(rf"\.{re.escape(self.target.name)}\.([a-z0-9_]{{8}}|old)")
            for path in self.target.parent.iterdir():
                if old.fullmatch(path.name) and path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._clear()

    def new_folder(self) -> Path:
        """An empty folder beside the target (it gets the target's permissions on commit)."""
        if not self.work.is_dir():
            self.work.mkdir(parents=True)
            (self.work / MARK).touch()
        while True:
            name = f".{self.target.name}{MARK}-new-{secrets.token_hex(4)}"
            (self.work / f"{_MADE}{name}").touch()  # recorded first: a kill leaves no stray
            path = self.target.parent / name
            try:
                path.mkdir()
                break
            except FileExistsError:  # pragma: no cover
                continue
        return path

    def commit(self, staged: Path) -> None:
        """Make `staged` the target in one step; the replaced tree is removed on exit."""
        try:
            if not os.path.lexists(self.target):
                os.rename(staged, self.target)
                return
            shutil.copymode(self.target, staged)
            if not _exchange(staged, self.target):
                aside = self.work / ("old-" + staged.name)  # restored by _restore if killed
                os.rename(self.target, aside)
                os.rename(staged, self.target)
        except OSError as exc:
            raise InputError.single(
                display_path(self.target), f"cannot be replaced: {exc.strerror}",
                hint="govkit swaps this folder as a whole: make it a plain folder "
                "(not a mount point) that you may rename") from exc

    def _restore(self) -> None:
        """Killed between the two renames of the fallback swap: put the old tree back."""
        if os.path.lexists(self.target) or not self.work.is_dir():
            return
        olds = sorted(self.work.glob("old-*"))
        if olds:
            os.rename(olds[0], self.target)

    def _clear(self) -> None:
        if not os.path.lexists(self.work):
            return
        marked = (self.work / MARK).is_file()
        if self.work.is_symlink() or not self.work.is_dir() or (
                not marked and any(self.work.iterdir())):
            raise InputError.single(
                display_path(self.work), "is not a scratch folder govkit made",
                hint="govkit uses this name for its staging folders: move it elsewhere")
        made = re.compile(rf"{_MADE}(\.{re.escape(self.target.name)}{MARK}-new-[0-9a-f]{{8}})")
        for child in self.work.iterdir():
            record = made.fullmatch(child.name)
            if record:  # a folder this scratch made beside the target (only such a name)
                _remove(self.target.parent / record[1])
        for child in self.work.iterdir():
            if child.name != MARK:
                _remove(child)
        if not any(p.name != MARK for p in self.work.iterdir()):
            (self.work / MARK).unlink(missing_ok=True)
            self.work.rmdir()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)  # a killed build's mkdocs may still write here
    else:
        path.unlink(missing_ok=True)


@functools.cache
def _swap_call() -> Callable[[bytes, bytes], int] | None:
    """The system's atomic exchange of two paths: Linux renameat2, macOS renamex_np."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover
        return None
    if hasattr(libc, "renameat2"):
        fn = libc.renameat2
        fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        at_fdcwd, rename_exchange = -100, 2
        return lambda a, b: int(fn(at_fdcwd, a, at_fdcwd, b, rename_exchange))
    if hasattr(libc, "renamex_np"):  # pragma: no cover - macOS
        fn = libc.renamex_np
        fn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        rename_swap = 2
        return lambda a, b: int(fn(a, b, rename_swap))
    return None  # pragma: no cover


def _exchange(a: Path, b: Path) -> bool:
    """Swap `a` and `b` atomically; False when the system or file system cannot."""
    call = _swap_call()
    if call is None:
        return False  # pragma: no cover
    if call(os.fsencode(a), os.fsencode(b)) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))
