"""Single files and temporary folders, for the writes that are not a generated tree: the
manifest of a staged site, the plugin's stamp and search script, mkdocs' temporary config,
scratch folders of `diff`, `serve` and MLflow downloads."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` in a folder govkit is building (not yet anyone's to read)."""
    path.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def remove_file(path: Path | str) -> None:
    Path(path).unlink(missing_ok=True)


def temp_file(folder: Path, *, prefix: str, suffix: str) -> Path:
    """A new empty file in `folder` with a unique name (OSError if it cannot be made)."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    os.close(fd)
    return Path(name)


def scratch_folder(prefix: str) -> Path:
    """A new empty folder in the system's temporary folder; the caller removes it."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def remove_folder(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def folder_until_exit(prefix: str) -> Path:
    """A new empty folder in the system's temporary folder, removed when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@contextmanager
def temporary_folder(prefix: str) -> Iterator[Path]:
    """A new empty folder in the system's temporary folder, removed on exit."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)
