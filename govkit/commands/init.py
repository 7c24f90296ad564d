"""`govkit init DIR`: a working project to start from. Never overwrites a file."""

from __future__ import annotations

from pathlib import Path

from govkit.errors import InputError
from govkit.output.writer import atomic_write
from govkit.schemas.export import schema_files
from govkit.site.jinja import default_templates_dir
from govkit.sources.yamlio import quoted_scalar

LAYOUT = {
    "govkit.yaml": "govkit.yaml",
    "mkdocs.yml": "mkdocs.yml",
    ".gitignore": "gitignore",
    "models/example/card.yaml": "card.yaml",
    "models/example/releases/1.0.0.yaml": "release.yaml",
}


def init_project(target: Path, project_name: str) -> list[str]:
    scaffold = default_templates_dir() / "scaffold"
    files: dict[str, bytes] = {}
    for dest, src in LAYOUT.items():
        text = (scaffold / src).read_text(encoding="utf-8")
        files[dest] = text.replace('"{project}"', quoted_scalar(project_name)).encode()
    for name, data in schema_files().items():
        files[f"schemas/{name}"] = data
    files["templates/README.md"] = (
        b"Put a template here with the name of a default one (e.g. card.md.j2) to override it.\n"
    )
    existing = [rel for rel in files if (target / rel).exists()]
    if existing:
        raise InputError.single(str(target / existing[0]), "already exists; govkit init never "
                                "overwrites files", hint="choose an empty folder")
    for rel, data in sorted(files.items()):
        atomic_write(target / rel, data)
    return sorted(files)
