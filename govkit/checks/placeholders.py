"""Placeholder text left in a card: `<model>/card/placeholder` (warn; --strict fails).

`govkit init` writes every piece of prose it cannot know as `TODO: ...`; a card that still
holds one would publish the scaffold's guidance as the model's facts. Pure: reads the
card's parsed YAML.
"""

from __future__ import annotations

from typing import Any

from govkit.checks.results import CheckResult, DocumentedRange, ModelSubject
from govkit.model import Loc, ModelRecord, dotted

MARKER = "TODO:"


def check_placeholders(model: ModelRecord) -> list[CheckResult]:
    found = sorted(_placeholders(model.card_doc.data, ()),
                   key=lambda loc: model.card_doc.line_of(loc) or 0)
    if not found:
        return []
    lines = [model.card_doc.line_of(loc) for loc in found]
    where = ", ".join(f"{dotted(loc)} (line {line})" for loc, line in zip(found, lines,
                                                                            strict=True))
    return [CheckResult(
        id=f"{model.name}/card/placeholder", model=model.name, version="", metric="",
        label="card: placeholder text", segment=None, value=None,
        range=DocumentedRange(None, None, "document", text="no placeholder text"),
        status="warn",
        message=f"{len(found)} field(s) still hold the scaffold's placeholder text "
                f"('{MARKER} ...'): {where}; write the model's own text",
        source=model.card_source, line=lines[0], kind="document",
        subject=ModelSubject(model.name),
    )]


def _placeholders(value: Any, loc: Loc) -> list[Loc]:
    if isinstance(value, str):
        return [loc] if value.lstrip().startswith(MARKER) else []
    if isinstance(value, dict):
        return [hit for key, item in value.items() for hit in _placeholders(item, (*loc, key))]
    if isinstance(value, list):
        return [hit for i, item in enumerate(value) for hit in _placeholders(item, (*loc, i))]
    return []
