"""The MLflow registry as a place govkit writes to: a version's description and `govkit.*`
tags, and the card artifact on its run. Reads back only those, to plan the difference."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govkit.output.files import temporary_folder, write_text

TAG_PREFIX = "govkit."


@dataclass(frozen=True)
class Current:
    description: str | None
    tags: dict[str, str]  # the version's govkit.* tags
    card: str | None  # the card artifact's text on the run (None: none)
    run_id: str | None  # the version's run, as the registry says
    updated_ms: int | None = None  # the registry's last_updated_timestamp of the version


def client_for(uri: str) -> Any:
    from mlflow import MlflowClient

    return MlflowClient(uri, uri)


def read_current(client: Any, name: str, version: str, artifact: str) -> Current:
    found = client.get_model_version(name, version)
    tags = {k: v for k, v in (found.tags or {}).items() if k.startswith(TAG_PREFIX)}
    run_id = found.run_id or None
    return Current(found.description or None, tags,
                   _read_card(client, run_id, artifact) if run_id else None, run_id,
                   found.last_updated_timestamp)


def _read_card(client: Any, run_id: str, artifact: str) -> str | None:
    folder, _, _ = artifact.rpartition("/")
    if artifact not in {a.path for a in client.list_artifacts(run_id, folder or None)}:
        return None
    with temporary_folder("govkit-publish-") as scratch:
        path = client.download_artifacts(run_id, artifact, str(scratch))
        return Path(path).read_text(encoding="utf-8")


def write_version(client: Any, name: str, version: str, *, description: str | None,
                  set_tags: dict[str, str], remove_tags: list[str]) -> int | None:
    """Writes; returns the registry's clock after a description write (None: not written)."""
    after = None
    if description is not None:
        client.update_model_version(name, version, description=description)
        after = client.get_model_version(name, version).last_updated_timestamp
    for key, value in sorted(set_tags.items()):
        client.set_model_version_tag(name, version, key, value)
    for key in sorted(remove_tags):
        client.delete_model_version_tag(name, version, key)
    return after


def set_tags(client: Any, name: str, version: str, tags: dict[str, str]) -> None:
    for key, value in sorted(tags.items()):
        client.set_model_version_tag(name, version, key, value)


def write_card(client: Any, run_id: str, artifact: str, text: str) -> None:
    folder, _, file_name = artifact.rpartition("/")
    with temporary_folder("govkit-publish-") as scratch:
        path = scratch / file_name
        write_text(path, text)
        client.log_artifact(run_id, str(path), folder or None)
