"""Load a project and compute what its checks read: the profile of every dataset's sample.

`build` and `check` both start here, so a page and `govkit check` see the same numbers.
"""

from __future__ import annotations

from pathlib import Path

from govkit.commands.sample_profiles import sample_profile
from govkit.errors import InputError, MonitoringInputError, Problem
from govkit.formatting import display_path
from govkit.model import DatasetRecord, Project
from govkit.sources.project import load_project


def load_profiled_project(start: Path) -> Project:
    project = load_project(start)
    for record in project.datasets:
        if record.reference is None:
            continue
        shown = _shown(project, record.reference)
        try:
            record.profile = sample_profile(project, record, shown)
        except MonitoringInputError as exc:
            raise _at_reference(record, shown, exc) from None
    return project


def _at_reference(record: DatasetRecord, shown: str, exc: MonitoringInputError) -> InputError:
    """A sample the engine cannot profile, reported at the dictionary's `reference_data`."""
    column = f" (column {exc.column})" if exc.column else ""
    return InputError([Problem(record.doc.path, record.doc.line_of(("reference_data",)),
                               "reference_data", f"cannot profile {shown}{column}: {exc.message}",
                               exc.hint or "fix the sample")])


def _shown(project: Project, path: Path) -> str:
    """The sample's path relative to the project root (stable across machines)."""
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return display_path(path)
