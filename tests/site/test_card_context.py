"""The card page's context is built whole, in one call (site/cards.py)."""

from __future__ import annotations

from pathlib import Path
from typing import get_type_hints

from govkit.checks.project import check_project
from govkit.site.cards import CardContext, CardParts, card_context
from govkit.sources.project import load_project


def test_a_card_context_has_every_field_the_type_declares_and_no_other(example: Path) -> None:
    project = load_project(example)
    model = project.models[0]
    assert model.serving is not None
    checks = [r for r in check_project(project) if r.kind == "release"
              and r.model == model.name and r.version == model.serving.release.version]
    parts = CardParts(dictionaries=[{"title": "d"}], training_guide=None, experiments=[],
                      monitoring={"window": "w"}, tags=["status: ok"])
    ctx = card_context(project, model, model.serving, checks, parts, latest=True)
    assert set(ctx) == set(get_type_hints(CardContext))
    assert ctx["dictionaries"] == [{"title": "d"}] and ctx["monitoring"] == {"window": "w"}
    assert "tags: [\"status: ok\"]" in ctx["header"]  # the tags reach the front matter
