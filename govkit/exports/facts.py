"""What every export says about one model version, gathered once from the records and the
check results, so the Hub card, the BOM and the MLflow summary cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from govkit.checks.results import (
    STATUS_ORDER,
    CheckResult,
    DocumentedRange,
    VersionSubject,
    WindowSubject,
    applicable,
    card_range,
    metric_label,
    release_range,
    worst,
)
from govkit.formatting import page_url
from govkit.model import DatasetRecord, ModelRecord, Project, ReleaseRecord
from govkit.schemas.release import MetricValue


@dataclass(frozen=True)
class MetricFact:
    """One documented value of a release: the aggregate (segment None) or a segment's."""

    key: str
    label: str
    segment: str | None
    value: float
    ci: tuple[float, float] | None
    sample_size: int | None
    range: DocumentedRange
    status: str | None  # the release check's status (None: not checked)
    description: str | None


@dataclass(frozen=True)
class LiveFact:
    """The newest monitoring window that scored this version, and its worst live result."""

    window: str
    status: str
    failing: tuple[str, ...]  # labels of failing live checks, e.g. 'AUC-ROC (New Users)'


@dataclass(frozen=True)
class VersionFacts:
    project: Project
    model: ModelRecord
    record: ReleaseRecord
    metrics: tuple[MetricFact, ...]
    verdict: str | None  # worst status of the release's checks
    live: LiveFact | None
    card_url: str | None  # the version's page, when govkit.yaml has site_url
    datasets: tuple[DatasetRecord, ...]

    @property
    def version(self) -> str:
        return self.record.release.version

    @property
    def checked_at(self) -> str:
        """From the input, never the clock: the newest window that judged this version, else
        the release date."""
        return self.live.window if self.live else self.record.release.date.isoformat()

    @property
    def status(self) -> str:
        """The worse of the release verdict and the latest live verdict."""
        found = [s for s in (self.verdict, self.live.status if self.live else None) if s]
        return min(found, key=lambda s: STATUS_ORDER[s]) if found else "not_checked"

    @property
    def failing(self) -> int:
        """Documented checks of this version that fail now (release and latest window)."""
        return (sum(m.status == "fail" for m in self.metrics)
                + (len(self.live.failing) if self.live else 0))

    @property
    def run_id(self) -> str | None:
        training = self.record.release.training
        return training.run.id if training and training.run else None


def version_facts(project: Project, model: ModelRecord, record: ReleaseRecord,
                  results: list[CheckResult], html_pages: bool = True) -> VersionFacts:
    version = record.release.version
    own = [r for r in results if r.kind == "release"
           and r.subject == VersionSubject(model.name, version)]
    status: dict[tuple[str, str | None], str] = {(r.metric, r.segment): r.status for r in own}
    site_url = project.config.site_url
    url = (f"{site_url.rstrip('/')}/"
           f"{page_url(f'models/{model.name}/versions/{version}.md', html_pages)}"
           if site_url else None)
    return VersionFacts(project, model, record, _metrics(model, record, status),
                        worst(own), _live(model, record, results), url,
                        tuple(project.datasets_of(model.name)))


def _metrics(model: ModelRecord, record: ReleaseRecord,
             status: dict[tuple[str, str | None], str]) -> tuple[MetricFact, ...]:
    release = record.release
    out = [_fact(model, record, key, value, None, ("metrics", key), status)
           for key, value in release.metrics.items()]
    for index, segment in enumerate(release.segments):
        out += [_fact(model, record, key, value, segment.name,
                      ("segments", index, "metrics", key), status)
                for key, value in segment.metrics.items()]
    return tuple(out)


def _fact(model: ModelRecord, record: ReleaseRecord, key: str, value: MetricValue,
          segment: str | None, loc: tuple[str | int, ...],
          status: dict[tuple[str, str | None], str]) -> MetricFact:
    definition = model.card.metrics.get(key)
    return MetricFact(
        key=key, label=metric_label(model.card, key, value), segment=segment,
        value=value.value, ci=tuple(value.ci) if value.ci else None,  # type: ignore[arg-type]
        sample_size=value.sample_size,
        range=applicable(release_range(record, loc), card_range(model, key)),
        status=status.get((key, segment)),
        description=definition.description if definition else None)


def _live(model: ModelRecord, record: ReleaseRecord,
          results: list[CheckResult]) -> LiveFact | None:
    windows = [w for w in model.monitoring if model.window_release(w) is record]
    if not windows:
        return None
    name = windows[-1].result.window
    live = [r for r in results if r.subject == WindowSubject(model.name, name)]
    found = worst(live)
    if found is None:
        return None
    failing = tuple(r.label + (f" ({r.segment})" if r.segment else "")
                    for r in live if r.failed)
    return LiveFact(name, found, failing)


def releases_of(model: ModelRecord, version: str | None) -> list[ReleaseRecord]:
    """The chosen release (None: the serving one) as a list; [] when it does not exist."""
    if version is None:
        return [model.serving] if model.serving else []
    found = model.release(version)
    return [found] if found else []
