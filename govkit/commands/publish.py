"""`govkit publish mlflow`: each release's card summary into the MLflow registry. The plan
(what differs from what the registry holds) is computed once, then shown or applied."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govkit.checks.project import check_project
from govkit.commands.export import model_or_error
from govkit.commands.ingest import resolve_target
from govkit.commands.loading import load_profiled_project
from govkit.errors import InputError
from govkit.exports.facts import releases_of, version_facts
from govkit.exports.mlflow_summary import (
    CARD_ARTIFACT,
    HandWritten,
    Wanted,
    merged_description,
    wanted,
)
from govkit.model import ReleaseRecord
from govkit.schemas.published import CLOCK_TAGS, clock_tags
from govkit.sources.mkdocs_config import UNTRUSTED_ENV, untrusted_env
from govkit.sources.mkdocs_site import html_pages
from govkit.sources.mlflow_errors import store_error
from govkit.sources.mlflow_session import mlflow_session
from govkit.sources.mlflow_store import checked_uri


@dataclass
class Change:
    """What differs for one registry version (empty: nothing to write)."""

    want: Wanted
    description: str | None = None  # the new description, when it differs
    old_description: str | None = None
    set_tags: dict[str, str] = field(default_factory=dict)
    remove_tags: list[str] = field(default_factory=list)
    card: bool = False  # the card artifact differs or is missing
    run_id: str | None = None
    clock: int | None = None  # the registry's clock before the write
    tags: dict[str, str] = field(default_factory=dict)  # govkit's tags before the write

    @property
    def empty(self) -> bool:
        return self.description is None and not self.set_tags and not self.remove_tags \
            and not self.card

    def diff(self) -> list[str]:
        head = f"{self.want.registered_model} version {self.want.version} " \
               f"(release {self.want.release})"
        if self.empty:
            return [f"{head}: unchanged"]
        out = [f"{head}:"]
        if self.description is not None:
            out += difflib.unified_diff((self.old_description or "").splitlines(),
                                        self.description.splitlines(), "description (registry)",
                                        "description (govkit)", lineterm="")
        out += [f"  tag {k} = {v}" for k, v in sorted(self.set_tags.items())]
        out += [f"  tag {k} removed" for k in sorted(self.remove_tags)]
        if self.card:
            out.append(f"  artifact {CARD_ARTIFACT} on run {self.run_id}: written")
        return out


@dataclass
class PublishRun:
    changes: list[Change]
    skipped: list[str]  # releases with no registry version, and why
    dry_run: bool


def run_publish(start: Path, model: str, *, version: str | None = None,
                all_versions: bool = False, dry_run: bool = False) -> PublishRun:
    if untrusted_env():
        raise InputError.single(UNTRUSTED_ENV, "publish writes to the MLflow registry and never "
                                "runs in an untrusted build",
                                hint="run it in a trusted job (e.g. after merge to main)")
    project = load_profiled_project(start)
    record = model_or_error(project, model)
    target = resolve_target(start, model)
    checked_uri(target.open_uri, target.configured_uri)  # exists, is a store; never created
    records = list(record.releases) if all_versions else releases_of(record, version)
    if not records:
        versions = ", ".join(r.release.version for r in record.releases) or "none"
        raise InputError.single(record.card_source, f"model {model} has no release "
                                f"{version or '(none released)'}",
                                hint=f"released versions: {versions}")
    results = check_project(project, "all")
    pages = html_pages(project.path(project.config.mkdocs_config))
    skipped, wants = [], []
    for release in records:
        number = _registry_version(release)
        if number is None:
            skipped.append(f"{release.release.version}: no MLflow registry version in "
                           f"{release.source} (ingest it with `govkit ingest {model}`)")
            continue
        facts = version_facts(project, record, release, results, pages)
        wants.append(wanted(facts, target.registered_model, number))
    if version is not None and not wants:
        raise InputError.single(records[0].source, skipped[0].partition(": ")[2],
                                field="training.registry.version")
    from govkit.sinks.mlflow_registry import client_for

    try:
        with mlflow_session(target.open_uri):  # bounded HTTP calls, no progress bars
            client = client_for(target.open_uri)
            changes = [_plan(client, w) for w in wants]
            if not dry_run:
                for change in changes:
                    _apply(client, change)
    except InputError:
        raise
    except Exception as exc:
        if type(exc).__name__ != "MlflowException":
            raise
        raise store_error(target.configured_uri, exc) from None
    return PublishRun(changes, skipped, dry_run)


def _registry_version(record: ReleaseRecord) -> str | None:
    training = record.release.training
    registry = training.registry if training else None
    if registry is None or registry.deleted or not registry.version:
        return None
    return registry.version


def _plan(client: Any, want: Wanted) -> Change:
    from govkit.sinks.mlflow_registry import read_current

    current = read_current(client, want.registered_model, want.version, CARD_ARTIFACT)
    try:
        description = merged_description(current.description, want.block)
    except HandWritten as exc:
        raise InputError.single(
            f"mlflow: {want.registered_model} version {want.version}",
            f"the description's govkit block is broken ({exc})", field="description",
            hint="leave exactly one govkit:begin and one govkit:end marker, or delete both "
            "and govkit appends its block") from None
    change = Change(want, run_id=current.run_id, clock=current.updated_ms, tags=current.tags)
    if description != (current.description or ""):
        change.description, change.old_description = description, current.description
    change.set_tags = {k: v for k, v in want.tags.items() if current.tags.get(k) != v}
    change.remove_tags = sorted(k for k in current.tags
                                if k not in want.tags and k not in CLOCK_TAGS)
    change.card = current.run_id is not None and current.card != want.card
    return change


def _apply(client: Any, change: Change) -> None:
    from govkit.sinks.mlflow_registry import set_tags, write_card, write_version

    want = change.want
    after = write_version(client, want.registered_model, want.version,
                          description=change.description, set_tags=change.set_tags,
                          remove_tags=change.remove_tags)
    if after is not None and change.clock is not None:  # the clock moved: say it was govkit
        set_tags(client, want.registered_model, want.version,
                 clock_tags(change.clock, after, change.tags))
    if change.card and change.run_id:
        write_card(client, change.run_id, CARD_ARTIFACT, want.card)
