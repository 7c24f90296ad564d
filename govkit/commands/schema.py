"""`govkit schema`: write the JSON Schema of every file govkit reads or writes."""

from __future__ import annotations

from pathlib import Path

from govkit.errors import InputError
from govkit.output.writer import write_if_changed
from govkit.schemas.export import schema_files


def write_schemas(out: Path) -> list[Path]:
    if out.exists() and not out.is_dir():
        raise InputError.single(str(out), "is a file, not a folder",
                                hint="pass --out with a folder for the schema files")
    paths = []
    for name, data in schema_files().items():
        write_if_changed(out / name, data)
        paths.append(out / name)
    return paths
