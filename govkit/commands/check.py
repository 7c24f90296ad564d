"""`govkit check`: documented ranges of each model's latest release (or all) -> a report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.checks import CheckResult, check_project, strictly
from govkit.commands.loading import load_profiled_project
from govkit.errors import EXIT_CHECK_FAILED, EXIT_OK
from govkit.model import Project


@dataclass
class CheckRun:
    project: Project
    results: list[CheckResult]

    @property
    def exit_code(self) -> int:
        return EXIT_CHECK_FAILED if any(r.failed for r in self.results) else EXIT_OK


def run_check(start: Path, *, all_versions: bool = False, strict: bool = False) -> CheckRun:
    """Warnings (e.g. a data dictionary that disagrees with the data) fail only if `strict`."""
    project = load_profiled_project(start)
    results = check_project(project, "all" if all_versions else "latest")
    return CheckRun(project, strictly(results) if strict else results)
