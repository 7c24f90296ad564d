"""docs/profiles.md's field reference is generated from schemas/profiles.py: regenerate with
    GOVKIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/site/test_profiles_docs.py"""

from __future__ import annotations

import os
import typing

from pydantic import BaseModel

from govkit.schemas.profiles import (
    Fresh,
    Passed,
    Postmortem,
    Present,
    Profile,
    Requirement,
    WithinCadence,
)
from tests.conftest import REPO

DOC = REPO / "docs" / "profiles.md"
START, END = "<!-- field reference: generated -->\n", "<!-- end of field reference -->\n"


def _type(annotation: object) -> str:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    name = getattr(annotation, "__name__", None)
    if name and not args:
        return name
    return str(annotation).replace("typing.", "").replace("|", "\\|")


def field_reference() -> str:
    out = []
    for model in (Profile, Requirement, Present, Fresh, Passed, WithinCadence, Postmortem):
        out.append(f"**{model.__name__}**: {(model.__doc__ or '').strip()}\n")
        out.append("| Field | Type | Required | Description |\n|---|---|---|---|")
        for name, info in model.model_fields.items():
            kind = _type(info.annotation) if not isinstance(info.annotation, type) or not \
                issubclass(info.annotation, BaseModel) else info.annotation.__name__
            if name in ("evidence", "requirements"):
                kind = "list of selectors" if name == "evidence" else "list of Requirement"
            out.append(f"| `{name}` | {kind} | {'yes' if info.is_required() else 'no'} | "
                       f"{info.description or ''} |")
        out.append("")
    return "\n".join(out)


def test_field_reference_is_generated_from_the_schema() -> None:
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    fresh = head + START + field_reference() + "\n" + END + tail
    if os.environ.get("GOVKIT_UPDATE_GOLDEN") == "1":
        DOC.write_text(fresh, encoding="utf-8")
    assert text == fresh, "regenerate: GOVKIT_UPDATE_GOLDEN=1 pytest tests/site/test_profiles_docs.py"
