"""What the checks stage hands to every later stage: check results, their status order and
the documented range they were judged against. Pure types; site/, reports/ and review/ import
only this module of checks/."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from govkit.formatting import fmt
from govkit.model import ModelRecord, ReleaseRecord, Where
from govkit.schemas.card import Card, MetricDefinition
from govkit.schemas.dictionary import Feature
from govkit.schemas.layers import ServiceSlo, seed_bounds
from govkit.schemas.release import MetricValue

# "warn": a governance rule is broken (e.g. the data dictionary disagrees with the data);
# shown on pages, a failure only under `govkit check --strict`. "waived": a failure accepted
# until its waiver expires.
Status = Literal["pass", "fail", "warn", "no_range", "insufficient_data", "waived"]
STATUS_ORDER: dict[str, int] = {
    "fail": 0, "warn": 1, "insufficient_data": 2, "no_range": 3, "waived": 4, "pass": 5,
}


Side = Literal["min", "max"]
# Which family of rules made a result (the JSON report's "kind").
Kind = Literal["release", "monitoring", "governance", "dictionary", "training", "architecture",
               "document"]


@dataclass(frozen=True)
class ModelSubject:
    """A model's own documents: its card, training guide, alerts and incidents."""

    model: str


@dataclass(frozen=True)
class VersionSubject:
    """A check about one version of a model."""

    model: str
    version: str


@dataclass(frozen=True)
class WindowSubject:
    """A check about one monitoring window of a model."""

    model: str
    window: str


@dataclass(frozen=True)
class DatasetSubject:
    """A check about one dataset's dictionary."""

    dataset: str


@dataclass(frozen=True)
class SystemSubject:
    """A check about one architecture (systems/)."""

    system: str


@dataclass(frozen=True)
class ExperimentSubject:
    """A check about one experiment."""

    experiment: str


@dataclass(frozen=True)
class ProfileSubject:
    """A model's serving version against one governance profile."""

    model: str
    profile: str


# What a check judges; pages are found by it (site/pages.py), never by parsing ids.
Subject = (ModelSubject | VersionSubject | WindowSubject | DatasetSubject | SystemSubject
           | ExperimentSubject | ProfileSubject)


@dataclass(frozen=True)
class Found:
    """One evidence selector of a profile requirement, as found in the project."""

    kind: str  # present, fresh, passed, within_cadence, postmortem
    target: str  # the card field, document type, check family, ...
    holds: bool
    detail: str  # what was found, or what is missing
    source: str | None = None  # the file that holds it
    line: int | None = None


@dataclass(frozen=True)
class DocumentedRange:
    """A metric's allowed range, who documents it (`basis`: card, hand-written, mlflow-run,
    dictionary, ...) and where each bound is written. The one place a range is chosen
    (`applicable`) and printed (`str`). Cards and releases carry one `exclusive` flag for both
    bounds, so the range does too."""

    min: float | None
    max: float | None
    basis: str
    exclusive: bool = False
    text: str | None = None  # a governance rule's requirement, shown instead of bounds
    min_at: Where | None = field(default=None, compare=False)
    max_at: Where | None = field(default=None, compare=False)

    @classmethod
    def of(cls, written: MetricValue | MetricDefinition | Feature | None, basis: str | None = None,
           at: Callable[[Side], Where | None] | None = None) -> DocumentedRange | None:
        """The range a release metric, a card's definition or a dictionary feature documents
        (`basis`: the release metric's own range_source unless given); `at`: where a bound is
        written."""
        if written is None:
            return None
        exclusive = getattr(written, "exclusive", False)
        if basis is None:
            basis = written.range_source if isinstance(written, MetricValue) else "card"
        low, high = written.min, written.max
        return cls(low, high, basis, exclusive,
                   min_at=at("min") if at and low is not None else None,
                   max_at=at("max") if at and high is not None else None)

    @property
    def defined(self) -> bool:
        return self.min is not None or self.max is not None

    @property
    def where(self) -> Where | None:
        """Where the range is written: its minimum's line, else its maximum's."""
        return self.min_at if self.min is not None else self.max_at

    @property
    def sides(self) -> tuple[Side, ...]:
        out: tuple[Side, ...] = ()
        if self.min is not None:
            out += ("min",)
        return (*out, "max") if self.max is not None else out

    def bound(self, side: Side) -> float:
        value = self.min if side == "min" else self.max
        assert value is not None, side
        return value

    def at(self, side: Side) -> Where | None:
        return self.min_at if side == "min" else self.max_at

    def breach_op(self, side: Side) -> str:
        """The comparison by which a value leaves the range across `side`."""
        if side == "min":
            return "<=" if self.exclusive else "<"
        return ">=" if self.exclusive else ">"

    def below(self, value: float) -> bool:
        return self.min is not None and (value <= self.min if self.exclusive else value < self.min)

    def above(self, value: float) -> bool:
        return self.max is not None and (value >= self.max if self.exclusive else value > self.max)

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


