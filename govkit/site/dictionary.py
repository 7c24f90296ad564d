"""Data dictionary pages as page contexts (plain data). Pure.

Every value says where it came from: `hand-written` (the dictionary YAML), `reference sample`
(the profile of its `reference_data`), `mlflow-registry` (a model's signature), `monitoring`
(the latest drift findings of the models that use the feature).
"""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult, DocumentedRange, worst
from govkit.formatting import fmt
from govkit.model import (
    DatasetRecord,
    DatasetVersionRecord,
    ModelRecord,
    Project,
    feature_users,
)
from govkit.schemas.dictionary import ColumnProfile, Feature, mlflow_type
from govkit.schemas.severity import worst_severity
from govkit.site.card_parts import DictionaryLink
from govkit.site.cards import header
from govkit.site.dictionary_rows import (
    Column,
    ColumnProfileRow,
    DatasetVersion,
    DriftRow,
    FeatureRow,
    ModelLink,
    Reference,
    SignatureType,
)
from govkit.site.plain import CheckData, check_data, plain

PAGE_DIR = "datasets"


def page_path(name: str) -> str:
    return f"{PAGE_DIR}/{name}.md"


class DictionaryContext(TypedDict):
    """Everything dictionary.md.j2 reads, complete when built."""

    header: str
    name: str
    dictionary: Any
    source: str
    models: list[ModelLink]
    reference: Reference | None
    warnings: list[CheckData]
    passed: int
    document_checks: list[CheckData]
    not_checked: list[str]
    features: list[FeatureRow]
    undocumented_columns: list[Column]
    versions: list[DatasetVersion]


def dictionary_context(
    project: Project, record: DatasetRecord, results: list[CheckResult]
) -> DictionaryContext:
    d = record.dictionary
    ordered = sorted(results, key=lambda r: (STATUS_ORDER[r.status], r.id))
    by_feature: dict[str, list[CheckResult]] = {}
    for r in ordered:
        by_feature.setdefault(r.metric, []).append(r)
    profile = record.profile
    documented = {f.name for f in d.features}
    return {
        "header": header(_sources(project, record), f"Data dictionary: {record.name}"),
        "name": record.name,
        "dictionary": plain(d),
        "source": record.source,
        "models": [_model_link(project, m) for m in d.models],
        "reference": None if profile is None else {
            "source": profile.source, "digest": profile.digest[:12], "rows": profile.rows},
        "warnings": [check_data(r) for r in ordered if r.status in ("warn", "fail")],
        "passed": sum(r.status == "pass" for r in results),
        "document_checks": [check_data(r) for r in ordered if not r.metric],
        "not_checked": _not_checked(project, record),
        "features": [_feature(project, record, f, by_feature.get(f.name, []))
                     for f in d.features],
        "undocumented_columns": [] if profile is None else [
            {"name": c.name, "type": c.type} for c in profile.columns.values()
            if c.name not in documented],
        "versions": [_version(v) for v in reversed(record.versions)],
    }


def _version(v: DatasetVersionRecord) -> DatasetVersion:
    return {"label": v.label, "date": v.date.isoformat(), "digest": v.digest,
            "columns": len(v.columns) if v.columns is not None else None,
            "sources": list(v.sources), "used_by": list(v.used_by), "notes": list(v.notes),
            "changes": list(v.changes)}


def _sources(project: Project, record: DatasetRecord) -> list[str]:
    out = [record.source]
    if record.profile is not None:
        out.append(record.profile.source)
    for name in record.dictionary.models:
        model = project.model(name)
        if model is not None:
            out.append(model.card_source)
        if model is not None and model.latest is not None:
            out.append(model.latest.source)
        if model is not None and model.latest_window is not None:
            out.append(model.latest_window.source)
    return out


def _model_link(project: Project, name: str) -> ModelLink:
    model = project.model(name)
    return {"name": name, "title": model.card.title if model else name,
            "link": f"../models/{name}/index.md"}


def _not_checked(project: Project, record: DatasetRecord) -> list[str]:
    notes = []
    if record.reference is None:
        notes.append("No reference sample (`reference_data`): types, ranges and categories "
                     "are not checked against data.")
    elif record.profile is None:
        notes.append("The reference sample was not profiled in this run: types, ranges and "
                     "categories are not checked against data.")
    signed = [m for m in record.dictionary.models
              if (model := project.model(m)) is not None and model.signature_inputs]
    if not signed:
        notes.append("No model trained on this dataset has an MLflow signature: the features "
                     "models use and their types are not checked against one; every feature "
                     "counts as used by the dataset's models.")
    return notes


