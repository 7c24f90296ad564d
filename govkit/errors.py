"""Errors govkit reports to users, and the exit codes they map to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_INPUT = 2


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
    """Bad input: one or more problems, all reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(
        cls, path: str | Path, message: str, *, line: int | None = None, field: str = "",
        hint: str = "",
    ) -> InputError:
        return cls([Problem(str(path), line, field, message, hint)])


class CheckFailed(GovkitError):
    """One or more documented checks failed."""

    exit_code = EXIT_CHECK_FAILED


def _problem_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.path, p.line or 0, p.field, p.message)
