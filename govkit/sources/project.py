"""Load a govkit project from disk: config, model cards and release records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from govkit.errors import InputError, Problem
from govkit.formatting import display_path
from govkit.model import (
    ModelRecord,
    MonitoringRecord,
    Project,
    ReleaseRecord,
    Uncarded,
    Where,
    YamlDoc,
    model_folder,
)
from govkit.schemas.card import Card
from govkit.schemas.common import SLUG_RE, version_key
from govkit.schemas.config import Config, ModelEntry
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.release import Release
from govkit.sources import git
from govkit.sources.dictionaries import load_datasets
from govkit.sources.dictionary_versions import dataset_versions
from govkit.sources.experiments import load_experiments
from govkit.sources.files import max_bytes
from govkit.sources.links import PATH_HINT, boundary, contained, why_outside
from govkit.sources.operations import load_operations
from govkit.sources.profiles import load_profiles
from govkit.sources.systems import load_systems
from govkit.sources.training_guides import load_training_guide
from govkit.sources.validation import validate_doc
from govkit.sources.waivers import load_waivers
from govkit.sources.yamlio import load_yaml, read_doc

CONFIG_NAME = "govkit.yaml"
CONFIG_LIMIT_HINT = "govkit.yaml is always read with the default limit: make it smaller"
CARD_NAME = "card.yaml"
RELEASES_DIR = "releases"
MONITORING_DIR = "monitoring"


def find_config(start: Path) -> Path:
    path = start / CONFIG_NAME if start.is_dir() else start
    if not path.is_file():
        raise InputError.single(
            display_path(path),
            "no govkit.yaml here",
            hint="run `govkit init DIR` or pass --project DIR",
        )
    return path


def load_config(start: Path) -> tuple[Path, YamlDoc, Config]:
    """The project folder, govkit.yaml as read and its validated config (found from `start`),
    for commands that need the config but not the whole project."""
    config_path = find_config(start).resolve()
    doc = load_yaml(config_path, display_path(config_path), limit_hint=CONFIG_LIMIT_HINT)
    problems: list[Problem] = []
    config = validate_doc(Config, doc, problems)
    if config is None:
        raise InputError(problems)
    return config_path.parent, doc, config


def load_project(start: Path, today: dt.date | None = None) -> Project:
    """Read and validate every input; raise one InputError listing all problems.

    `today` (default: the clock, read once here) decides which waivers have expired and
    which postmortems are overdue."""
    today = today or dt.date.today()
    root, config_doc, config = load_config(start)
    problems: list[Problem] = []
    repo = git.toplevel(root)
    bound = boundary(root, repo, root / config.mkdocs_config)
    problems += contained(root, bound, config, config_doc)
    if problems:
        raise InputError(problems)  # nothing is read through a link that leaves the project
    limit = max_bytes(config.limits.max_file_mb)
    models: list[ModelRecord] = []
    uncarded: list[Uncarded] = []
    declared: set[Path] = set()
    for index, entry in enumerate(config.models):
        folder = model_folder(root, config, entry).resolve()
        declared.add(folder)
        line = config_doc.line_of(("models", index))
        if any(m.name == entry.name for m in models):
            problems.append(
                Problem(
                    config_doc.path,
                    line,
                    f"models[{index}].name",
                    f"model '{entry.name}' is declared twice",
                    "keep one",
                )
            )
            continue
        if not (folder / CARD_NAME).is_file() and _release_files(folder):
            uncarded.append(Uncarded(entry.name, tuple(
                (p.stem, p.relative_to(root).as_posix()) for p in _release_files(folder)),
                Where(Path(config_doc.path).name, line)))
            continue
        record = _load_model(entry.name, folder, root, problems, config_doc, line, limit)
        if record is not None:
            record.entry = entry
            _show_tracking_uri(record, configured_tracking_uri(config, entry))
            record.serving_alias = (entry.mlflow and entry.mlflow.serving_alias) \
                or config.mlflow.serving_alias
            record.monitoring = _load_monitoring(entry.name, folder, root, problems, limit)
            record.ops = load_operations(record, root, config, config_doc, index, today,
                                         problems)
            record.training_guide = load_training_guide(folder, root, problems, limit)
            models.append(record)
    _undeclared(root / config.models_dir, declared, problems, config_doc)
    names = {e.name for e in config.models}
    datasets = load_datasets(root, config, config_doc, names, problems)
    problems += [Problem(d.doc.path, d.doc.line_of(("reference_data",)), "reference_data",
                         f"{display_path(d.reference)} {why}", PATH_HINT)
                 for d in datasets if d.reference is not None
                 and (why := why_outside(bound, d.reference))]
    systems = load_systems(root, config, config_doc, models, problems)
    experiments = load_experiments(root, config, config_doc, names, problems)
    waivers = load_waivers(root, today, problems, limit)
    profiles = load_profiles(root, bound, config, config_doc, problems, limit)
    if problems:
        raise InputError(problems)
    for dataset in datasets:
        dataset.versions = dataset_versions(models, dataset)
    project = Project(root=root, config=config, config_doc=config_doc, models=models,
                      datasets=datasets, systems=systems, today=today,
                      experiments=experiments, waivers=waivers, uncarded=uncarded,
                      repo=repo, boundary=bound.top, profiles=profiles)
    project.changed = git.last_changes(root, repo, document_sources(project), today)
    return project


def document_sources(project: Project) -> list[str]:
    """The hand-written files whose last change dates their document."""
    out = [m.card_source for m in project.models]
    out += [m.training_guide.source for m in project.models if m.training_guide]
    out += [d.source for d in project.datasets] + [s.source for s in project.systems]
    out += [e.decision_source for e in project.experiments if e.decision_source]
    return out


def _release_files(folder: Path) -> list[Path]:
    releases = folder / RELEASES_DIR
    return sorted(releases.glob("*.y*ml")) if releases.is_dir() else []


def configured_tracking_uri(config: Config, entry: ModelEntry) -> str:
    """The model's MLflow tracking URI as govkit.yaml states it (model first, then project)."""
    return (entry.mlflow and entry.mlflow.tracking_uri) or config.mlflow.tracking_uri


