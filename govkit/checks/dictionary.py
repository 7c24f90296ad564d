"""Data dictionaries against the data, the models' signatures and their cards. Pure: no I/O.

Every rule yields "pass" or "warn" (never a pass for what was not evaluated: a feature
without a reference sample simply has no data checks). Ids are stable:

- `dataset/<ds>/<feature>/type`: documented type vs the stored column of the sample
- `dataset/<ds>/<feature>/range`, `.../categories`: sample values outside the documented ones
- `dataset/<ds>/<feature>/documented/<model>`: a signature input the dictionaries lack
- `dataset/<ds>/<feature>/signature-type/<model>`: documented type vs the signature's
- `dataset/<ds>/<feature>/pii/<model>`: a PII feature the model's card does not mention
- `dataset/<ds>/owner`: the dictionary names no owner
- `dataset/<ds>/reviewed`: `last_reviewed` is older than the last schema change
"""

from __future__ import annotations

import re

from govkit.checks.documents import Event, cadence_event, freshness
from govkit.checks.results import CheckResult, DatasetSubject, DocumentedRange, Kind, Status
from govkit.formatting import fmt
from govkit.model import DatasetRecord, ModelRecord, Project, feature_users
from govkit.schemas.dictionary import ColumnProfile, Feature, mlflow_type, types_agree

KIND: Kind = "dictionary"


def check_dictionaries(project: Project) -> list[CheckResult]:
    results: list[CheckResult] = []
    for record in project.datasets:
        results.extend(_document(project, record))
        for index, feature in enumerate(record.dictionary.features):
            column = record.profile.columns.get(feature.name) if record.profile else None
            if column is not None:
                results.extend(_data_checks(record, index, feature, column))
            results.extend(_pii(project, record, index, feature))
    for model in project.models:
        results.extend(_signature_checks(project, model))
    return results


def _result(
    record: DatasetRecord, feature: str, rule: str, status: Status, message: str, *,
    line: int | None, source: str | None = None, model: str = "", version: str = "",
    value: float | None = None, rng: DocumentedRange | None = None, label: str | None = None,
) -> CheckResult:
    suffix = f"/{model}" if model else ""
    subject = f"{feature}/" if feature else ""
    return CheckResult(
        id=f"dataset/{record.name}/{subject}{rule}{suffix}", model=model, version=version,
        metric=feature, label=f"{feature}: {label or rule}" if feature else label or rule,
        segment=None, value=value,
        range=rng or DocumentedRange(None, None, "dictionary"), status=status, message=message,
        source=source or record.source, line=line, kind=KIND, dataset=record.name,
        subject=DatasetSubject(record.name),
    )


def _document(project: Project, record: DatasetRecord) -> list[CheckResult]:
    """Ownership and freshness of the dictionary itself."""
    d, doc = record.dictionary, record.doc
    title_line = doc.line_of(("title",))
    out = [_result(record, "", "owner", "pass", f"owned by {d.owner.name}", label="owner",
                   line=doc.line_of(("owner",))) if d.owner else
           _result(record, "", "owner", "warn", "the dictionary names no owner (add owner: "
                   "with a name and role; the chapter: a data engineer)", label="owner",
                   line=title_line)]
    changes = [v for v in record.versions if v.schema_changed]
    schema = None
    if changes:
        last = changes[-1]
        schema = Event(last.date, f"the last schema change (version {last.label}, "
                       f"{last.date.isoformat()})",
                       "check the features against the new schema and update last_reviewed")
    event = cadence_event(project, project.config.freshness.dictionary, schema=schema)
    if isinstance(event, str):
        return out  # no schema change yet: nothing to be stale against
    status, message = freshness(project, record.source, d.last_reviewed, event)
    line = doc.line_of(("last_reviewed",)) or title_line
    out.append(_result(record, "", "reviewed", status, message, label="reviewed", line=line))
    return out


def _data_checks(
    record: DatasetRecord, index: int, feature: Feature, column: ColumnProfile
) -> list[CheckResult]:
    doc = record.doc
    sample = record.profile.source if record.profile else "the sample"
    out = []
    if column.nulls == column.rows:
        out.append(_result(record, feature.name, "type", "insufficient_data",
                           f"only missing values in {sample}: type not checked",
                           line=doc.line_of(("features", index, "type"))))
    else:
        agree = types_agree(feature.type, column.type, whole_numbers=column.whole_numbers)
        stored = f"{column.type} ({column.arrow_type})"
        message = (f"documented {feature.type}; {sample} stores {stored}" if agree else
                   f"documented {feature.type}, but {sample} stores {stored} "
                   f"(fix the type in the dictionary or the data)")
        out.append(_result(record, feature.name, "type", "pass" if agree else "warn", message,
                           line=doc.line_of(("features", index, "type"))))
    if (feature.min is not None or feature.max is not None) and column.min is not None:
        out.append(_range(record, index, feature, column, sample))
    if feature.categories is not None and column.distinct is not None:
        out.append(_categories(record, index, feature, column, sample))
    return out


