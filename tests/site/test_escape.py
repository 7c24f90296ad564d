"""Every escaping position, through the Markdown extensions the site really uses.

Whatever a user writes shows up literally: no element, attribute, emoji, list or code
block appears that the template did not put there."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.site.escape import block, code, codeblock, comment, md
from tests.conftest import examples

EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.details",
              "pymdownx.superfences", "pymdownx.emoji"]


def _render(text: str) -> str:
    from material.extensions.emoji import to_svg, twemoji

    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs={
        "pymdownx.emoji": {"emoji_index": twemoji, "emoji_generator": to_svg}})


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree


TOKENS = [*"{}:;=\"'<>&`*_[]|#!-+.?~()/\\ \n\r\t1aZ", "onclick=alert(1)", ":smile:",
          ":material-check:", "-->", "javascript:", "\u202e", "\x1b", "\u2028", "```", "{: .x }",
          "1. "]
HOSTILE = st.lists(st.sampled_from(TOKENS) | st.characters(), max_size=30).map("".join)


def _visible(text: str) -> str:
    shown = "".join(" " if ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or 0x202A <= ord(c) < 0x202F
                    or 0xD800 <= ord(c) < 0xE000 else c for c in text)
    return " ".join(shown.split())


@settings(max_examples=examples(300), deadline=None)
@given(HOSTILE)
def test_inline_positions_show_the_text_and_nothing_else(text: str) -> None:
    escaped = str(md(text))
    assert "\n" not in escaped
    positions = {
        "prose": ("x " + escaped, ["p"]),
        "list item": ("- " + escaped, ["ul", "li"]),
        "bold label": ("- **Size:** " + escaped, ["ul", "li", "strong"]),
        "table cell": ("| a | b |\n|---|---|\n| " + escaped + " | z |",
                       ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]),
        "heading": ("# T " + escaped, ["h1"]),
        "admonition title": ('!!! note "T ' + escaped + '"\n    body', ["div", "p", "p"]),
    }
    for name, (source, tags) in positions.items():
        tree = _parse(_render(source))
        assert [t for t, _ in tree.tags] == tags, (name, source)
        for tag, attrs in tree.tags:
            allowed = {"id"} if tag == "h1" else {"class"} if tag in ("div", "p") else set()
            assert {a for a, _ in attrs} <= allowed, (name, tag, attrs)
        shown = " ".join("".join(tree.text).split())
        assert _visible(text) in shown, (name, source, shown)


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=4))
def test_prose_keeps_paragraphs_and_adds_no_block(paragraphs: list[str]) -> None:
    text = "\n\n".join(paragraphs)
    tree = _parse(_render(str(block(text))))
    assert {t for t, _ in tree.tags} <= {"p"}
    assert all(not attrs for _, attrs in tree.tags)


@settings(max_examples=examples(200), deadline=None)
@given(HOSTILE)
def test_inline_code_stays_one_code_element(text: str) -> None:
    tree = _parse(_render("Ingested from " + str(code(text)) + " (mlflow)."))
    assert [t for t, _ in tree.tags] == ["p", "code"]


@settings(max_examples=examples(200), deadline=None)
@given(HOSTILE)
def test_fenced_block_cannot_be_closed_early(text: str) -> None:
    tree = _parse(_render("```text\n" + str(codeblock(text)) + "\n```\n\nafter"))
    assert [t for t, _ in tree.tags][:2] in (["pre", "code"], ["div", "pre"])
    assert "after" in tree.text[-1]


@settings(max_examples=examples(200), deadline=None)
@given(HOSTILE)
def test_comment_cannot_be_closed_early(text: str) -> None:
    page = "<!-- Generated from " + str(comment(text)) + ". -->\n\n# Title\n"
    tree = _parse(_render(page))
    assert len(tree.comments) == 1 and [t for t, _ in tree.tags] == ["h1"]


def test_known_attacks_are_inert() -> None:
    for attack in ["x { onfocus=alert(1) autofocus }", "x {: onclick=alert(1) }",
                   "label{: .x onmouseover=alert(1) }", ":material-alert:{ onclick=alert(1) }",
                   "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
                   "1. item", "- item", "??? note", "===", "`code`{: onclick=x }"]:
        page = _render("- " + str(md(attack)))
        tree = _parse(page)
        assert [t for t, _ in tree.tags] == ["ul", "li"], attack
        assert html.unescape("".join(tree.text)).strip() == attack


# A hostile card field of a few hundred KB must not stall the build: the escaping of each
# position runs in linear time. Each input runs apart with a bound far above its ~0.1 s, so a
# quadratic return fails instead of stalling the suite (before the fix: the first took 1.3 s
# at 16,000 characters, the second 2.2 s at 24,000, each x16 per x4).
SLOW_BEFORE = {
    "a colon before a long word (md)": "md(':' + 'a' * 400_000)",
    "unclosed emphasis (prose)": "prose('*a ' * 100_000)",
    "unclosed strong emphasis (prose)": "prose('__a ' * 100_000)",
}


@pytest.mark.parametrize("name", list(SLOW_BEFORE))
def test_escaping_hostile_text_takes_linear_time(name: str) -> None:
    import subprocess
    import sys

    script = f"from govkit.site.escape import md, prose\nout = {SLOW_BEFORE[name]}\n"
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_emphasis_longer_than_the_bound_shows_its_marks() -> None:
    """The price of the bound: a longer span is text with its asterisks shown, never markup."""
    from govkit.site.escape import MAX_EMPHASIS, prose

    short, long = "a" * (MAX_EMPHASIS - 2), "a" * (MAX_EMPHASIS + 1)
    assert f"*{short}*" in str(prose(f"*{short}*"))
    assert str(prose(f"*{long}*")) == f"\\*{long}\\*"
