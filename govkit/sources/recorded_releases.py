"""The release records govkit ingested earlier from one registered model, so that
`govkit ingest --all` reads again only the versions whose registry or run facts changed.

Only the part of each record that says what it was built from is parsed (registry facts,
run, its metrics, params and histories, experiment and model description), cut from the
text govkit writes (sorted keys, block style); anything else is parsed whole. A record
that cannot be read this way is left out: its version is then read again and any
difference reported as usual.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The keys under `training:` that `release_records.is_current` and `run_matches` compare.
_BUILT_FROM = ("source", "registered_model", "registered_model_description", "registry",
               "run", "experiment_name", "signature_error", "predictions", "artifacts", "params",
               "metric_history")


def recorded_mlflow_releases(releases: Path, model: str) -> dict[str, dict[str, Any]]:
    """{registry version: record, with at least the keys `is_current` reads} of the files
    in `releases` ingested from registered model `model`."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(releases.glob("*.yaml")) if releases.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
            record = _load(built_from(text) or text)
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        training = record.get("training") if isinstance(record, dict) else None
        if not isinstance(training, dict) or training.get("source") != "mlflow":
            continue
        registry = training.get("registry")
        if training.get("registered_model") != model or not isinstance(registry, dict):
            continue
        version = str(registry.get("version"))
        if path.stem == version:
            out[version] = record
    return out


def built_from(text: str) -> str | None:
    """`training:` with only the blocks of `_BUILT_FROM` from a record as govkit writes
    it, or None when the text is not laid out that way."""
    lines = text.splitlines(keepends=True)
    try:
        start = lines.index("training:\n") + 1
    except ValueError:
        return None
    metrics = _block(lines, "metrics:\n")
    kept = ["training:\n"]
    keep = False
    for line in lines[start:]:
        if not line.startswith("  "):  # the next top-level key
            if line.strip() and not line.startswith("#"):
                break
            continue
        if line[2] not in " -":  # a key of `training`
            key = line[2:].partition(":")[0]
            keep = key in _BUILT_FROM
        if keep:
            kept.append(line)
    return metrics + "".join(kept) if len(kept) > 1 else None


def _block(lines: list[str], key: str) -> str:
    """A top-level block (`key` and its indented lines), or nothing."""
    if key not in lines:
        return ""
    start = lines.index(key)
    end = start + 1
    while end < len(lines) and (lines[end].startswith("  ") or not lines[end].strip()):
        end += 1
    return "".join(lines[start:end])


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)  # a safe loader