NOT_DOCUMENTED = DocumentedRange(None, None, "")


def card_range(model: ModelRecord, key: str) -> DocumentedRange | None:
    """The range the card documents for metric `key`, with the lines of its bounds."""
    return DocumentedRange.of(model.card.metrics.get(key), "card", lambda side: Where(
        model.card_source, model.card_doc.line_of(("metrics", key, side))))


def slo_range(model: ModelRecord, key: str, slo: ServiceSlo, seed: bool) -> DocumentedRange:
    """The card's bounds; a `min_ratio` of a baseline; the seed's for bounds left out, only
    under `defaults: seed` (basis "seed")."""
    loc = ("service", "slos", key)
    low, high = slo.min, slo.max
    if low is None and slo.min_ratio is not None and slo.baseline is not None:
        low = slo.min_ratio * slo.baseline
    seeded = seed_bounds(slo) if seed else (None, None)
    basis = "card"
    if (low is None and seeded[0] is not None) or (high is None and seeded[1] is not None):
        basis = "seed" if low is None and high is None else "card+seed"
    low = low if low is not None else seeded[0]
    high = high if high is not None else seeded[1]

    def at(written: str | None) -> Where:
        where = (*loc, written) if written else ("service", "defaults")
        return Where(model.card_source, model.card_doc.line_of(where))

    low_key = "min" if slo.min is not None else "min_ratio" if slo.min_ratio else None
    return DocumentedRange(low, high, basis, min_at=at(low_key) if low is not None else None,
                           max_at=at("max" if slo.max is not None else None)
                           if high is not None else None)


def release_range(record: ReleaseRecord, loc: tuple[str | int, ...]) -> DocumentedRange | None:
    """The range a release writes for its metric at `loc` (`("metrics", key)` or
    `("segments", i, "metrics", key)`), with the lines of its bounds."""
    release = record.release
    metrics = release.segments[int(loc[1])].metrics if loc[0] == "segments" else release.metrics
    return DocumentedRange.of(metrics.get(str(loc[-1])), at=lambda side: Where(
        record.source, record.doc.line_of((*loc, side))))


def applicable(release: DocumentedRange | None,
               card: DocumentedRange | None) -> DocumentedRange:
    """The range that applies to a release's metric: a hand-written release range > the card's
    range > the range the training run declared (possibly not documented at all)."""
    if release is not None and release.defined and release.basis == "hand-written":
        return release
    if card is not None and card.defined:
        return card
    return release or NOT_DOCUMENTED


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
    range: DocumentedRange
    status: Status
    message: str
    source: str  # file that documents the range, relative to the project
    line: int | None  # line of the range (or of the value when no range)
    kind: Kind = "release"
    window: str | None = None  # monitoring window of a live check
    severity: str | None = None  # P1–P4/info/none when the source states one (live checks)
    dataset: str | None = None  # data dictionary of a "dictionary" check
    evidence: tuple[Found, ...] = ()  # a profile requirement's selectors, in order
    subject: Subject = field(kw_only=True)

    @property
    def failed(self) -> bool:
        return self.status == "fail"


def metric_label(card: Card, key: str, metric: MetricValue | None = None) -> str:
    if metric is not None and metric.label:
        return metric.label
    definition = card.metrics.get(key)
    return definition.label if definition and definition.label else key


def strictly(results: Iterable[CheckResult]) -> list[CheckResult]:
    """`--strict`: every warning becomes a failure (the message is kept), and so does a
    documented metric the release never measured."""
    return [replace(r, status="fail") if r.status == "warn" or unmeasured(r) else r
            for r in results]


def unmeasured(r: CheckResult) -> bool:
    """A metric the card documents and the release has no value for (checks/metrics.py)."""
    return r.kind == "release" and r.status == "insufficient_data" and r.value is None


def worst(results: Iterable[CheckResult]) -> Status | None:
    statuses: list[Status] = [r.status for r in results]
    return min(statuses, key=lambda s: STATUS_ORDER[str(s)]) if statuses else None


# The release gate (checks/gate.py): a candidate against its ranges and the serving version
GateVerdict = Literal["pass", "regression", "not_compared"]


@dataclass(frozen=True)
class Comparison:
    """One metric of a candidate against the serving version, with its verdict."""

    metric: str
    label: str
    candidate: float | None  # None: a segment of the predictions not computed
    serving: float | None
    difference: float | None  # candidate - serving
    margin: float
    stderr: float | None  # of the difference, when known
    z: float | None  # (drop - margin) / stderr; > 1.645 is a significant regression
    verdict: GateVerdict
    basis: str  # how it was decided: the test and why, or why not compared
    segment: str | None = None  # None: the whole evaluation set
    test: str = "point estimates"  # exact McNemar, DeLong, Hanley-McNeil, ...
    p_value: float | None = None  # one-sided, H0: not worse than the margin
    p_adjusted: float | None = None  # Holm over the gate's tested rows


@dataclass
class GateResult:
    """The promotion gate of a candidate version: its checks and comparisons."""

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
