"""Project + check results -> every page of the site, rendered in memory. Pure: no I/O.

The site never runs checks: it receives the results `checks.check_project` computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from govkit.checks.results import (
    STATUS_ORDER,
    CheckResult,
    DatasetSubject,
    ExperimentSubject,
    Kind,
    ModelSubject,
    ProfileSubject,
    Subject,
    SystemSubject,
    VersionSubject,
    WindowSubject,
)
from govkit.model import ModelRecord, ProfileRecord, Project, SiteConfig
from govkit.site import registry as kinds
from govkit.site.architecture import diagram_path
from govkit.site.architecture import page_path as system_page
from govkit.site.badge import badge_svg
from govkit.site.card_parts import FailingCheck, RulesLine
from govkit.site.cards import CardParts
from govkit.site.charts import trend_svg
from govkit.site.curves import curve_files, training_curves
from govkit.site.diagram import flow_svg
from govkit.site.dictionary import card_dictionaries, page_path
from govkit.site.dossier import DossierChecks
from govkit.site.dossier_paths import page_path as dossier_page
from govkit.site.evidence import failing_check
from govkit.site.experiments import card_experiments
from govkit.site.experiments import page_path as experiment_page
from govkit.site.fleet import FleetRow, as_of, by_tag, failing_first, fleet_row, status_json
from govkit.site.home import home_sources
from govkit.site.jinja import make_env, render
from govkit.site.monitoring import card_monitoring, charts
from govkit.site.operations import card_operations
from govkit.site.plain import check_data
from govkit.site.profiles import coverage_table
from govkit.site.profiles import page_path as profile_page
from govkit.site.rules_lines import on_card, rules_lines
from govkit.site.segment_charts import segment_chart_files, segment_charts
from govkit.site.status import word
from govkit.site.tag_links import tag_page
from govkit.site.training import card_training_guide, page_name
from govkit.site.trends import render_trends, version_trends, window_trends


@dataclass(frozen=True)
class Page:
    """One generated page: its path and content."""

    path: str  # relative to the docs folder, posix
    content: str | bytes


@dataclass
class _Checks:
    """Check results grouped the way pages read them."""

    by_release: dict[tuple[str, str], list[CheckResult]]
    by_window: dict[tuple[str, str], list[CheckResult]]
    governance: dict[str, list[CheckResult]]
    by_dataset: dict[str, list[CheckResult]]
    by_guide: dict[str, list[CheckResult]]
    by_system: dict[str, list[CheckResult]]
    by_experiment: dict[str, list[CheckResult]]
    documents: dict[str, list[CheckResult]]  # a model's card and versions without one
    profiles: dict[tuple[str, str], list[CheckResult]]  # (model, profile) -> requirements
    versions: dict[tuple[str, str, str], dict[str, str]]  # (model, version, profile) -> words

    @classmethod
    def group(cls, results: list[CheckResult],
              versions: dict[tuple[str, str, str], dict[str, str]]) -> _Checks:
        grouped = cls({}, {}, {}, {}, {}, {}, {}, {}, {}, versions)
        for r in results:
            group, key = _route(r)
            getattr(grouped, group).setdefault(key, []).append(r)
        return grouped


# (what a check judges, its rule family) -> the group of _Checks whose pages show it, and the
# group's key. Every pair the rules make is here; a new one fails loudly, not on a wrong page.
_ROUTES: dict[tuple[type[Subject], Kind], tuple[str, Callable[[Any], Hashable]]] = {
    (VersionSubject, "release"): ("by_release", lambda s: (s.model, s.version)),
    (WindowSubject, "monitoring"): ("by_window", lambda s: (s.model, s.window)),
    (ModelSubject, "governance"): ("governance", lambda s: s.model),
    (ModelSubject, "training"): ("by_guide", lambda s: s.model),
    (ModelSubject, "document"): ("documents", lambda s: s.model),
    (VersionSubject, "document"): ("documents", lambda s: s.model),  # a version without a card
    (DatasetSubject, "dictionary"): ("by_dataset", lambda s: s.dataset),
    (SystemSubject, "architecture"): ("by_system", lambda s: s.system),
    (ExperimentSubject, "document"): ("by_experiment", lambda s: s.experiment),
    (ProfileSubject, "governance"): ("profiles", lambda s: (s.model, s.profile)),
}


def _route(r: CheckResult) -> tuple[str, Hashable]:
    group, key = _ROUTES[(type(r.subject), r.kind)]
    return group, key(r.subject)


def build_pages(
    project: Project, results: list[CheckResult], site: SiteConfig | None = None,
    revision: str | None = None,
    coverage: dict[tuple[str, str, str], dict[str, str]] | None = None,
) -> list[Page]:
    """Every generated page of the site, rendered in memory and sorted by path; `site`: what
    the mkdocs config says (page URLs for `status.json`, Material's tags plugin); `revision`:
    the git revision dossier covers name (`build --revision`; else only the inputs digest);
    `coverage`: checks.profiles.versions_coverage, each non-serving version's profile
    coverage (without it their dossiers show the serving version's, and say so)."""
    site = site or SiteConfig()
    env = make_env(project.path(project.config.templates_dir), project.root)
    checks = _Checks.group(results, coverage or {})
    pages: list[Page] = [Page("assets/govkit.css", render(env, "govkit.css"))]
    today = as_of(project)
    rows: list[FleetRow] = []
    failing: list[FailingCheck] = []
    judged: list[CheckResult] = []  # serving releases and latest windows
    for model in project.models:
        main = model.serving  # the serving release, else the latest
        window = model.latest_window
        live = checks.by_window.get((model.name, window.result.window), []) if window else []
        release_checks = checks.by_release.get((model.name, main.release.version), []) \
            if main else []
        version = main.release.version if main else None
        alerts = bool(model.ops.alerts)
        # documents of the model judge it too: its governance rules and training guide
        governance = checks.governance.get(model.name, []) + checks.documents.get(model.name, [])
        guide = checks.by_guide.get(model.name, [])
        rules = rules_lines(governance, guide, version, alerts)
        row = fleet_row(model, release_checks, live, today, rules)
        rows.append(row)
        # the tags plugin lists the model's card under its tags and its status
        tags = [f"status: {word(row['status'])}", *row["tags"]] if site.tags else []
        pages.extend(_model_pages(env, project, model, checks, tags, revision, rules))
        pages.append(Page(row["badge"], badge_svg(model.name, row["status"])))
        model_checks = release_checks + live + guide + governance
        failing += [failing_check(c, version, alerts)
                    for c in sorted((c for c in model_checks if c.failed),
                                    key=lambda c: (STATUS_ORDER[c.status], c.id))]
        judged.extend(release_checks + live)  # the metrics the home banner counts
    for uncarded in project.uncarded:  # versions without a card judge the fleet too
        failing += [failing_check(c, None, False)
                    for c in checks.documents.get(uncarded.name, []) if c.failed]
    for experiment in project.experiments:
        pages.append(Page(experiment_page(experiment.name), kinds.EXPERIMENT.page(
            env, project, experiment, checks.by_experiment.get(experiment.name, []))))
    for record in project.datasets:
        pages.append(Page(page_path(record.name), kinds.DICTIONARY.page(
            env, project, record, checks.by_dataset.get(record.name, []))))
    for system in project.systems:
        pages.append(Page(system_page(system.name), kinds.ARCHITECTURE.page(
            env, project, system, checks.by_system.get(system.name, []))))
        pages.append(Page(diagram_path(system.name), flow_svg(system.system)))
    rows = failing_first(rows)
    tagged = by_tag(rows)
    for tag, members in tagged.items():
        pages.append(Page(tag_page(tag), kinds.TAG.page(env, project, tag, members)))
    pages.append(Page("status.json", status_json(rows, today, ", ".join(home_sources(project)),
                                                 site.html_pages)))
    pages.append(Page("index.md", kinds.INDEX.page(
        env, project, rows, failing, judged, tagged, coverage_table(project, checks.profiles),
        today)))
    return sorted(pages, key=lambda p: p.path)


def _model_pages(
    env: SandboxedEnvironment, project: Project, model: ModelRecord, checks: _Checks,
    tags: list[str], revision: str | None = None, rules: list[RulesLine] | None = None,
) -> list[Page]:
    base = f"models/{model.name}"
    pages = []
    dictionary_checks = [r for v in checks.by_dataset.values() for r in v]
    guide_checks = checks.by_guide.get(model.name, [])
    window = model.latest_window
    live = checks.by_window.get((model.name, window.result.window), []) if window else []
    name = window.result.window if window else None  # the window that judges the main page
    main = model.serving  # the main page's release: the serving one, else the latest
    for record in model.releases:
        parts = CardParts(
            dictionaries=card_dictionaries(project, model, dictionary_checks, "../"),
            training_guide=card_training_guide(model, guide_checks, "../"),
            experiments=card_experiments(project, model.name, checks.by_experiment, "../"))
        card = kinds.CARD.page(env, project, model, record,
                               checks.by_release.get((model.name, record.release.version), []),
                               parts, latest=False, live=live if record is main else None,
                               window=name)
        pages.append(Page(f"{base}/versions/{record.release.version}.md", card))
        curves = training_curves(
            model, record, checks.by_release.get((model.name, record.release.version), []))
        pages.extend(Page(rel, data) for rel, data in curve_files(f"{base}/versions",
                                                                  curves).items())
        segments = segment_charts(
            model, record, checks.by_release.get((model.name, record.release.version), []))
        pages.extend(Page(rel, data) for rel, data in segment_chart_files(f"{base}/versions",
                                                                          segments).items())
    pages.extend(_monitoring_pages(env, model, checks))
    for profile in project.profiles:
        text = kinds.PROFILE.page(env, project, model, profile,
                                  checks.profiles.get((model.name, profile.profile.id), []))
        pages.append(Page(profile_page(model.name, profile.profile.id), text))
    governance = checks.governance.get(model.name, [])
    pages.extend(_operation_pages(env, project, model, governance, live))
    if main is not None:
        parts = CardParts(
            dictionaries=card_dictionaries(project, model, dictionary_checks, ""),
            training_guide=card_training_guide(model, guide_checks, ""),
            experiments=card_experiments(project, model.name, checks.by_experiment, ""),
            monitoring=card_monitoring(model, window, live) if window is not None else None,
            operations=card_operations(project, model, governance, live), tags=tags,
            rules=on_card(rules or [], model.name),
            documents=[check_data(c) for c in sorted(checks.documents.get(model.name, []),
                                                     key=lambda c: c.id)])
        card = kinds.CARD.page(env, project, model, main,
                               checks.by_release.get((model.name, main.release.version), []),
                               parts, latest=True, live=live, window=name)
        pages.append(Page(f"{base}/index.md", card))
    else:
        pages.append(Page(f"{base}/index.md", kinds.UNRELEASED.page(env, model)))
    for record in model.releases:  # a dossier per version and profile
        version = record.release.version
        inputs: DossierChecks = {
            "release": checks.by_release.get((model.name, version), []),
            "live": {w: r for (m, w), r in checks.by_window.items() if m == model.name},
            "guide": guide_checks, "governance": governance, "profiles": checks.profiles,
            "versions": checks.versions}
        profiles: list[ProfileRecord | None] = list(project.profiles) or [None]
        for by in profiles:
            pages.append(Page(
                dossier_page(model.name, version, by.profile.id if by else None),
                kinds.DOSSIER.page(env, project, model, record, by, inputs, revision)))
    if model.training_guide is not None:
        pages.append(Page(f"{base}/{page_name()}", kinds.TRAINING.page(
            env, model, model.training_guide, guide_checks)))
    trends, images = render_trends(
        version_trends(model, checks.by_release) + window_trends(model, checks.by_window),
        trend_svg)
    pages.extend(Page(rel, data) for rel, data in images.items())
    pages.append(Page(f"{base}/compare.md",
                      kinds.COMPARE.page(env, model, checks.by_release)))
    pages.append(Page(f"{base}/history.md",
                      kinds.HISTORY.page(env, model, checks.by_release, live, name, trends)))
    return pages


def _monitoring_pages(
    env: SandboxedEnvironment, model: ModelRecord, checks: _Checks
) -> list[Page]:
    pages = []
    for record in model.monitoring:
        base = f"models/{model.name}/monitoring/{record.result.window}"
        items, images = charts(record, base)
        live = checks.by_window.get((model.name, record.result.window), [])
        text = kinds.MONITORING.page(env, model, record, live, items)
        banner = kinds.RUNBOOK_BANNER.block(env, model, record, live)
        if banner is not None:  # the runbooks of firing alerts come first, under the title
            text = _after_title(text, banner)
        pages.append(Page(f"{base}.md", text))
        pages.extend(Page(rel, data) for rel, data in images.items())
    return pages


def _operation_pages(
    env: SandboxedEnvironment, project: Project, model: ModelRecord,
    governance: list[CheckResult], live: list[CheckResult],
) -> list[Page]:
    """Every runbook, the alerts index and the incident history of one model."""
    base = f"models/{model.name}"
    pages = [Page(f"{base}/runbooks/{alert.id}.md",
                  kinds.RUNBOOK.page(env, project, model, alert, governance, live))
             for alert in model.ops.alerts]
    if model.ops.alerts:
        pages.append(Page(f"{base}/runbooks/index.md",
                          kinds.ALERTS.page(env, project, model, governance, live)))
    if model.ops.incidents:
        pages.append(Page(f"{base}/incidents.md", kinds.INCIDENTS.page(env, project, model)))
    return pages


def _after_title(page: str, block: str) -> str:
    """`block` inserted after the page's first `# ` heading (and its blank line)."""
    lines = page.split("\n")
    at = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1) + 1
    if at and at < len(lines) and lines[at] == "":
        at += 1
    return "\n".join([*lines[:at], block.rstrip("\n"), "", *lines[at:]])
