"""`govkit ingest`: read MLflow registry versions or a training log, write release records.

Reads, then plans, then writes: sources/ reads the selected versions and the records already
on disk (and merges the registry's state into them); only when all of it succeeded are
release files compared and written (atomically, by the core writer), so an error never
leaves a file half-updated. An existing file that differs is reported with a short diff
and kept unless `update=True`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govkit.errors import InputError
from govkit.output.writer import write_if_changed
from govkit.schemas.predictions import PredictionsSource
from govkit.sources.files import DEFAULT_MAX_MB, max_bytes
from govkit.sources.mlflow_store import resolve_uri
from govkit.sources.release_files import (
    Refreshed,
    carry_alias_history,
    existing_date,
    read_releases,
    with_registry_now,
)
from govkit.sources.release_records import release_from_log, release_from_mlflow, release_text

if TYPE_CHECKING:
    from govkit.sources.mlflow_entities import VersionInfo

_DIFF_LINES = 20


@dataclass
class IngestResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    # Changed on the source side but kept because --update was not given: (path, diff).
    conflicts: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Written only to bring their aliases up to date (a subset of `written`).
    aliases_updated: list[Path] = field(default_factory=list)
    # Marked as deleted from the registry by this run (a subset of `aliases_updated`).
    marked_deleted: list[Path] = field(default_factory=list)
    # With every version selected: how the registry compares with the existing records.
    registry: RegistryChanges | None = None


@dataclass(frozen=True)
class RegistryChanges:
    """Registry versions by how they compare with their records (version numbers)."""

    unchanged: tuple[str, ...]  # records current: run, histories, artifacts not read again
    updated: tuple[str, ...]
    new: tuple[str, ...]
    deleted: tuple[str, ...]  # recorded, no longer in the registry


@dataclass(frozen=True)
class Target:
    """Where one govkit model's releases go and where its MLflow versions come from."""

    model_dir: Path
    registered_model: str
    configured_uri: str  # as configured: shown in messages, recorded in the release files
    open_uri: str  # what is opened: relative paths resolved against the project
    root: Path  # the folder of govkit.yaml
    predictions: PredictionsSource | None = None  # where runs log row-level predictions
    max_file_bytes: int = max_bytes(DEFAULT_MAX_MB)  # limits.max_file_mb: logs, releases


def resolve_target(start: Path, model: str, tracking_uri: str | None = None) -> Target:
    """Look `model` up in govkit.yaml: its folder, registered model name and tracking URI."""
    from govkit.model import model_folder
    from govkit.sources.project import configured_tracking_uri, load_config
    from govkit.sources.release_predictions import predictions_source

    root, doc, config = load_config(start)
    entry = next((m for m in config.models if m.name == model), None)
    if entry is None:
        known = ", ".join(m.name for m in config.models) or "none"
        raise InputError.single(
            doc.path, f"no model {model!r} in govkit.yaml (models: {known})", field="models"
        )
    source = entry.mlflow
    configured_uri = tracking_uri or configured_tracking_uri(config, entry)
    return Target(
        model_dir=model_folder(root, config, entry),
        registered_model=(source and source.registered_model) or entry.name,
        configured_uri=configured_uri,
        open_uri=resolve_uri(configured_uri, root),
        root=root,
        predictions=predictions_source(config, entry),
        max_file_bytes=max_bytes(config.limits.max_file_mb),
    )


def run_ingest(
    start: Path,
    model: str,
    *,
    tracking_uri: str | None = None,
    version: str | None = None,
    alias: str | None = None,
    log_file: Path | None = None,
    update: bool = False,
    full: bool = False,
) -> IngestResult:
    """`govkit ingest`: MLflow versions (all unless version/alias) or one training log."""
    target = resolve_target(start, model, tracking_uri)
    if log_file is not None:
        if version is None:
            raise InputError.single(str(log_file), "a training log needs --version V")
        return ingest_log(target.model_dir, log_file, version, update=update, root=target.root,
                          max_file_bytes=target.max_file_bytes)
    return ingest_mlflow(
        target.model_dir,
        target.registered_model,
        target.configured_uri,
        open_uri=target.open_uri,
        version=version,
        alias=alias,
        update=update,
        full=full,
        predictions=target.predictions,
        max_file_bytes=target.max_file_bytes,
    )


