"""A CycloneDX 1.6 ML-BOM: one machine-learning-model component per model version (with its
modelCard) and one data component per dataset dictionary. Same input, same bytes: the serial
number is derived from the content and no clock is read."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from govkit.checks.results import DocumentedRange
from govkit.exports.facts import MetricFact, VersionFacts
from govkit.model import DatasetRecord, Project

SPEC = "1.6"
# uuid5 namespace of govkit BOMs: uuid5(NAMESPACE_URL, "https://govkit/cyclonedx")
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://govkit/cyclonedx")


def bom_json(project: Project, versions: list[VersionFacts]) -> str:
    return json.dumps(bom(project, versions), indent=2, ensure_ascii=False) + "\n"


def bom(project: Project, versions: list[VersionFacts]) -> dict[str, Any]:
    datasets = {d.name: d for f in versions for d in f.datasets}
    components = [model_component(f) for f in versions]
    components += [data_component(datasets[name]) for name in sorted(datasets)]
    body: dict[str, Any] = {
        "bomFormat": "CycloneDX", "specVersion": SPEC, "version": 1,
        "metadata": {"tools": {"components": [{"type": "application", "name": "govkit"}]},
                     "component": {"type": "application", "bom-ref": "project",
                                   "name": project.config.project}},
        "components": components,
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return {"bomFormat": "CycloneDX", "specVersion": SPEC,
            "serialNumber": f"urn:uuid:{uuid.uuid5(NAMESPACE, digest)}", **body}


def model_ref(facts: VersionFacts) -> str:
    return f"model:{facts.model.name}@{facts.version}"


def data_ref(name: str) -> str:
    return f"data:{name}"


def model_component(facts: VersionFacts) -> dict[str, Any]:
    card, release = facts.model.card, facts.record.release
    details = release.model_details or card.model_details
    out: dict[str, Any] = {"type": "machine-learning-model", "bom-ref": model_ref(facts),
                           "name": facts.model.name, "version": facts.version}
    description = release.description or card.summary
    if description:
        out["description"] = description
    if details.license:
        out["licenses"] = [{"license": {"name": details.license}}]
    if card.tags:
        out["tags"] = list(card.tags)
    refs = []
    if facts.card_url:
        refs.append({"type": "model-card", "url": facts.card_url,
                     "comment": "the governed card (govkit site)"})
    if facts.run_id:
        refs.append({"type": "build-meta", "url": f"runs:/{facts.run_id}",
                     "comment": "the MLflow run that trained this version"})
    if details.repository:
        refs.append({"type": "vcs", "url": details.repository})
    if refs:
        out["externalReferences"] = refs
    out["modelCard"] = _model_card(facts)
    out["properties"] = _properties(facts)
    return out


def _model_card(facts: VersionFacts) -> dict[str, Any]:
    card, release = facts.model.card, facts.record.release
    details = release.model_details or card.model_details
    params: dict[str, Any] = {}
    if details.task or card.intended_use.primary_uses:
        params["task"] = details.task or card.intended_use.primary_uses[0]
    if details.model_type:
        params["architectureFamily"] = details.model_type
    if details.framework:
        params["modelArchitecture"] = details.framework
    if facts.datasets:
        params["datasets"] = [{"ref": data_ref(d.name)} for d in facts.datasets]
    out: dict[str, Any] = {}
    if params:
        out["modelParameters"] = params
    if facts.metrics:
        out["quantitativeAnalysis"] = {"performanceMetrics": [_metric(m)
                                                              for m in facts.metrics]}
    considerations = _considerations(facts)
    if considerations:
        out["considerations"] = considerations
    return out


def _metric(metric: MetricFact) -> dict[str, Any]:
    out: dict[str, Any] = {"type": metric.label, "value": fmt_value(metric.value)}
    if metric.segment is not None:
        out["slice"] = metric.segment
    if metric.ci is not None:
        out["confidenceInterval"] = {"lowerBound": fmt_value(metric.ci[0]),
                                     "upperBound": fmt_value(metric.ci[1])}
    return out


def fmt_value(value: float) -> str:
    """The value as written (repr: shortest exact form), so a reader parses the same float."""
    return repr(float(value))


def _considerations(facts: VersionFacts) -> dict[str, Any]:
    card = facts.model.card
    use = card.intended_use
    limits = list(card.limitations) + [f"Out of scope: {x}" for x in use.out_of_scope]
    found: dict[str, Any] = {
        "users": list(use.primary_users), "useCases": list(use.primary_uses),
        "technicalLimitations": limits,
        "ethicalConsiderations": [{"name": c.name, "mitigationStrategy": c.description}
                                  for c in card.ethical_considerations],
        "fairnessAssessments": [{"groupAtRisk": g} for g in card.factors.relevant],
    }
    return {key: value for key, value in found.items() if value}


def _properties(facts: VersionFacts) -> list[dict[str, str]]:
    """What CycloneDX has no field for: each documented range and check status, the verdict."""
    out = [{"name": "govkit:status", "value": facts.status},
           {"name": "govkit:checked_at", "value": facts.checked_at},
           {"name": "govkit:failing", "value": str(facts.failing)}]
    for m in facts.metrics:
        where = f"{m.key}" + (f"[{m.segment}]" if m.segment is not None else "")
        if m.range.defined:
            out.append({"name": f"govkit:range:{where}", "value": str(m.range)})
        if m.status:
            out.append({"name": f"govkit:check:{where}", "value": m.status})
    return out


def data_component(record: DatasetRecord) -> dict[str, Any]:
    dictionary = record.dictionary
    data: dict[str, Any] = {"type": "dataset", "name": dictionary.title}
    if dictionary.description:
        data["description"] = dictionary.description.strip()
    fields = [{"name": f"field:{f.name}", "value": _field(f)} for f in dictionary.features]
    if fields:
        data["contents"] = {"properties": fields}
    sensitive = [f"{f.name}: personal data" for f in dictionary.features
                 if f.sensitivity is not None and f.sensitivity.pii]
    if sensitive:
        data["sensitiveData"] = sensitive
    owner = dictionary.owner
    if owner is not None:
        contact = {"name": owner.name, **({"email": owner.email} if owner.email else {})}
        data["governance"] = {"owners": [{"contact": contact}]}
    out: dict[str, Any] = {"type": "data", "bom-ref": data_ref(record.name),
                           "name": record.name, "data": [data]}
    return out


def _field(feature: Any) -> str:
    parts = [str(feature.type)]
    if feature.unit:
        parts.append(f"unit {feature.unit}")
    documented = DocumentedRange.of(feature, "dictionary")
    if documented is not None and documented.defined:
        parts.append(f"range {documented}")
    if feature.description:
        parts.append(feature.description.strip())
    return "; ".join(parts)

