"""JSON Schema of every file govkit reads (for editors) or writes (for CI tools)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from govkit.schemas.card import Card
from govkit.schemas.config import Config
from govkit.schemas.monitoring import MonitoringResult
from govkit.schemas.release import Release
from govkit.schemas.report import CheckReport

SCHEMAS: dict[str, type[BaseModel]] = {
    "govkit.schema.json": Config,
    "card.schema.json": Card,
    "release.schema.json": Release,
    "monitoring-result.schema.json": MonitoringResult,
    "check-report.schema.json": CheckReport,
}


def schema_files() -> dict[str, bytes]:
    out = {}
    for name, model in SCHEMAS.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[name] = (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode()
    return out