def ingest_mlflow(
    model_dir: Path,
    registered_model: str,
    configured_uri: str,
    *,
    open_uri: str | None = None,
    version: str | None = None,
    alias: str | None = None,
    update: bool = False,
    observed_at: str | None = None,
    full: bool = False,
    predictions: PredictionsSource | None = None,
    max_file_bytes: int = max_bytes(DEFAULT_MAX_MB),
) -> IngestResult:
    """Read the selected registry versions (all if no version/alias) and write their releases.

    `configured_uri` names the store in messages as configured; `open_uri` (default: the
    same) is what is opened, e.g. a relative sqlite path resolved against the project folder.
    Every existing record of the registered model gets the registry's current aliases, so
    an alias that moved is never on two versions; `observed_at` (ISO time, default now) is
    when this ingest saw them (see `carry_alias_history`). With every version selected, only the
    versions whose records are not current are read again, unless `full`.
    """
    from govkit.sources.mlflow_source import read_model
    from govkit.sources.recorded_releases import recorded_mlflow_releases

    everything = version is None and alias is None
    releases = model_dir / "releases"
    recorded = recorded_mlflow_releases(releases, registered_model) if everything else {}
    model = read_model(
        open_uri or configured_uri,
        registered_model,
        version=version,
        alias=alias,
        progress=_progress,
        configured_uri=configured_uri,
        recorded=recorded,
        full=full,
        predictions=predictions,
    )
    existing = read_releases(
        releases, [releases / f"{read.version.version}.yaml" for read in model.versions],
        every=True, limit=max_file_bytes)
    result = IngestResult()
    now = observed_at or _now()
    if everything:
        result.registry = _registry_changes(model.listed, model.current, recorded)
        read_now = {read.version.version for read in model.versions}
        result.unchanged.extend(
            releases / f"{n}.yaml" for n in model.current if n not in read_now
        )
    planned = []
    for read in model.versions:
        number = read.version.version
        where = f"mlflow: registered model {registered_model!r} version {number}"
        record, warnings = release_from_mlflow(read, model, where)
        result.warnings.extend(warnings)
        record = carry_alias_history(record, existing.get(releases / f"{number}.yaml"), now)
        planned.append((number, release_text(record, _header(registered_model, number))))

    current = {releases / f"{n}.yaml" for n in model.current}

    def realias(path: Path, old: str) -> str | None:  # pure: what the plan compares with
        return None if path in current else with_registry_now(path, old, model, now).text

    def refresh(path: Path, old: str) -> str | None:
        if path in current:  # its aliases are the registry's: nothing to parse
            return None
        return _note(with_registry_now(path, old, model, now), path, result)

    _write_all(model_dir, planned, existing, update, result, refresh, realias)
    return result


def _note(refreshed: Refreshed, path: Path, result: IngestResult) -> str | None:
    if refreshed.marked_deleted:
        result.marked_deleted.append(path)
    if refreshed.warning is not None:
        result.warnings.append(refreshed.warning)
    return refreshed.text


def _registry_changes(
    listed: Iterable[VersionInfo], current: tuple[str, ...], recorded: dict[str, Any]
) -> RegistryChanges:
    from govkit.sources.mlflow_entities import version_number

    numbers = [v.version for v in listed]
    return RegistryChanges(
        unchanged=current,
        updated=tuple(n for n in numbers if n in recorded and n not in current),
        new=tuple(n for n in numbers if n not in recorded),
        deleted=tuple(sorted(set(recorded) - set(numbers), key=version_number)),
    )


def _header(registered_model: str, version: str) -> str:
    return (
        f"Generated by `govkit ingest` from MLflow registered model {registered_model!r} "
        f"version {version}.\nDo not edit: hand-written facts belong in card.yaml, which "
        "always wins."
    )


