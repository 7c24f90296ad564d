"""The real `mkdocs build --strict` with mkdocs-material, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main
from govkit.commands.build import build
from tests.conftest import snapshot


def test_example_site_builds_strict_and_offline(example: Path) -> None:
    build(example, html=True)
    html_dir = example.parent / "build/site-html"
    card = (html_dir / "models/churn/index.html").read_text()
    assert "Model Card: Churn Prediction v2.3.0" in card
    assert "Performs poorly for users with &lt;10 sessions (AUC drops to 0.72)" in card
    upsell = (html_dir / "models/upsell/index.html").read_text()
    assert 'class="admonition failure"' in upsell
    assert "gk-fail" in upsell and "<svg" in upsell  # Material icon inlined, not an emoji glyph
    for page in html_dir.rglob("*.html"):
        text = page.read_text()
        assert "fonts.googleapis.com" not in text, page
        assert "cdn.jsdelivr" not in text, page


def test_failed_site_build_keeps_previous_site(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(example), "build", "--html"]) == 0
    html_dir = example.parent / "build/site-html"
    before = snapshot(html_dir)
    # a hand-written page with a broken link makes strict mkdocs fail
    (example.parent / "site/notes.md").write_text("# Notes\n\n[broken](missing.md)\n")
    capsys.readouterr()
    assert main(["-C", str(example), "build", "--html"]) == 2
    assert "mkdocs build --strict failed" in capsys.readouterr().err
    assert snapshot(html_dir) == before


def test_every_list_item_is_its_own_bullet(example: Path) -> None:
    """Limitations with three items are three <li>, not one run-together line."""
    import re

    build(example, html=True)
    card = (example.parent / "build/site-html/models/churn/index.html").read_text()
    section = card.split('id="limitations"')[1].split("<h2")[0]
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    assert items == ["Performs poorly for users with &lt;10 sessions (AUC drops to 0.72)",
                     "Seasonal effects not fully captured (holiday periods)",
                     "Does not account for promotional offers"]
