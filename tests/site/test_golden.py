"""Rendered pages against golden files.

Regenerate after an intended change, then review the diff like any other change:
    GOVKIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/site/test_golden.py
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from govkit.commands.build import build
from tests.conftest import REPO, snapshot

GOLDEN = Path(__file__).parents[1] / "golden"
UPDATE = os.environ.get("GOVKIT_UPDATE_GOLDEN") == "1"


SVG = "{http://www.w3.org/2000/svg}"


def chart_data(svg: bytes) -> bytes:
    """What a chart says, without how it is drawn: its title, its description (the values,
    the allowed range and the failures, as screen readers get them) and every text it shows
    (axis ticks and labels). A chart's golden is this, so a change of colour, size or layout
    shows only in the committed site/, which is compared byte for byte."""
    root = ET.fromstring(svg)
    lines = [f"{el.tag.removeprefix(SVG)}: {' '.join(''.join(el.itertext()).split())}"
             for el in root.iter() if el.tag in (f"{SVG}title", f"{SVG}desc", f"{SVG}text")]
    return "\n".join(lines).encode() + b"\n"


def _goldens(actual: dict[str, bytes]) -> dict[str, bytes]:
    return {f"{rel}.txt" if rel.endswith(".svg") else rel:
            chart_data(data) if rel.endswith(".svg") else data for rel, data in actual.items()}


def _compare(actual: dict[str, bytes], folder: Path) -> None:
    actual = _goldens(actual)
    if UPDATE:
        for rel, data in actual.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
    expected = snapshot(folder)
    assert sorted(actual) == sorted(expected)
    for rel in actual:
        if rel.endswith(".png"):
            assert actual[rel] == expected[rel], rel
        else:
            assert actual[rel].decode() == expected[rel].decode(), rel


def test_example_pages_match_golden(example: Path) -> None:
    """Every page type: home, latest card, per-version cards, history (with segments)."""
    build(example)
    pages = {k: v for k, v in snapshot(example.parent / "site").items()
             if not k.startswith(".")}
    _compare(pages, GOLDEN / "example")


def test_unreleased_model_page_matches_golden(tmp_path: Path) -> None:
    from govkit.commands.init import init_project

    init_project(tmp_path, "Unreleased")
    (tmp_path / "models/example/releases/1.0.0.yaml").unlink()
    build(tmp_path)
    page = (tmp_path / "docs/models/example/index.md").read_bytes()
    _compare({"unreleased.md": page}, GOLDEN / "unreleased")


@pytest.mark.skipif(UPDATE, reason="updating goldens")
def test_committed_site_is_up_to_date(example: Path) -> None:
    """site/ is committed so pull requests show how cards change: it must match a fresh build."""
    build(example)
    fresh = snapshot(example.parent / "site")
    committed = {k: v for k, v in snapshot(REPO / "site").items() if k in fresh}
    assert committed == fresh, "run `govkit -C examples build` and commit site/"
