"""Versions of a dataset and what changed between them, derived from loaded records.

A version is a distinct digest (or, without one, a hand-written version label). Versions come
from the MLflow dataset inputs of every release (`training.datasets` whose name is one of
the dictionary's `mlflow_datasets`, mlflow-run) and from the dictionary's own `versions`
(hand-written). Consecutive versions are compared column by column when both list their
columns, and by digest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from govkit.model import DatasetRecord, DatasetVersionRecord, ModelRecord
from govkit.schemas.dictionary import mlflow_type
from govkit.schemas.release import DatasetInput


@dataclass
class _Version:
    """One version of a dataset's dictionary: its date, digest, columns and users."""

    label: str
    date: dt.date
    digest: str | None
    columns: dict[str, str] | None
    sources: set[str] = field(default_factory=set)
    used_by: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"digest:{self.digest}" if self.digest else f"label:{self.label}"


def dataset_versions(
    models: list[ModelRecord], record: DatasetRecord
) -> list[DatasetVersionRecord]:
    """Every version, oldest first, each with the changes from the one before it."""
    merged: dict[str, _Version] = {}
    for v in _hand_written(record) + _from_mlflow(models, record):
        known = merged.get(v.key)
        if known is None:
            merged[v.key] = v
            continue
        known.sources |= v.sources
        known.used_by += v.used_by
        known.notes += v.notes
        known.columns = known.columns or v.columns
        if "hand-written" in v.sources:  # the team's own label and date win
            known.label, known.date = v.label, v.date
        else:
            known.date = min(known.date, v.date)
    out = []
    previous: _Version | None = None
    for v in sorted(merged.values(), key=lambda v: (v.date, v.label)):
        changes, schema_changed = _changes(previous, v)
        out.append(DatasetVersionRecord(
            v.label, v.date, v.digest, v.columns, tuple(sorted(v.sources)),
            tuple(sorted(set(v.used_by))), tuple(v.notes), tuple(changes), schema_changed))
        previous = v
    return out


def _hand_written(record: DatasetRecord) -> list[_Version]:
    return [_Version(v.version, v.date, v.digest, dict(v.columns) if v.columns else None,
                     {"hand-written"}, [], list(v.changes))
            for v in record.dictionary.versions]


def _from_mlflow(models: list[ModelRecord], record: DatasetRecord) -> list[_Version]:
    names = set(record.mlflow_names)
    out = []
    for model in models:
        for rel in model.releases:
            training = rel.release.training
            for ds in training.datasets if training else []:
                if ds.name not in names:
                    continue
                label = ds.digest or f"{model.name} {rel.release.version}"
                use = f"{model.name} {rel.release.version}" + (
                    f" ({ds.context})" if ds.context else "")
                out.append(_Version(label, rel.release.date, ds.digest, _columns(ds),
                                    {"mlflow-run"}, [use]))
    return out


def _columns(ds: DatasetInput) -> dict[str, str] | None:
    """Columns of MLflow's dataset schema ({"mlflow_colspec": [{name, type}, ...]})."""
    schema = ds.schema_
    specs = schema.get("mlflow_colspec") if isinstance(schema, dict) else None
    if not isinstance(specs, list):
        return None
    return {str(s["name"]): mlflow_type(s.get("type")) for s in specs
            if isinstance(s, dict) and s.get("name") is not None}


def _changes(before: _Version | None, after: _Version) -> tuple[list[str], bool]:
    """What changed from `before` to `after`, and whether the columns (schema) changed."""
    if before is None:
        return ["first known version"], after.columns is not None
    out = []
    if before.columns is not None and after.columns is not None:
        old, new = before.columns, after.columns
        out += [f"added {n} ({new[n]})" for n in new if n not in old]
        out += [f"removed {n} ({old[n]})" for n in old if n not in new]
        out += [f"{n}: type {old[n]} → {new[n]}" for n in new
                if n in old and old[n] != new[n]]
        schema_changed = bool(out)
        if not out and before.digest != after.digest:
            out.append("same columns and types; the data changed (new digest)")
    else:
        schema_changed = before.columns is None and after.columns is not None
        if before.digest != after.digest and before.digest and after.digest:
            out.append("the data changed (new digest); columns not known for both versions")
    if not out:
        out.append("no change govkit can see (columns or digests not recorded)")
    return out, schema_changed
