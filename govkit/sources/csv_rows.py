"""CSV rows Arrow cannot take, told by file line: a row longer than its block (its
"straddling object" error), a row with more or fewer fields than the header (its "Expected
N columns" error names no line), and a header that is not UTF-8 (Arrow reads it, then any
use of a column name crashes)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

_BLOCK = 1 << 20  # pyarrow.csv.ReadOptions().block_size


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str
    hint: str


_COLUMNS = re.compile(r"Expected (\d+) columns, got (\d+)")


def row_problem(exc: Exception, path: Path) -> RowProblem | None:
    """The row `exc` (Arrow's error reading `path`) is about, when one can be found."""
    if not path.is_file():
        return None
    if "straddl" in str(exc):
        return _long_row(path)
    counts = _COLUMNS.search(str(exc))
    return _field_count(path, int(counts.group(1))) if counts else None


def _field_count(path: Path, expected: int) -> RowProblem | None:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter)
        start = 1
        for record in reader:
            if record and len(record) != expected:
                fields = f"{len(record)} field" + ("s" if len(record) != 1 else "")
                return RowProblem(start, f"this row has {fields}; the header has {expected}",
                                  "quote a field that holds the "
                                  f"delimiter {delimiter!r} or a line break, or remove the "
                                  "extra fields")
            start = reader.line_num + 1
    return None


def _long_row(path: Path) -> RowProblem | None:
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
