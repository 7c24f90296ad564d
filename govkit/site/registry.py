"""The page registry: each page template and the one builder that returns its whole context,
as a typed object (a TypedDict the template reads; plain data at run time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from govkit.site.architecture import architecture_context
from govkit.site.cards import card_context, history_context, unreleased_context
from govkit.site.compare import compare_context
from govkit.site.dictionary import dictionary_context
from govkit.site.dossier import dossier_context
from govkit.site.experiments import experiment_context
from govkit.site.home import index_context, tag_context
from govkit.site.monitoring import monitoring_context
from govkit.site.operations import alerts_context, incidents_context
from govkit.site.profiles import profile_context
from govkit.site.runbooks import monitoring_banner, runbook_context
from govkit.site.training import training_context

PAGE_BUILDERS: dict[str, Callable[..., Any]] = {
    "alerts.md.j2": alerts_context,
    "architecture.md.j2": architecture_context,
    "card.md.j2": card_context,
    "compare.md.j2": compare_context,
    "dictionary.md.j2": dictionary_context,
    "dossier.md.j2": dossier_context,
    "experiment.md.j2": experiment_context,
    "history.md.j2": history_context,
    "incidents.md.j2": incidents_context,
    "index.md.j2": index_context,
    "monitoring.md.j2": monitoring_context,
    "profile.md.j2": profile_context,
    "runbook.md.j2": runbook_context,
    "runbook_banner.md.j2": monitoring_banner,  # None: no alert fires, no banner
    "tag.md.j2": tag_context,
    "training.md.j2": training_context,
    "unreleased.md.j2": unreleased_context,
}
