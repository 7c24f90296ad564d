"""A generated fleet, built once per session with `build --html`, for the fleet-scale pages;
and the Chromium a browser test module shares (`chrome`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import site_chrome
from tests.fleet import make_fleet

MODELS = 30  # more than one navigation group (site/nav.py GROUP)


@pytest.fixture(scope="session")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The built fleet's site-html folder and its failing models (models 0, 3, 6, ... fail
    AUC-ROC in their release, the even ones precision@10 too), in the dashboard's order.
    Read it only."""
    from govkit.commands.build import build

    root = tmp_path_factory.mktemp("fleet")
    failing = make_fleet(root, MODELS)
    build(root, html=True)
    return root / "build/site-html", failing


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Chromium per test module; a module that needs another window or flags defines its
    own `chrome`."""
    yield from site_chrome(tmp_path_factory)
