"""`govkit check`: documented ranges of each model's latest release (or all) -> a report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.checks import CheckResult, check_project
from govkit.errors import EXIT_CHECK_FAILED, EXIT_OK
from govkit.model import Project
from govkit.sources.project import load_project


@dataclass
class CheckRun:
    project: Project
    results: list[CheckResult]

    @property
    def exit_code(self) -> int:
        return EXIT_CHECK_FAILED if any(r.failed for r in self.results) else EXIT_OK


def run_check(start: Path, *, all_versions: bool = False) -> CheckRun:
    project = load_project(start)
    return CheckRun(project, check_project(project, "all" if all_versions else "latest"))
