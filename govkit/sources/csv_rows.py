"""CSV rows Arrow cannot take: a row longer than its block (its "straddling object" error)
and a header that is not UTF-8 (Arrow reads it, then any use of a column name crashes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_BLOCK = 1 << 20  # pyarrow.csv.ReadOptions().block_size


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str
    hint: str


def long_row(exc: Exception, path: Path) -> RowProblem | None:
    """The first row longer than Arrow's block, when `exc` is Arrow's error about one."""
    if "straddl" not in str(exc) or not path.is_file():
        return None
    number, length = 1, 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            *ended, rest = chunk.split(b"\n")
            for part in ended:
                if length + len(part) > _BLOCK:
                    return _too_long(number, length + len(part))
                number, length = number + 1, 0
            length += len(rest)
    return _too_long(number, length) if length > _BLOCK else None


def header_problem(path: Path) -> RowProblem | None:
    """The header row, when it is not UTF-8 text."""
    with path.open("rb") as f:
        head = f.readline(_BLOCK)
    if len(head) == _BLOCK:
        head = head[:-3]  # a character cut at the limit is not an error
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RowProblem(1, f"the header row is not UTF-8 text (byte {exc.start + 1})",
                          "save the file as UTF-8")
    return None


def _too_long(number: int, length: int) -> RowProblem:
    return RowProblem(number, f"this row is {length:,} bytes long; a CSV row may take at most "
                              f"{_BLOCK >> 20} MiB",
                      "save the file as Parquet, or shorten the row's long field")
