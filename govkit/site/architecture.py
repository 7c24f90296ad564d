"""Architecture pages (one per system) as page contexts (plain data). Pure."""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.model import Project, SystemRecord
from govkit.schemas.architecture import MATURITY_LEVELS
from govkit.site.cards import header
from govkit.site.plain import CheckData, check_data, plain

PAGE_DIR = "systems"
# The chapter's infrastructure table (purpose) and maturity model (training, deployment,
# monitoring per level)
KINDS = {
    "data-source": "Data source", "orchestration": "Workflow orchestration",
    "feature-store": "Feature store", "model-registry": "Model registry",
    "experiment-tracking": "Experiment tracking", "serving": "Model serving",
    "monitoring": "Monitoring", "other": "Other",
}
LEVELS = {
    0: ("Everything by hand", "Notebooks", "Manual copy", "Manual checks"),
    1: ("Repeatable scripts", "Script-based", "CI triggers", "Basic dashboards"),
    2: ("Automated workflows", "Orchestrated", "Automated + approval", "Automated alerts"),
    3: ("Full automation", "Continuous training", "Continuous deployment",
        "Continuous monitoring"),
    4: ("Self-healing systems", "Auto-triggered", "Auto-rollout/rollback", "Auto-remediation"),
}


def page_path(name: str) -> str:
    return f"{PAGE_DIR}/{name}.md"


def diagram_path(name: str) -> str:
    return f"{PAGE_DIR}/{name}.svg"


class ModelLink(TypedDict):
    name: str
    title: str
    link: str


class Level(TypedDict):
    """A level of the maturity model, as the chapter's table describes it."""

    level: int
    name: str
    characteristics: str
    training: str
    deployment: str
    monitoring: str


class Evidence(TypedDict):
    level: int
    name: str
    holds: bool
    detail: str


class ComponentRow(TypedDict):
    """A component of the system with its role in words (the infrastructure table)."""

    name: str
    kind: str
    tool: str | None
    description: str | None
    role: str


class ArchitectureContext(TypedDict):
    """Everything architecture.md.j2 reads, complete when built."""

    header: str
    name: str
    system: Any
    source: str
    diagram: str
    models: list[ModelLink]
    components: list[ComponentRow]
    flows: list[Any]
    warnings: list[CheckData]
    checks: list[CheckData]
    claimed: Level | None
    seen: Level
    evidence: list[Evidence]
    maturity_check: CheckData | None
    levels: list[Level]


def architecture_context(
    project: Project, record: SystemRecord, results: list[CheckResult]
) -> ArchitectureContext:
    s = record.system
    ordered = sorted(results, key=lambda r: (STATUS_ORDER[r.status], r.id))
    maturity = next((check_data(r) for r in results if r.id.endswith("/maturity")), None)
    return {
        "header": header(_sources(project, record), f"Architecture: {record.name}"),
        "name": record.name,
        "system": plain(s),
        "source": record.source,
        "diagram": f"{record.name}.svg",
        "models": [_model(project, m) for m in s.models],
        "components": [{"name": c.name, "kind": c.kind, "tool": c.tool,
                        "description": c.description, "role": KINDS[c.kind]}
                       for c in s.components],
        "flows": [plain(f) for f in s.flows],
        "warnings": [check_data(r) for r in ordered if r.status in ("warn", "fail")],
        "checks": [check_data(r) for r in ordered],
        "claimed": None if s.maturity is None else _level(s.maturity.claimed),
        "seen": _level(record.evidence_level),
        "evidence": [{"level": e.level, "name": e.name, "holds": e.holds, "detail": e.detail}
                     for e in record.evidence],
        "maturity_check": maturity,
        "levels": [_level(n) for n in sorted(LEVELS)],
    }


def _sources(project: Project, record: SystemRecord) -> list[str]:
    """The architecture file and everything the maturity evidence was read from."""
    out = [record.source]
    for name in record.system.models:
        model = project.model(name)
        if model is None:
            continue
        out += [model.card_source] + [r.source for r in model.releases]
        out += [model.training_guide.source] if model.training_guide else []
        out += [w.source for w in model.monitoring]
    return out


def _model(project: Project, name: str) -> ModelLink:
    model = project.model(name)
    return {"name": name, "title": model.card.title if model else name,
            "link": f"../models/{name}/index.md"}


def _level(n: int) -> Level:
    characteristics, training, deployment, monitoring = LEVELS[n]
    return {"level": n, "name": MATURITY_LEVELS[n], "characteristics": characteristics,
            "training": training, "deployment": deployment, "monitoring": monitoring}
