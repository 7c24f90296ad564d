"""Errors govkit reports to users, and the exit codes they map to.

0 ok, 1 a documented check failed, 2 bad input or usage, 3 internal error (a bug in govkit).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Self

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input: where it is, what it is, how to fix it."""

    path: str
    line: int | None
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


class GovkitError(Exception):
    """Base of every error govkit reports without a traceback."""

    exit_code = EXIT_INPUT


class InputError(GovkitError):
    """Bad input (exit 2): one or more problems, all reported together."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls, path: str | Path, message: str, *, line: int | None = None, field: str = "",
        hint: str = "",
    ) -> Self:
        return cls([Problem(str(path), line, field, message, hint)])


class YamlError(InputError):
    """A YAML or JSON input file cannot be read or parsed."""


class TemplateInputError(InputError):
    """A template (default or a project's override) failed or tried something not allowed."""


class MlflowInputError(InputError):
    """The MLflow store or registry cannot be read as configured."""


class PredictionsInputError(InputError):
    """Row-level predictions (a run's table or CSV/Parquet artifact) cannot be used."""


class MonitoringInputError(InputError):
    """Window data cannot be monitored as configured.

    ``path`` names the file (or ``"<reference>"``/``"<current>"`` for in-memory tables),
    ``column`` the offending column, ``hint`` a suggested fix.
    """

    def __init__(
        self, message: str, *, path: str | None = None, column: str | None = None,
        hint: str | None = None, line: int | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.column = column
        self.hint = hint
        field = f"column {column}" if column else ""
        super().__init__([Problem(path or "<input>", line, field, message, hint or "")])


class SiteBuildFailed(GovkitError):
    """mkdocs refused the site (in strict mode every warning is an error)."""


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line or 0, p.field, p.message)
