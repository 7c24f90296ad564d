"""Prose fields are restricted Markdown (issue 11, finding 9): emphasis, inline code, links and
lists work; raw HTML, extension syntax, script links and Jinja syntax show as written.

Same harness as `test_escape.py`: the site's real Markdown extensions, an HTML parse of the
result, and hostile text from the same token list."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.site.escape import front_matter, prose, prose_line
from tests.conftest import examples
from tests.site.test_escape import HOSTILE, _parse, _render, _visible

INLINE_TAGS = {"em", "strong", "code", "a"}
BLOCK_TAGS = INLINE_TAGS | {"p", "ul", "ol", "li"}
SCHEMES = ("http://", "https://", "mailto:")
NOT_SHOWN = set("*_`' ")  # emphasis and code delimiters; code() turns ` inside code into '


def _attrs_ok(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    if tag == "a":
        return [a for a, _ in attrs] == ["href"] and (attrs[0][1] or "").startswith(SCHEMES)
    return not attrs


def _shown(text: str) -> str:
    return "".join(c for c in _visible(text) if c not in NOT_SHOWN)


@settings(max_examples=examples(300), deadline=None)
@given(HOSTILE)
def test_prose_line_adds_only_inline_markup(text: str) -> None:
    escaped = str(prose_line(text))
    assert "\n" not in escaped
    for name, source, outer in [("list item", "- " + escaped, ["ul", "li"]),
                                ("bold label", "- **Size:** " + escaped, ["ul", "li", "strong"]),
                                ("paragraph", "x " + escaped, ["p"])]:
        tree = _parse(_render(source))
        tags = [t for t, _ in tree.tags]
        assert tags[:len(outer)] == outer, (name, source)
        assert set(tags[len(outer):]) <= INLINE_TAGS, (name, source, tags)
        for tag, attrs in tree.tags[len(outer):]:
            assert _attrs_ok(tag, attrs), (name, source, tag, attrs)


@settings(max_examples=examples(300), deadline=None)
@given(HOSTILE.filter(lambda t: "[" not in t))
def test_prose_line_shows_every_character_but_delimiters(text: str) -> None:
    """Without links, every character but emphasis/code delimiters and spaces is shown, in order."""
    tree = _parse(_render("- " + str(prose_line(text))))
    assert _shown("".join(tree.text)) == _shown(text)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(HOSTILE | st.sampled_from(["- item", "  - sub", "1. one", "", "* x"]),
                min_size=1, max_size=8))
def test_prose_adds_only_paragraphs_lists_and_inline_markup(lines: list[str]) -> None:
    tree = _parse(_render(str(prose("\n".join(lines)))))
    assert {t for t, _ in tree.tags} <= BLOCK_TAGS, tree.tags
    for tag, attrs in tree.tags:
        assert _attrs_ok(tag, attrs), (tag, attrs)


def _html(value: str, *, block: bool = False) -> str:
    return _render(str(prose(value)) if block else "- " + str(prose_line(value)))


def test_markdown_in_prose_renders() -> None:
    assert _html("Run `govkit check` *now*, **then** see [the docs](https://example.org/a?b=1)"
                 ) == ('<ul>\n<li>Run <code>govkit check</code> <em>now</em>, <strong>then'
                       '</strong> see <a href="https://example.org/a?b=1">the docs</a></li>\n</ul>')
    assert _html("Steps:\n- one\n  - nested _two_\n- three\n  continued\n\nDone.", block=True) == (
        "<p>Steps:</p>\n<ul>\n<li>one<ul>\n<li>nested <em>two</em></li>\n</ul>\n</li>\n"
        "<li>three continued</li>\n</ul>\n<p>Done.</p>")
    assert _html("Mail [us](mailto:ml@example.org).") == (
        '<ul>\n<li>Mail <a href="mailto:ml@example.org">us</a>.</li>\n</ul>')
    assert "<em>" not in _html("user_segment and snake_case_names stay")


def test_known_attacks_in_prose_are_inert() -> None:
    for attack in ["[a](javascript:alert(1))", "[a](JavaScript:alert`1`)", "[a](data:text/html,x)",
                   "<img src=x onerror=alert(1)>", "x { onfocus=alert(1) autofocus }",
                   "`code`{: onclick=x }", "![img](https://example.org/x.png)",
                   ":material-alert:{ onclick=alert(1) }", "<https://example.org>",
                   "[a](https://x.org){: onclick=alert(1) }", "???+ note", "!!! danger"]:
        for block in (False, True):
            tree = _parse(_html(attack, block=block))
            for tag, attrs in tree.tags:
                assert tag in BLOCK_TAGS and _attrs_ok(tag, attrs), (attack, tag, attrs)
            assert "img" not in [t for t, _ in tree.tags]
    page = _html("[a](javascript:alert(1))")
    assert "<a" not in page and "[a](javascript:alert(1))" in html.unescape(page)


def test_jinja_syntax_stays_literal() -> None:
    page = _html("{{ 7*7 }} {% if x %}y{% endif %} {# c #}", block=True)
    assert html.unescape(_parse(page).text[0]) == "{{ 7*7 }} {% if x %}y{% endif %} {# c #}"


@settings(max_examples=examples(300), deadline=None)
@given(HOSTILE)
def test_front_matter_title_is_one_escaped_yaml_string(title: str) -> None:
    import yaml

    text = front_matter(title)
    assert text.startswith("---\ntitle: ") and text.endswith("\n---\n")
    assert len(text.encode()) < 450  # the writer's notice check reads 512 bytes
    value = yaml.safe_load(text.split("---\n")[1])["title"]
    assert "<" not in value and ">" not in value and "\n" not in value
    shown = html.unescape(value)
    expected = _visible(title)
    if len(expected) <= 71:
        assert shown == expected


def test_examples_hypothesis_found() -> None:
    """A direction mark before '1. ' hid a list marker; '--' in a list item was a rule."""
    from govkit.site.escape import md

    tree = _parse(_html("\u202e1. {"))
    assert [t for t, _ in tree.tags] == ["ul", "li"] and "".join(tree.text).strip() == "1. {"
    assert [t for t, _ in _parse(_render("- " + str(md("--")))).tags] == ["ul", "li"]
    for escaped in (md("a\ud800b"), prose("a\ud800b"), front_matter("a\ud800b")):
        assert "a b" in str(escaped).encode("utf-8").decode()  # a lone surrogate: a space
