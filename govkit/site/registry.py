"""The page registry: each page template and the one builder that returns its whole context,
as a typed object (a TypedDict the template reads; plain data at run time). `pages.py`
renders every page through it: `CARD.page(env, ...)` builds the context and renders it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

from jinja2.sandbox import SandboxedEnvironment

from govkit.site.architecture import architecture_context
from govkit.site.cards import card_context, history_context, unreleased_context
from govkit.site.compare import compare_context
from govkit.site.dictionary import dictionary_context
from govkit.site.dossier import dossier_context
from govkit.site.experiments import experiment_context
from govkit.site.home import index_context, tag_context
from govkit.site.jinja import render
from govkit.site.monitoring import monitoring_context
from govkit.site.operations import alerts_context, incidents_context
from govkit.site.profiles import profile_context
from govkit.site.runbooks import monitoring_banner, runbook_context
from govkit.site.training import training_context

P = ParamSpec("P")
C = TypeVar("C", bound=Mapping[str, Any])


@dataclass(frozen=True)
class PageType(Generic[P, C]):
    """A page template and its context builder."""

    template: str
    builder: Callable[P, C]

    def page(self, env: SandboxedEnvironment, *args: P.args, **kwargs: P.kwargs) -> str:
        """The page's text: its context built from the arguments, then rendered."""
        return render(env, self.template, **self.builder(*args, **kwargs))


@dataclass(frozen=True)
class BlockType(Generic[P, C]):
    """A block template some pages carry, and its builder (None: no block)."""

    template: str
    builder: Callable[P, C | None]

    def block(self, env: SandboxedEnvironment, *args: P.args, **kwargs: P.kwargs) -> str | None:
        context = self.builder(*args, **kwargs)
        return None if context is None else render(env, self.template, **context)


ALERTS = PageType("alerts.md.j2", alerts_context)
ARCHITECTURE = PageType("architecture.md.j2", architecture_context)
CARD = PageType("card.md.j2", card_context)
COMPARE = PageType("compare.md.j2", compare_context)
DICTIONARY = PageType("dictionary.md.j2", dictionary_context)
DOSSIER = PageType("dossier.md.j2", dossier_context)
EXPERIMENT = PageType("experiment.md.j2", experiment_context)
HISTORY = PageType("history.md.j2", history_context)
INCIDENTS = PageType("incidents.md.j2", incidents_context)
INDEX = PageType("index.md.j2", index_context)
MONITORING = PageType("monitoring.md.j2", monitoring_context)
PROFILE = PageType("profile.md.j2", profile_context)
RUNBOOK = PageType("runbook.md.j2", runbook_context)
RUNBOOK_BANNER = BlockType("runbook_banner.md.j2", monitoring_banner)  # only if alerts fire
TAG = PageType("tag.md.j2", tag_context)
TRAINING = PageType("training.md.j2", training_context)
UNRELEASED = PageType("unreleased.md.j2", unreleased_context)

_ALL: tuple[PageType[Any, Any] | BlockType[Any, Any], ...] = (
    ALERTS, ARCHITECTURE, CARD, COMPARE, DICTIONARY, DOSSIER, EXPERIMENT, HISTORY, INCIDENTS,
    INDEX, MONITORING, PROFILE, RUNBOOK, RUNBOOK_BANNER, TAG, TRAINING, UNRELEASED,
)
PAGE_BUILDERS: dict[str, Callable[..., Any]] = {kind.template: kind.builder for kind in _ALL}
