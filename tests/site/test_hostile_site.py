"""A pull request's data cannot put script into the site (issue 8, items 1 and 2).

Every string field of a card, a release (MLflow provenance included) and a monitoring result
carries an attack; the real `mkdocs build --strict` must produce pages with no event handler,
no script URL and no script but the theme's."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govkit.cli import main
from govkit.commands.build import build
from govkit.site.sanitize import sanitize
from tests.conftest import REPO, examples
from tests.hostile import ATTACKS, is_theme_script, make_hostile, page_problems, theme_scripts


@pytest.fixture(scope="module")
def known_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    clean = tmp_path_factory.mktemp("clean")
    shutil.copytree(REPO / "examples", clean / "examples",
                    ignore=shutil.ignore_patterns("*.db", "mlruns", "__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", clean / "mkdocs.yml")
    build(clean / "examples", html=True)
    return theme_scripts(clean / "build/site-html")


def _problems(example: Path, known: set[str]) -> dict[str, list[str]]:
    site = example.parent / "build/site-html"
    out = {}
    for page in sorted(site.rglob("*.html")):
        found = page_problems(page.read_text(encoding="utf-8"), is_theme_script(known))
        if found:
            out[page.relative_to(site).as_posix()] = found
    return out


def test_every_field_hostile_builds_a_clean_site(example: Path, known_scripts: set[str]) -> None:
    make_hostile(example)
    assert main(["-C", str(example), "build", "--html"]) == 0
    assert _problems(example, known_scripts) == {}
    card = (example.parent / "build/site-html/models/churn/index.html").read_text()
    assert "onfocus=alert(1) autofocus" in card  # shown as text, not dropped
    runbook = (example.parent / "build/site-html/models/churn/runbooks/"
               "auc-degradation.html").read_text()
    assert "alert(" in runbook and "Waivers" in runbook  # hostile alert texts, shown as text
    experiment = (example.parent / "build/site-html/experiments/churn-depth.html").read_text()
    assert "alert(" in experiment and "Sweep:" in experiment  # runs, params, decision as text


def test_the_check_can_fail(example: Path, known_scripts: set[str]) -> None:
    """A page planted in the built site after the sanitizer ran (since issue 21 every page of
    the build is sanitized, hand-written ones too) is caught."""
    assert main(["-C", str(example), "build", "--html"]) == 0
    site = example.parent / "build/site-html"
    page = (site / "index.html").read_text()
    (site / "notes.html").write_text(page.replace(
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset"><img src=x onerror=alert(1)>'
        '<script>alert(2)</script>', 1))
    assert _problems(example, known_scripts) == {"notes.html": [
        "<img onerror='alert(1)'>", "script 'inline:alert(2)'", "<script> in the page content"]}


def test_hostile_title_stays_text_in_tab_navigation_and_search(
    example: Path, known_scripts: set[str]
) -> None:
    """Titles reach the theme through front matter, which Material prints unescaped."""
    attack = "</title><script>alert(1)</script><img src=x onerror=alert(2)> & \"q\" \\"
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace("title: Churn Prediction",
                                             "title: " + json.dumps(attack)))
    build(example, html=True)
    assert _problems(example, known_scripts) == {}
    site = example.parent / "build/site-html"
    page = (site / "models/churn/index.html").read_text()
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and html.unescape(title.group(1)).startswith(attack)
    index = json.loads((site / "search/search_index.json").read_text())
    assert any(html.unescape(d["title"]) == attack for d in index["docs"])


@settings(max_examples=examples(3), deadline=None, suppress_health_check=list(HealthCheck))
@example(seed=0, extra=["1"] * 300)  # a slug-shaped attack in a reference to a model
@given(seed=st.integers(0, len(ATTACKS) - 1),
       extra=st.lists(st.text(alphabet=st.sampled_from(list("{}:=<>\"'` \n#!-.onclick()1")),
                              min_size=1, max_size=30), max_size=4))
def test_generated_attacks_in_every_field(tmp_path_factory: pytest.TempPathFactory,
                                          known_scripts: set[str], seed: int,
                                          extra: list[str]) -> None:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(REPO / "examples", root / "examples",
                    ignore=shutil.ignore_patterns("*.db", "mlruns", "__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    make_hostile(root / "examples", seed, extra)
    build(root / "examples", html=True)
    assert _problems(root / "examples", known_scripts) == {}


def test_sanitizer_removes_what_escaping_might_miss() -> None:
    dirty = ('<p onclick="x">a<script>alert(1)</script><a href="javascript:alert(2)">l</a>'
             '<img src="data:image/svg+xml,x" onerror="y"><span class="twemoji evil">i</span>'
             '<iframe src="http://x"></iframe></p>')
    assert sanitize(dirty) == '<p>a<a>l</a><img><span class="twemoji">i</span></p>'


def test_sanitizer_keeps_every_legitimate_page_intact(example: Path) -> None:
    """The example's pages come out of the sanitizer with the same elements, attributes and
    text: the allowlist covers what the templates and Material produce."""
    import re

    build(example, html=True)
    for page in (example.parent / "build/site-html").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>',
                          html, re.S)
        if match is None:
            continue
        article = re.sub(r"<!--.*?-->", "", match.group(1), flags=re.S)
        again = sanitize(article)
        assert _shape(again) == _shape(article), page


def _shape(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    from tests.hostile import _Elements

    parser = _Elements()
    parser.feed(html)
    return [(t, sorted((k, v) for k, v in a if k != "style")) for t, a in parser.elements]


def test_html_build_refuses_a_site_without_the_sanitizer(example: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    config = example.parent / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - govkit", "  - tags\n  #"))
    assert main(["-C", str(example), "build", "--html"]) == 2
    err = capsys.readouterr().err
    assert "mkdocs.yml: plugins: the `govkit` plugin is not enabled" in err
    assert not (example.parent / "build/site-html").exists()
    assert not (example.parent / "site").exists()
