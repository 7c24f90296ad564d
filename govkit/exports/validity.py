"""Whether an export the project produces (govkit.yaml `models[].exports`) would be valid
for its ecosystem, as check results of the version it describes:

- `<model>/<version>/export/huggingface`: the Hub card has a license (the Hub asks for one;
  its library does not), and huggingface_hub's `ModelCard` parses it and reads one
  `EvalResult` back per documented metric and segment from its `model-index`
- `<model>/<version>/export/cyclonedx`: the ML-BOM passes cyclonedx-python-lib's strict
  JSON validator (CycloneDX 1.6, bundled schemas, offline)

Invalid is a warning (`govkit check --strict` fails); a validator that is not installed
leaves the check not evaluated (insufficient_data), never passed.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from typing import Any

from govkit.checks.results import CheckResult, DocumentedRange, Status, VersionSubject
from govkit.exports.facts import VersionFacts

TARGETS = ("huggingface", "cyclonedx")
_PACKAGES = {"huggingface": ("huggingface_hub", "huggingface_hub"),
             "cyclonedx": ("cyclonedx", "cyclonedx-python-lib[json-validation]")}
_LABELS = {"huggingface": "Hugging Face Hub card", "cyclonedx": "CycloneDX 1.6 ML-BOM"}


#: (target, exported text, the validator) -> its problem; the caller may keep verdicts
Judge = Callable[[str, str, Callable[[], str | None]], str | None]


def _validate(target: str, text: str, validate: Callable[[], str | None]) -> str | None:
    return validate()


def export_results(facts: VersionFacts, targets: Sequence[str],
                   judge: Judge = _validate) -> list[CheckResult]:
    return [_check(facts, t, judge) for t in TARGETS if t in targets]


def _check(facts: VersionFacts, target: str, judge: Judge) -> CheckResult:
    module, package = _PACKAGES[target]
    problem, field = (_license_problem(facts), "model_details.license") \
        if target == "huggingface" else (None, "")
    if problem is None and importlib.util.find_spec(module) is None:
        return _result(facts, target, "insufficient_data",
                       f"not validated: {module} is not installed (pip install {package})",
                       field)
    if problem is None:
        problem, field = (_hub_problem(facts, judge), "model-index") \
            if target == "huggingface" else (_bom_problem(facts, judge), "")
    if problem is None:
        return _result(facts, target, "pass", f"valid {_LABELS[target]}", field)
    return _result(facts, target, "warn", f"the {_LABELS[target]} would be invalid: {problem}",
                   field)


def _license_problem(facts: VersionFacts) -> str | None:
    details = facts.record.release.model_details or facts.model.card.model_details
    if details.license:
        return None
    return ("no license (the Hub asks every model card for one); write model_details.license "
            "in card.yaml, e.g. license: apache-2.0, or your licence's name")


def _hub_problem(facts: VersionFacts, judge: Judge) -> str | None:
    from govkit.exports.huggingface import hub_card

    text = hub_card(facts)
    # the verdict also depends on how many metric values are documented
    return judge("huggingface", f"{len(facts.metrics)}\0{text}",
                 lambda: _hub_validated(facts, text))


def _hub_validated(facts: VersionFacts, text: str) -> str | None:
    from huggingface_hub import ModelCard

    try:
        card = ModelCard(text, ignore_metadata_errors=False)
        data: Any = card.data  # ModelCardData for a model card
        results = data.eval_results or []
    except Exception as exc:  # the Hub library's own refusal, quoted
        return f"huggingface_hub refuses it: {_first_line(exc)}"
    if len(results) != len(facts.metrics):
        return (f"its model-index reads back {len(results)} result(s) for "
                f"{len(facts.metrics)} documented metric value(s)")
    return None


def _bom_problem(facts: VersionFacts, judge: Judge) -> str | None:
    from govkit.exports.cyclonedx import bom_json

    text = bom_json(facts.project, [facts])
    return judge("cyclonedx", text, lambda: _bom_validated(text))


def _bom_validated(text: str) -> str | None:
    # lazy and behind the kept verdict; jsonschema without its ~1 s IRI grammar (issue 26)
    from govkit.exports.iri_format import import_jsonschema

    import_jsonschema()
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error is None:
        return None
    raw = getattr(error, "data", None)
    where = "/".join(str(p) for p in getattr(raw, "absolute_path", ()))
    return (f"{_first_line(error)}" + (f" (at {where})" if where else "")
            + "; fix the card field it comes from (docs/exports.md maps each one)")


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _result(facts: VersionFacts, target: str, status: Status, message: str,
            field: str) -> CheckResult:
    model, version = facts.model.name, facts.version
    card = facts.model.card_doc
    line = card.line_of(tuple(field.split("."))) if field.startswith("model_details") else None
    return CheckResult(
        id=f"{model}/{version}/export/{target}", model=model, version=version, metric="",
        label=f"{_LABELS[target]} export", segment=None, value=None,
        range=DocumentedRange(None, None, "document", text=f"valid for {target}"),
        status=status, message=message, source=facts.model.card_source,
        line=line or card.line_of(()), kind="document",
        subject=VersionSubject(model, version))