def _show_tracking_uri(record: ModelRecord, uri: str) -> None:
    """Records ingested from MLflow name their store once, in govkit.yaml; pages show it."""
    for r in record.releases:
        training = r.release.training
        if training is not None and training.source == "mlflow" and not training.tracking_uri:
            from govkit.sources.uri_redaction import redact_uri  # ~1 ms, rarely needed
            training.tracking_uri = redact_uri(uri)


def _load_model(
    name: str,
    folder: Path,
    root: Path,
    problems: list[Problem],
    config_doc: YamlDoc,
    line: int | None,
    limit: int,
) -> ModelRecord | None:
    card_path = folder / CARD_NAME
    if not card_path.is_file():
        problems.append(
            Problem(
                config_doc.path,
                line,
                "models",
                f"model '{name}' has no {display_path(card_path)}",
                "create it (see `govkit init`)",
            )
        )
        return None
    card_doc = read_doc(card_path, problems, limit)
    card = validate_doc(Card, card_doc, problems) if card_doc else None
    records: list[ReleaseRecord] = []
    seen: dict[str, str] = {}
    releases_dir = folder / RELEASES_DIR
    files = sorted(releases_dir.glob("*.y*ml")) if releases_dir.is_dir() else []
    for path in files:
        doc = read_doc(path, problems, limit)
        release = validate_doc(Release, doc, problems) if doc else None
        if doc is None or release is None:
            continue
        if release.version in seen:
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of(("version",)),
                    "version",
                    f"duplicate version {release.version} (also in {seen[release.version]})",
                    "remove one of the files",
                )
            )
            continue
        if path.stem != release.version:
            problems.append(
                Problem(
                    doc.path,
                    doc.line_of(("version",)),
                    "version",
                    f"version {release.version} does not match the file name {path.name}",
                    f"rename the file to {release.version}.yaml",
                )
            )
            continue
        seen[release.version] = doc.path
        records.append(ReleaseRecord(release, doc, path.relative_to(root).as_posix()))
    if card is None or card_doc is None:
        return None
    records.sort(key=lambda r: (version_key(r.release.version), r.release.version))
    return ModelRecord(
        name, folder, card, card_doc, card_path.relative_to(root).as_posix(), records
    )


def _load_monitoring(
    name: str, folder: Path, root: Path, problems: list[Problem], limit: int
) -> list[MonitoringRecord]:
    records = []
    for path in sorted((folder / MONITORING_DIR).glob("*.json")):
        doc = read_doc(path, problems, limit)
        result = validate_doc(MonitoringResult, doc, problems) if doc else None
        if doc is None or result is None:
            continue
        if result.model != name:
            problems.append(Problem(doc.path, doc.line_of(("model",)), "model",
                                    f"result is for model '{result.model}', not '{name}'",
                                    f"move it to the folder of model '{result.model}'"))
        elif path.stem != result.window:
            problems.append(Problem(doc.path, doc.line_of(("window",)), "window",
                                    f"window {result.window} does not match the file name "
                                    f"{path.name}", f"rename the file to {result.window}.json"))
        else:
            records.append(MonitoringRecord(result, doc, path.relative_to(root).as_posix()))
    return records


def _undeclared(
    models_dir: Path, declared: set[Path], problems: list[Problem], config_doc: YamlDoc
) -> None:
    """A folder holding a card or releases that govkit.yaml does not list is a mistake."""
    if not models_dir.is_dir():
        return
    for child in sorted(models_dir.iterdir()):
        if child.resolve() in declared or not child.is_dir():
            continue
        if (child / CARD_NAME).is_file() or (child / RELEASES_DIR).is_dir():
            hint = f"add '- name: {child.name}' under models: in govkit.yaml"
            if not SLUG_RE.match(child.name):
                hint = "rename the folder to lowercase letters, digits, '-' or '_' and declare it"
            problems.append(
                Problem(
                    display_path(child),
                    None,
                    "",
                    f"release for undeclared model '{child.name}'",
                    hint,
                )
            )