def _feature(
    project: Project, record: DatasetRecord, f: Feature, checks: list[CheckResult]
) -> FeatureRow:
    d = record.dictionary
    column = record.profile.columns.get(f.name) if record.profile else None
    return {
        "feature": plain(f),
        "source_system": f.source_system or d.source_system,
        "source_system_from": "hand-written" if f.source_system else "hand-written (dataset)",
        "owner": f.owner or (d.owner.name if d.owner else None),
        "owner_from": "hand-written" if f.owner else "hand-written (dataset)",
        "allowed": _allowed(f),
        "users": [{"name": m, "source": s, "link": f"../models/{m}/index.md"}
                  for m, s in feature_users(project, record, f.name)],
        "signature": _signature_types(project, record, f.name),
        "profile": None if column is None else _profile(column),
        "drift": _drift(project, record, f.name),
        "checks": [{**check_data(c), "rule": c.label.removeprefix(f"{c.metric}: ")}
                   for c in checks],
        "status": worst(checks),
    }


def _allowed(f: Feature) -> str | None:
    if f.categories is not None:
        return ", ".join(f.categories)
    rng = DocumentedRange.of(f, "dictionary")
    return str(rng) if rng is not None and rng.defined else None


def _signature_types(project: Project, record: DatasetRecord, name: str) -> list[SignatureType]:
    out: list[SignatureType] = []
    for model_name in record.dictionary.models:
        model = project.model(model_name)
        if model is None or model.latest is None:
            continue
        for _, field in model.signature_inputs:
            if field.name == name:
                out.append({"model": model_name, "version": model.latest.release.version,
                            "type": field.type, "as": mlflow_type(field.type)})
    return out


def _profile(c: ColumnProfile) -> ColumnProfileRow:
    share = c.nulls / c.rows if c.rows else 0.0
    numeric = c.min is not None
    return {
        "type": c.type, "arrow_type": c.arrow_type,
        "nulls": f"{100 * share:.1f}% ({c.nulls} of {c.rows} rows)",
        "range": f"{fmt(c.min)} / {fmt(c.mean)} / {fmt(c.max)}" if numeric else None,
        "quantiles": ", ".join(f"p{fmt(100 * float(k[1:]))} {fmt(v)}"
                               for k, v in c.quantiles.items()) or None,
        "top": ", ".join(f"{v} ({n})" for v, n in c.top) or None,
        "distinct": c.distinct,
    }


def _drift(project: Project, record: DatasetRecord, name: str) -> list[DriftRow]:
    models = sorted({*record.dictionary.models, *(m for m, _ in feature_users(
        project, record, name))})
    out = []
    for model_name in models:
        model = project.model(model_name)
        window = model.latest_window if model else None
        if model is None or window is None:
            continue
        out.append(_drift_row(model, window.result.window, [
            f for f in window.result.features if f.feature == name]))
    return out


def _drift_row(model: ModelRecord, window: str, findings: list[Any]) -> DriftRow:
    if not findings:
        status = "not tested"
    elif any(f.status == "drift" for f in findings):
        status = "drift"
    elif all(f.status == "insufficient_data" for f in findings):
        status = "insufficient data"
    else:
        status = "no drift"
    tests = ", ".join(sorted({f.test for f in findings if f.status == "drift"}))
    return {"model": model.name, "window": window, "status": status,
            "severity": worst_severity(f.severity for f in findings) if findings else None,
            "tests": tests or None,
            "link": f"../models/{model.name}/monitoring/{window}.md"}


def card_dictionaries(
    project: Project, model: ModelRecord, results: list[CheckResult], base: str
) -> list[DictionaryLink]:
    """The dictionaries of the datasets a model is trained on, for its card."""
    out: list[DictionaryLink] = []
    for record in project.datasets_of(model.name):
        warned = [r for r in results if r.dataset == record.name
                  and r.status in ("warn", "fail")]
        out.append({"name": record.name, "title": record.dictionary.title,
                    "link": f"{base}../../{page_path(record.name)}", "warnings": len(warned)})
    return out