# --- registry state: aliases observed over time, versions deleted from the registry ---


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def ingest_log(
    model_dir: Path,
    log_path: Path,
    version: str,
    *,
    date: dt.date | None = None,
    update: bool = False,
    root: Path | None = None,
    max_file_bytes: int = max_bytes(DEFAULT_MAX_MB),
) -> IngestResult:
    """Read a Keras/Lightning CSV or JSON-lines log and write it as release `version`.

    The log's path is recorded relative to `root` (the project) when it lies inside it.
    """
    from govkit.sources.training_logs import read_training_log

    log = read_training_log(log_path, limit=max_file_bytes)
    path = model_dir / "releases" / f"{version}.yaml"
    when = date or existing_date(path) or dt.date.today()
    record = release_from_log(log, version, when, _portable(log_path, root), str(log_path))
    header = f"Generated by `govkit ingest` from training log {log_path.name}.\nDo not edit."
    result = IngestResult()
    text = release_text(record, header)
    existing = read_releases(model_dir / "releases", [path], every=False, limit=max_file_bytes)
    _write_all(model_dir, [(version, text)], existing, update, result)
    return result


@dataclass(frozen=True)
class PlannedWrite:
    """One release file as this run would leave it: its new text, the diff against the
    file on disk (empty when new or only its registry state changes) and whether writing
    it needs --update (it changes what was read from the source)."""

    path: Path
    text: str
    diff: str
    needs_update: bool
    aliases_only: bool


def plan_writes(
    releases: Path,
    planned: list[tuple[str, str]],
    existing: dict[Path, str],
    result: IngestResult,
    refresh: Callable[[Path, str], str | None] | None = None,
    realias: Callable[[Path, str], str | None] | None = None,
) -> list[PlannedWrite]:
    """Every file this run changes, decided once: what is shown is what --update writes.

    A planned record equal to the file on disk is unchanged; one that differs only in its
    registry state (what `refresh` gives the old file) is written as an alias update; any
    other difference is shown as a diff and written only with --update, whole (never its
    aliases alone, which would make the record look current and lose the change).
    `refresh` brings every other record's registry state up to date (noting deletions and
    warnings); `realias` is the same without notes, for the records read now."""
    plan: list[PlannedWrite] = []
    planned_paths = {releases / f"{version}.yaml": text for version, text in planned}
    for path, text in planned_paths.items():
        old = existing.get(path)
        if old == text:
            result.unchanged.append(path)
        elif old is None:
            plan.append(PlannedWrite(path, text, "", False, False))
        elif realias is not None and realias(path, old) == text:
            plan.append(PlannedWrite(path, text, "", False, True))
        else:
            plan.append(PlannedWrite(path, text, short_diff(old, text, str(path)), True, False))
    for path in (p for p in sorted(existing) if refresh and p not in planned_paths):
        fresh = refresh(path, existing[path]) if refresh else None
        if fresh is not None:
            plan.append(PlannedWrite(path, fresh, "", False, True))
    return plan


def _write_all(
    model_dir: Path,
    planned: list[tuple[str, str]],
    existing: dict[Path, str],
    update: bool,
    result: IngestResult,
    refresh: Callable[[Path, str], str | None] | None = None,
    realias: Callable[[Path, str], str | None] | None = None,
) -> None:
    """Apply the plan of `plan_writes`: with `update` all of it, else all but the changes
    it shows as conflicts. Everything is decided before the first write."""
    plan = plan_writes(model_dir / "releases", planned, existing, result, refresh, realias)
    for item in plan:
        if item.needs_update and not update:
            result.conflicts.append((item.path, item.diff))
            continue
        write_if_changed(item.path, item.text.encode("utf-8"))
        result.written.append(item.path)
        if item.aliases_only:
            result.aliases_updated.append(item.path)


def short_diff(old: str, new: str, name: str) -> str:
    """A unified diff of at most 20 lines (more are summarised)."""
    lines = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            f"{name} (on disk)",
            f"{name} (from source)",
            n=1,
            lineterm="",
        )
    )
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... {len(lines) - _DIFF_LINES} more diff lines"]
    return "\n".join(lines)


def _progress(items: list[VersionInfo]) -> Iterable[VersionInfo]:
    """A tqdm bar on stderr for many versions, only when stderr is a terminal."""
    if len(items) < 2 or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc="ingest", unit="version", file=sys.stderr)


def _portable(path: Path, root: Path | None) -> str:
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return path.name if path.is_absolute() else path.as_posix()
