"""Plain training logs (no MLflow): Keras/Lightning `CSVLogger` files and JSON lines.

Read-only: turns one log file into per-metric histories. A cell left empty (Lightning
writes one where a metric wasn't logged that step) or Keras' `NA` means "not logged".
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from govkit.errors import InputError
from govkit.sources.files import DEFAULT_MAX_MB, max_bytes, read_input_text

LogFormat = Literal["csv-log", "jsonl-log"]
# Columns that index rows rather than measure anything.
STEP_COLUMNS = ("step", "epoch")
_MISSING = {"", "na", "none", "null"}


@dataclass(frozen=True)
class MetricSeries:
    steps: tuple[int, ...]
    values: tuple[float, ...]

    @property
    def last(self) -> float:
        return self.values[-1]


@dataclass(frozen=True)
class TrainingLog:
    path: str
    format: LogFormat
    step_column: str
    histories: dict[str, MetricSeries] = field(default_factory=dict)

    @property
    def final_metrics(self) -> dict[str, float]:
        """The last logged value of each metric."""
        return {name: series.last for name, series in sorted(self.histories.items())}


def read_training_log(path: str | Path, required: Sequence[str] = (),
                      limit: int = max_bytes(DEFAULT_MAX_MB)) -> TrainingLog:
    """Read a `.csv` (Keras or Lightning `CSVLogger`) or `.jsonl`/`.json` log file.

    `required` names metrics that must be present; a missing one is an error.
    """
    p = Path(path)
    text = read_input_text(p, str(p), limit)
    if p.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        rows = list(_jsonl_rows(text, str(p)))
        if not rows:
            raise _bad(
                str(p), 1, 'empty training log: expected lines like {"epoch": 0, "loss": 0.5}'
            )
        return _to_log(str(p), "jsonl-log", _columns(rows), rows, required)
    header, rows = _csv_rows(text, str(p))
    return _to_log(str(p), "csv-log", header, rows, required)


Row = tuple[int, dict[str, Any]]  # (line number, cells)


def _csv_rows(text: str, path: str) -> tuple[list[str], list[Row]]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _bad(path, 1, "empty training log: expected a header row like 'epoch,loss,val_loss'")
    reader = csv.reader(lines)
    header = [h.strip() for h in next(reader)]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes or "" in header:
        what = f"duplicate column {dupes[0]!r}" if dupes else "a column with no name"
        raise _bad(path, 1, f"header has {what}")
    rows: list[Row] = []
    for index, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise _bad(
                path,
                index,
                f"bad row: {len(cells)} cells, header has {len(header)} ({','.join(header)})",
            )
        rows.append((index, dict(zip(header, cells, strict=True))))
    return header, rows


def _jsonl_rows(text: str, path: str) -> Iterator[Row]:
    for index, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _bad(path, index, f"bad row: not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise _bad(
                path, index, 'bad row: expected a JSON object like {"epoch": 0, "loss": 0.5}'
            )
        yield index, obj


def _to_log(
    path: str, fmt: LogFormat, columns: list[str], rows: list[Row], required: Sequence[str]
) -> TrainingLog:
    step_column = next((c for c in STEP_COLUMNS if c in columns), None)
    if step_column is None:
        raise _bad(
            path,
            1,
            "missing column 'epoch' or 'step' (Keras' CSVLogger writes 'epoch', "
            "Lightning's writes 'epoch,step')",
        )
    missing = [name for name in required if name not in columns]
    if missing:
        raise _bad(path, 1, f"missing column {missing[0]!r} (columns: {', '.join(columns)})")
    metrics = [c for c in columns if c not in STEP_COLUMNS]
    steps: dict[str, list[int]] = {m: [] for m in metrics}
    values: dict[str, list[float]] = {m: [] for m in metrics}
    for line, row in rows:
        step = _parse_step(row.get(step_column), path, line, step_column)
        if step is None:
            continue  # nothing to place this row at
        for name in metrics:
            value = _parse_value(row.get(name), path, line, name)
            if value is not None:
                steps[name].append(step)
                values[name].append(value)
    histories = {m: MetricSeries(tuple(steps[m]), tuple(values[m])) for m in metrics if values[m]}
    for name in required:
        if name not in histories:
            raise InputError.single(path, f"column {name!r} has no values", field=name)
    return TrainingLog(path, fmt, step_column, histories)


def _columns(rows: Iterable[Row]) -> list[str]:
    seen: dict[str, None] = {}
    for _, row in rows:
        for key in row:
            seen.setdefault(str(key), None)
    return list(seen)


def _bad(path: str, line: int, message: str) -> InputError:
    return InputError.single(path, message, line=line)


def _parse_step(raw: Any, path: str, line: int, column: str) -> int | None:
    value = _parse_value(raw, path, line, column)
    if value is None:
        return None
    if value != int(value) or value < 0:
        raise _bad(path, line, f"bad row: {column} {raw!r} is not a whole number >= 0")
    return int(value)


def _parse_value(raw: Any, path: str, line: int, column: str) -> float | None:
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in _MISSING):
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _bad(path, line, f"bad row: {column} = {raw!r} is not a number")
    try:
        value = float(raw)
    except ValueError:
        raise _bad(path, line, f"bad row: {column} = {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise _bad(
            path, line, f"metric {column!r} is {value} (training diverged?); fix or drop the row"
        )
    return value
