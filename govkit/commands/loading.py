"""Load a project and compute what its checks read: the profile of every dataset's sample.

`build` and `check` both start here, so a page and `govkit check` see the same numbers.
"""

from __future__ import annotations

from pathlib import Path

from govkit.formatting import display_path
from govkit.model import Project
from govkit.monitoring.dictionary import profile_dataset
from govkit.sources.dictionaries import read_sample
from govkit.sources.project import load_project


def load_profiled_project(start: Path) -> Project:
    project = load_project(start)
    for record in project.datasets:
        if record.reference is None:
            continue
        table, digest = read_sample(record)
        record.profile = profile_dataset(table, record.dictionary.features,
                                         _shown(project, record.reference), digest)
    return project


def _shown(project: Project, path: Path) -> str:
    """The sample's path relative to the project root (stable across machines)."""
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return display_path(path)
