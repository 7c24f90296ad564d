"""Business KPI rows: a CSV/Parquet file of the project, or a SQL query through SQLAlchemy.
A window's value aggregates the rows whose window column equals its label."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govkit.errors import InputError
from govkit.schemas.layers import KpiSource
from govkit.sources.csv_rows import header_problem, row_problem


@dataclass(frozen=True)
class KpiValue:
    value: float | None
    samples: int
    reason: str | None


def _file_rows(path: Path, shown: str) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    found = None if path.suffix == ".parquet" else header_problem(path)
    if found is None:
        try:
            table = pq.read_table(path) if path.suffix == ".parquet" else pacsv.read_csv(path)
        except (pa.ArrowInvalid, OSError) as exc:
            found = row_problem(exc, path)
            if found is None:
                raise InputError.single(
                    shown, f"cannot read the KPI file: {exc}",
                    hint="give a UTF-8 CSV with a header row, or a Parquet file") from None
    if found is not None:
        raise InputError.single(shown, found.message, line=found.line, hint=found.hint)
    for field in table.schema:  # Arrow reads text that is not UTF-8 as a binary column
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            raise InputError.single(shown, "cannot read the KPI file: not UTF-8 text",
                                    field=f"column {field.name}", hint="save the file as UTF-8")
    return list(table.to_pylist())


def read_rows(source: KpiSource, root: Path, url: str | None) -> list[dict[str, Any]]:
    """Every row of the source (`url`: the SQLAlchemy URL of its database)."""
    if source.file is not None:
        path = (root / source.file).resolve()
        if not path.is_relative_to(root.resolve()) or not path.is_file():
            raise InputError.single(source.file, "KPI file is missing or outside the project",
                                    hint="give a CSV/Parquet path relative to the project")
        return _file_rows(path, source.file)
    import sqlalchemy as sa
    assert source.sql is not None and url is not None
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(sa.text(source.sql))]
    except sa.exc.SQLAlchemyError as exc:
        why = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise InputError.single(f"database {source.database}", "the KPI query failed: "
                                f"{type(exc).__name__}: {why}",
                                hint="fix the card's business source sql") from None
    finally:
        engine.dispose()


def kpi_value(source: KpiSource, rows: list[dict[str, Any]], window: str) -> KpiValue:
    if rows and (source.column not in rows[0] or source.window_column not in rows[0]):
        missing = [c for c in (source.column, source.window_column) if c not in rows[0]]
        return KpiValue(None, 0, f"no column {', '.join(missing)} in the source")
    values = [r[source.column] for r in rows if str(r[source.window_column]) == window]
    if not values:
        return KpiValue(None, 0, f"no rows for window {window}")
    try:
        numbers = [float(v) for v in values if v is not None]
    except (TypeError, ValueError):
        return KpiValue(None, len(values), f"column {source.column} is not numeric")
    if not numbers or not all(math.isfinite(n) for n in numbers):
        return KpiValue(None, len(values), "null or NaN values in the window")
    value = (sum(numbers) / len(numbers) if source.aggregate == "mean" else
             sum(numbers) if source.aggregate == "sum" else numbers[-1])
    return KpiValue(value, len(numbers), None)
