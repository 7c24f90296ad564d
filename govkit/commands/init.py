"""`govkit init DIR`: a working project to start from. Never overwrites a file.

With `--from-mlflow URI`, the project describes the store's registered models instead of
the example: one card per model with the metrics its runs logged (`init_mlflow.py`).
"""

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


def init_project(target: Path, project_name: str, *, from_mlflow: str | None = None,
                 models: tuple[str, ...] = (), cwd: Path | None = None) -> list[str]:
    """Write the project's files into `target` and return their paths relative to it.
    `from_mlflow`: a tracking URI, relative paths relative to `cwd` (default: the current
    folder); the store is only read. `models`: its registered models to describe (default:
    all)."""
    scaffold = default_templates_dir() / "scaffold"
    texts = {dest: (scaffold / src).read_text(encoding="utf-8") for dest, src in LAYOUT.items()}
    if from_mlflow is not None:
        texts = _from_mlflow(texts, target, from_mlflow, models, cwd or Path.cwd())
    elif models:
        raise InputError.single("--model", "names a registered model of --from-mlflow",
                                hint="add --from-mlflow URI, or leave --model out")
    files = {dest: text.replace('"{project}"', quoted_scalar(project_name)).encode()
             for dest, text in texts.items()}
    for name, data in schema_files().items():
        files[f"schemas/{name}"] = data
    files["templates/README.md"] = (
        b"Put a template here with the name of a default one (e.g. card.md.j2) to override it.\n"
    )
    existing = sorted(rel for rel in files if (target / rel).exists())
    if existing:
        raise InputError.single(str(target / existing[0]), "already exists; govkit init never "
                                "overwrites files", hint="choose an empty folder")
    for rel, data in sorted(files.items()):
        atomic_write(target / rel, data)
    return sorted(files)


def _from_mlflow(texts: dict[str, str], target: Path, uri: str, wanted: tuple[str, ...],
                 cwd: Path) -> dict[str, str]:
    from govkit.commands.init_mlflow import card_text, config_text, model_slugs, store_uri
    from govkit.sources.mlflow_scaffold import read_registered
    from govkit.sources.mlflow_store import resolve_uri
    from govkit.sources.uri_redaction import redact_uri

    open_uri = resolve_uri(uri, cwd)
    models, known = read_registered(open_uri, uri, wanted)
    missing = sorted(set(wanted) - {m.name for m in models})
    if missing:
        raise InputError.single("--model", f"no registered model {', '.join(map(repr, missing))} "
                                f"in {redact_uri(uri)}",
                                hint=f"registered models: {', '.join(known) or 'none'}")
    if not models:
        raise InputError.single(redact_uri(uri), "the store has no registered model",
                                hint="register one, e.g. mlflow.register_model(model_uri, "
                                "'churn'), or run `govkit init` without --from-mlflow")
    slugs = model_slugs(models)
    out = {k: v for k, v in texts.items() if not k.startswith("models/")}
    out["govkit.yaml"] = config_text(texts["govkit.yaml"], store_uri(open_uri, uri, target),
                                     models, slugs)
    for m in models:
        out[f"models/{slugs[m.name]}/card.yaml"] = card_text(texts["models/example/card.yaml"], m)
    return out
