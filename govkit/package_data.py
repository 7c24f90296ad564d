"""Where govkit's package data is: the package's folder when it is one on disk (as pip
installs it), read from the module; otherwise through importlib.resources. Its file
reader imports zipfile (~3 ms of every check, issue 26) for data that is never zipped."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def package_folder(package: str) -> Path | Traversable:
    """The folder of `package` (a package of govkit's, e.g. govkit.profiles)."""
    spec = importlib.import_module(package).__spec__
    folders = [Path(p) for p in (spec and spec.submodule_search_locations) or []]
    if len(folders) == 1 and folders[0].is_dir():
        return folders[0]
    from importlib import resources

    return resources.files(package)
