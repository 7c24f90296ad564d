"""What the checks stage hands to every later stage: check results, their status order and
the documented range they were judged against. Pure types; site/, reports/ and review/ import
only this module of checks/."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from govkit.formatting import fmt
from govkit.schemas.card import Card
from govkit.schemas.release import MetricValue

# "warn": a governance rule is broken (e.g. the data dictionary disagrees with the data);
# shown on pages, a failure only under `govkit check --strict`. "waived": a failure accepted
# until its waiver expires.
Status = Literal["pass", "fail", "warn", "no_range", "insufficient_data", "waived"]
STATUS_ORDER: dict[str, int] = {
    "fail": 0, "warn": 1, "insufficient_data": 2, "no_range": 3, "waived": 4, "pass": 5,
}


@dataclass(frozen=True)
class Range:
    min: float | None
    max: float | None
    source: str
    exclusive: bool = False
    text: str | None = None  # a governance rule's requirement, shown instead of bounds

    @property
    def defined(self) -> bool:
        return self.min is not None or self.max is not None

    def __str__(self) -> str:
        if self.text:
            return self.text
        if self.min is not None and self.max is not None:
            return f"{fmt(self.min)} – {fmt(self.max)}" + (" (exclusive)" if self.exclusive else "")
        if self.min is not None:
            return f"{'>' if self.exclusive else '≥'} {fmt(self.min)}"
        if self.max is not None:
            return f"{'<' if self.exclusive else '≤'} {fmt(self.max)}"
        return "not documented"


@dataclass(frozen=True)
class CheckResult:
    """One documented metric evaluated against its allowed range."""

    id: str  # stable: model/version/[segment/]metric
    model: str
    version: str
    metric: str
    label: str
    segment: str | None
    value: float | None
    range: Range
    status: Status
    message: str
    source: str  # file that documents the range, relative to the project
    line: int | None  # line of the range (or of the value when no range)
    kind: str = "release"
    window: str | None = None  # monitoring window of a live check
    severity: str | None = None  # P1–P4/info/none when the source states one (live checks)
    dataset: str | None = None  # data dictionary of a "dictionary" check

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def metric_label(card: Card, key: str, metric: MetricValue | None = None) -> str:
    if metric is not None and metric.label:
        return metric.label
    definition = card.metrics.get(key)
    return definition.label if definition and definition.label else key


def strictly(results: Iterable[CheckResult]) -> list[CheckResult]:
    """`--strict`: every warning becomes a failure (the message is kept)."""
    return [replace(r, status="fail") if r.status == "warn" else r for r in results]


def worst(results: Iterable[CheckResult]) -> Status | None:
    statuses: list[Status] = [r.status for r in results]
    return min(statuses, key=lambda s: STATUS_ORDER[str(s)]) if statuses else None


# The release gate (checks/gate.py): a candidate against its ranges and the serving version
GateVerdict = Literal["pass", "regression", "not_compared"]


@dataclass(frozen=True)
class Comparison:
    metric: str
    label: str
    candidate: float
    serving: float | None
    difference: float | None  # candidate - serving
    margin: float
    stderr: float | None  # of the difference, when known
    z: float | None  # (drop - margin) / stderr; > 1.645 is a significant regression
    verdict: GateVerdict
    basis: str  # how it was decided


@dataclass
class GateResult:
    model: str
    candidate: str
    serving: str | None
    against: str  # the alias or stage it was resolved from
    checks: list[CheckResult]
    comparisons: list[Comparison]

    @property
    def passed(self) -> bool:
        return not any(c.failed for c in self.checks) and not any(
            c.verdict == "regression" for c in self.comparisons)
