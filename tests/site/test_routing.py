"""Check results reach their pages by what they judge (a typed subject), not by their ids."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.checks.results import ModelSubject, SystemSubject, VersionSubject
from govkit.site.pages import _Checks, _route
from govkit.sources.project import load_project


def test_every_check_of_the_example_has_a_page(example: Path) -> None:
    results = check_project(load_project(example))
    groups = {_route(r)[0] for r in results}
    assert groups == {"by_release", "by_window", "governance", "by_guide", "documents",
                      "by_dataset", "by_system", "by_experiment", "profiles"}
    grouped = _Checks.group(results, {})
    churn = next(r for r in results if r.kind == "release" and r.model == "churn")
    assert isinstance(churn.subject, VersionSubject)
    assert churn in grouped.by_release[("churn", churn.subject.version)]
    system = next(r for r in results if r.kind == "architecture")
    assert isinstance(system.subject, SystemSubject)
    assert system in grouped.by_system[system.subject.system]


def test_an_id_does_not_move_a_check_to_another_page(example: Path) -> None:
    """An id that reads like an experiment's stays with the model it judges."""
    results = check_project(load_project(example))
    card = next(r for r in results if r.kind == "document"
                and isinstance(r.subject, ModelSubject))
    moved = replace(card, id="experiment/churn-depth/owner")
    assert _route(moved) == ("documents", card.subject.model)


def test_a_subject_and_kind_without_a_page_fails_loudly(example: Path) -> None:
    results = check_project(load_project(example))
    release = next(r for r in results if r.kind == "release")
    with pytest.raises(KeyError):
        _route(replace(release, kind="architecture"))
