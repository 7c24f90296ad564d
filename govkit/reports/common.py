"""What every CI report needs: where a check is documented, and safe Markdown table cells."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePath

from govkit.checks.results import CheckResult
from govkit.formatting import printable

_SURROGATE = re.compile("[\ud800-\udfff]")
# ASCII punctuation that Markdown (with GitHub's extensions) may read as syntax; '-', '/',
# ',' and '.' inside a table cell never are.
_PUNCT = re.compile(r"([!-+:-@\[-`{-~])")


def clean(text: str) -> str:
    """One safe line of text for a log or a report: no control characters, no lone UTF-16
    surrogates (a JSON input can carry them; they cannot be encoded)."""
    return _SURROGATE.sub("\ufffd", printable(text))


def location(result: CheckResult, root: Path, repo: Path | None) -> str:
    """The documenting file with '/', as every report names it: relative to the repository
    root `repo` (code scanning and GitHub resolve paths so), or to the project folder `root`
    outside git; never to the working directory, so two reports of one run agree."""
    return PurePath(os.path.relpath(root / result.source, repo or root)).as_posix()


def where(result: CheckResult, root: Path, repo: Path | None) -> str:
    path = location(result, root, repo)
    return f"{path}:{result.line}" if result.line else path


def md_cell(text: str) -> str:
    """Text inert in a Markdown table cell: one line, punctuation backslash-escaped (CommonMark
    allows it before any ASCII punctuation), so no link, HTML, emphasis, mention or '|'."""
    return _PUNCT.sub(r"\\\1", " ".join(clean(text).split()))
