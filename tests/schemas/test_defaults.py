"""Defaults made by `default_of` (unvalidated, issue 26) equal the validated defaults."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

import govkit.schemas
from govkit.model import ModelRecord
from govkit.schemas.alerting import CHAPTER_SEVERITIES, SeverityPolicy
from govkit.schemas.config import MonitoringConfig

for _info in pkgutil.iter_modules(govkit.schemas.__path__):
    importlib.import_module(f"govkit.schemas.{_info.name}")


def _models(cls: type[BaseModel] = BaseModel) -> Iterator[type[BaseModel]]:
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("govkit."):
            yield sub
        yield from _models(sub)


def _same(made: BaseModel, validated: BaseModel) -> None:
    assert type(made) is type(validated)
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set
    assert made.model_dump() == validated.model_dump()


def test_every_default_of_equals_the_validated_default() -> None:
    seen: dict[str, Any] = {}
    for model in set(_models()):
        for name, field in model.model_fields.items():
            target = getattr(field.default_factory, "default_of", None)
            if target is None:
                continue
            decorators = target.__pydantic_decorators__
            assert not (decorators.model_validators or decorators.field_validators), target
            _same(field.default_factory(), target())  # type: ignore[call-arg,misc]
            seen[f"{model.__name__}.{name}"] = target
    assert "Config.mlflow" in seen and "Alerting.severities" in seen, sorted(seen)


def test_unvalidated_chapter_severities_and_monitoring_defaults_validate_to_themselves() -> None:
    for policy in CHAPTER_SEVERITIES.values():
        _same(policy, SeverityPolicy.model_validate(policy.model_dump(exclude_unset=True)))
    _same(ModelRecord.monitoring_config.fget(_NoEntry()), MonitoringConfig())  # type: ignore[attr-defined]


class _NoEntry:
    entry = None
