"""JSON Schema of every file govkit reads (for editors) or writes (for CI tools)."""


import json
from typing import Any

from pydantic import BaseModel

from govkit.schemas.alerts import AlertsFile, WaiversFile
from govkit.schemas.architecture import System
from govkit.schemas.card import Card
from govkit.schemas.config import Config
from govkit.schemas.dictionary import Dictionary
from govkit.schemas.experiment import DecisionRecord, ExperimentLog
from govkit.schemas.incidents import IncidentsFile
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.profiles import Profile
from govkit.schemas.release import Release
from govkit.schemas.report import CheckReport
from govkit.schemas.training import TrainingGuide
from govkit.schemas.window_profile import WindowProfile

SCHEMAS: dict[str, type[BaseModel]] = {
    "govkit.schema.json": Config,
    "card.schema.json": Card,
    "release.schema.json": Release,
    "monitoring-result.schema.json": MonitoringResult,
    "check-report.schema.json": CheckReport,
    "alerts.schema.json": AlertsFile,
    "incidents.schema.json": IncidentsFile,
    "dictionary.schema.json": Dictionary,
    "training.schema.json": TrainingGuide,
    "architecture.schema.json": System,
    "decision.schema.json": DecisionRecord,
    "experiment-log.schema.json": ExperimentLog,
    "waivers.schema.json": WaiversFile,
    "window-profile.schema.json": WindowProfile,
    "governance-profile.schema.json": Profile,
}


def closed_key_patterns(node: Any) -> Any:
    """pydantic writes a dict with constrained keys as `patternProperties` alone, which lets
    any other key through; govkit refuses such keys, so the schema does too."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            closed_key_patterns(value)
    elif isinstance(node, list):
        for value in node:
            closed_key_patterns(value)
    return node


def schema_files() -> dict[str, bytes]:
    out = {}
    for name, model in SCHEMAS.items():
        schema = closed_key_patterns(model.model_json_schema())
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[name] = (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode()
    return out
