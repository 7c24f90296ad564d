"""The rows of a data dictionary page (site/dictionary.py) as typed plain data."""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import Status
from govkit.site.plain import CheckData


class ModelLink(TypedDict):
    name: str
    title: str
    link: str


class Reference(TypedDict):
    source: str
    digest: str
    rows: int


class Column(TypedDict):
    name: str
    type: str


class DatasetVersion(TypedDict):
    label: str
    date: str
    digest: str | None
    columns: int | None
    sources: list[str]
    used_by: list[str]
    notes: list[str]
    changes: list[str]


class User(TypedDict):
    name: str
    source: str
    link: str


# "as" is a Python keyword: declared in the call form
SignatureType = TypedDict("SignatureType", {"model": str, "version": str, "type": str | None,
                                              "as": str})


class ColumnProfileRow(TypedDict):
    type: str
    arrow_type: str | None
    nulls: str
    range: str | None
    quantiles: str | None
    top: str | None
    distinct: int | None


class DriftRow(TypedDict):
    model: str
    window: str
    status: str
    severity: str | None
    tests: str | None
    link: str


class FeatureCheck(CheckData):
    rule: str


class FeatureRow(TypedDict):
    feature: Any  # the dictionary's feature, as plain data
    source_system: str | None
    source_system_from: str
    owner: str | None
    owner_from: str
    allowed: str | None
    users: list[User]
    signature: list[SignatureType]
    profile: ColumnProfileRow | None
    drift: list[DriftRow]
    checks: list[FeatureCheck]
    status: Status | None