def _range(
    record: DatasetRecord, index: int, feature: Feature, column: ColumnProfile, sample: str
) -> CheckResult:
    rng = DocumentedRange(feature.min, feature.max, "dictionary")
    outside = column.below_min + column.above_max
    counted = column.rows - column.nulls
    bound = "min" if feature.min is not None and (column.below_min or feature.max is None) \
        else "max"
    line = record.doc.line_of(("features", index, bound))
    seen = f"lowest {fmt(column.min)}, highest {fmt(column.max)}"
    if outside:
        message = (f"{outside} of {counted} values in {sample} are outside the documented "
                   f"range {rng} ({seen})")
        return _result(record, feature.name, "range", "warn", message, line=line,
                       value=outside, rng=rng)
    return _result(record, feature.name, "range", "pass",
                   f"all {counted} values in {sample} are within {rng} ({seen})",
                   line=line, value=0, rng=rng)


def _categories(
    record: DatasetRecord, index: int, feature: Feature, column: ColumnProfile, sample: str
) -> CheckResult:
    line = record.doc.line_of(("features", index, "categories"))
    counted = column.rows - column.nulls
    if column.outside_count:
        shown = ", ".join(f"'{v}' ({n})" for v, n in column.outside_top)
        more = " and more" if column.outside_count > sum(n for _, n in column.outside_top) \
            else ""
        message = (f"{column.outside_count} of {counted} values in {sample} are not documented "
                   f"categories: {shown}{more}")
        return _result(record, feature.name, "categories", "warn", message, line=line,
                       value=column.outside_count)
    return _result(record, feature.name, "categories", "pass",
                   f"all {counted} values in {sample} are documented categories",
                   line=line, value=0)


def _pii(
    project: Project, record: DatasetRecord, index: int, feature: Feature
) -> list[CheckResult]:
    if feature.sensitivity is None or not feature.sensitivity.pii:
        return []
    out = []
    where = f"{record.source}:{record.doc.line_of(('features', index, 'sensitivity'))}"
    for name, _ in feature_users(project, record, feature.name):
        model = project.model(name)
        if model is None:
            continue
        considerations = model.card.ethical_considerations
        text = " ".join(f"{c.name} {c.description}" for c in considerations)
        line = model.card_doc.line_of(("ethical_considerations",)) if considerations else 1
        if _mentions(text, feature.name):
            out.append(_result(record, feature.name, "pii", "pass",
                               f"PII feature ({where}) is named in {name}'s ethical "
                               "considerations", line=line, source=model.card_source,
                               model=name, label="PII in card"))
        else:
            out.append(_result(record, feature.name, "pii", "warn",
                               f"{name} uses PII feature '{feature.name}' ({where}) but its "
                               "card does not mention it under ethical_considerations (name "
                               "the feature and how it is protected)", line=line,
                               source=model.card_source, model=name, label="PII in card"))
    return out


def _mentions(text: str, name: str) -> bool:
    def norm(s: str) -> str:
        return " " + " ".join(re.split(r"[\W_]+", s.lower())).strip() + " "

    return norm(name) in norm(text)


def _signature_checks(project: Project, model: ModelRecord) -> list[CheckResult]:
    inputs = model.signature_inputs
    datasets = project.datasets_of(model.name)
    if not inputs or not datasets or model.latest is None:
        return []
    record = model.latest
    version = record.release.version
    out = []
    for i, field in inputs:
        name = str(field.name)
        where = f"{record.source}:{record.doc.line_of(('training', 'signature', 'inputs', i))}"
        found = next(((d, j, f) for d in datasets
                      for j, f in enumerate(d.dictionary.features) if f.name == name), None)
        if found is None:
            first = datasets[0]
            names = ", ".join(d.source for d in datasets)
            out.append(_result(first, name, "documented", "warn",
                               f"{model.name} {version}'s signature ({where}) uses '{name}', "
                               f"which no dictionary of its datasets documents ({names}): "
                               "add it under features", line=first.doc.line_of(("features",)),
                               model=model.name, version=version, label="in dictionary"))
            continue
        dataset, j, feature = found
        out.append(_result(dataset, name, "documented", "pass",
                           f"{model.name} {version}'s signature input is documented",
                           line=dataset.doc.line_of(("features", j, "name")),
                           model=model.name, version=version, label="in dictionary"))
        declared = mlflow_type(field.type)
        agree = types_agree(feature.type, declared)
        message = (f"documented {feature.type}; {model.name} {version}'s signature declares "
                   f"{field.type} ({where})")
        if not agree:
            message = message.replace("; ", ", but ", 1) + " (fix the dictionary or the model)"
        out.append(_result(dataset, name, "signature-type", "pass" if agree else "warn",
                           message, line=dataset.doc.line_of(("features", j, "type")),
                           model=model.name, version=version, label="signature type"))
    return out
