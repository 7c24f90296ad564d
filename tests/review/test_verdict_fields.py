"""Every field of the card, release, monitoring section (rules, severities) and waiver
schemas is classified: verdict-changing with a direction, compared elsewhere, or listed
as changing no verdict. A new field fails here until someone decides which."""

from __future__ import annotations

import typing

from pydantic import BaseModel

from govkit.review.settings import judge
from govkit.review.verdict_fields import COMPARED_ELSEWHERE, NOT_VERDICT, VERDICT
from govkit.schemas.alerts import Waiver
from govkit.schemas.card import Card
from govkit.schemas.config import MonitoringConfig
from govkit.schemas.release import Release

ROOTS = (Card, Release, MonitoringConfig, Waiver)


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _fields() -> set[tuple[str, str]]:
    """(class, field) of every leaf field reachable from the roots; a field holding
    models is walked into (its members are classified), unless classified itself."""
    seen: set[str] = set()
    out: set[tuple[str, str]] = set()
    todo: list[type[BaseModel]] = list(ROOTS)
    while todo:
        cls = todo.pop()
        if cls.__name__ in seen:
            continue
        seen.add(cls.__name__)
        for name, info in cls.model_fields.items():
            inner = _models(info.annotation)
            todo += inner
            if not inner or (cls.__name__, name) in VERDICT:
                out.add((cls.__name__, name))
    return out


def test_every_schema_field_is_classified() -> None:
    missing = sorted(
        f"{cls}.{name}" for cls, name in _fields()
        if (cls, name) not in VERDICT and (cls, name) not in COMPARED_ELSEWHERE
        and name not in NOT_VERDICT.get(cls, frozenset()))
    assert missing == [], (
        "classify these in govkit/review/verdict_fields.py (VERDICT with the direction that "
        f"loosens, COMPARED_ELSEWHERE, or NOT_VERDICT): {missing}")


def test_no_field_is_classified_twice_or_named_wrongly() -> None:
    known = _fields() | {(c, f) for c, f in VERDICT}
    listed = {(c, f) for c, names in NOT_VERDICT.items() for f in names}
    assert not listed & set(VERDICT) and not listed & set(COMPARED_ELSEWHERE)
    assert not set(VERDICT) & set(COMPARED_ELSEWHERE)
    assert sorted((listed | set(VERDICT) | set(COMPARED_ELSEWHERE)) - known) == []


def test_directions() -> None:
    assert judge("higher", 0.0, 0.05) == "loosened"  # a larger margin
    assert judge("lower", 0.05, 0.001) == "loosened"  # a smaller alpha
    assert judge("lower", 0.05, 0.1) == "tightened"
    assert judge("severity", "P1", "P3") == "loosened"
    assert judge("severity", "P3", "P2") == "tightened"
    assert judge("fewer", ["a", "b"], ["a"]) == "loosened"  # a segment column dropped
    assert judge("fewer", None, ["a"]) == "loosened"  # every feature -> some
    assert judge("fewer", ["a"], None) == "tightened"
    assert judge("fewer", ["a"], ["b"]) == "changed"
    assert judge("more", ["id"], ["id", "x"]) == "loosened"  # a column no longer tested
    assert judge("true", False, True) == "loosened"
    assert judge("any", {"roc_auc": "auc"}, {}) == "changed"
    assert judge("higher", None, 24.0) == "changed"
    assert judge("higher", 0.05, 0.05) is None
