"""The release records already in a model's `releases/` folder, as ingest reads them before
it plans: their text, the date a training-log record carries, and the registry state
(aliases, alias history, deleted mark) merged from them into what MLflow says now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from govkit.errors import InputError
from govkit.formatting import display_path
from govkit.sources.files import DEFAULT_MAX_MB, max_bytes, read_input_text

if TYPE_CHECKING:
    from govkit.schemas.release import Release
    from govkit.sources.mlflow_entities import ModelRead


def read_releases(releases: Path, planned: Iterable[Path], *, every: bool,
                  limit: int = max_bytes(DEFAULT_MAX_MB)) -> dict[Path, str]:
    """{path: text} of the planned records that exist and, with `every`, of every other
    `*.yaml` in `releases`."""
    paths = [path for path in planned if path.is_file()]
    if every and releases.is_dir():
        seen = set(paths)
        paths += [path for path in sorted(releases.glob("*.yaml")) if path not in seen]
    return {path: read_input_text(path, display_path(path), limit) for path in paths}


def existing_date(path: Path) -> dt.date | None:
    """A log carries no date of its own; the one already recorded, so re-runs match."""
    from govkit.sources.yamlio import load_yaml

    if not path.exists():
        return None
    try:
        data = load_yaml(path).data
    except InputError:
        return None  # unreadable: the diff against the new record will show it
    value = data.get("date") if isinstance(data, dict) else None
    return value if isinstance(value, dt.date) else None


def carry_alias_history(record: Release, old: str | None, now: str) -> Release:
    """A freshly read record with the alias history of the record on disk (`old`)."""
    from govkit.sources.registry_state import registry_state
    from govkit.sources.release_records import mlflow_origin, registry_with_state

    origin = mlflow_origin(old) if old is not None else None
    training = record.training
    if training is None or training.registry is None:  # not read from a registry
        return record
    registry = training.registry
    state = registry_state(origin[2] if origin else None, tuple(registry.aliases), False, now)
    training.registry = registry_with_state(registry, state)
    return record


@dataclass(frozen=True)
class Refreshed:
    """An existing record with the registry's current state: its new text (None: left as
    it is), whether this marks it deleted, and what to warn about."""

    text: str | None
    marked_deleted: bool = False
    warning: str | None = None


def with_registry_now(path: Path, old: str, model: ModelRead, now: str) -> Refreshed:
    """`old` with the registry's current aliases (and their history) and, when every version
    was listed, marked if deleted from the registry; no text if it is not a record of `model`
    or is already current. A record edited by hand is left alone with a warning."""
    from govkit.formatting import display_path
    from govkit.sources.registry_state import current_state, registry_state
    from govkit.sources.release_records import mlflow_origin, with_registry_state

    origin = mlflow_origin(old)
    if origin is None or origin[0] != model.name:
        return Refreshed(None)
    version, registry = origin[1], origin[2]
    was_deleted = bool(registry.get("deleted"))
    deleted = was_deleted if model.registered is None else version not in model.registered
    aliases = () if deleted else model.aliases.get(version, ())
    state = registry_state(registry, aliases, deleted, now)
    if state == current_state(registry):
        return Refreshed(None)
    shown = display_path(path)
    new = with_registry_state(old, state, f"{shown}: training.registry")
    if deleted and not was_deleted:
        return Refreshed(new, new is not None, (
            f"{shown}: version {version} of registered model {model.name!r} was deleted from "
            "the registry; the record and its page are kept"
            + (", marked deleted" if new is not None else
               " but not marked (the file is not as govkit wrote it)")))
    if new is None:
        return Refreshed(None, False, (
            f"{shown}: aliases changed in the registry (now: "
            f"{', '.join(aliases) or 'none'}) but the file is not as govkit wrote it; not "
            "updated (re-ingest this version with --update)"))
    return Refreshed(new)
