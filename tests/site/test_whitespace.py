"""The theme's template whitespace is taken out of built pages without changing what they show."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from govkit.site.whitespace import collapse

_SPACE = st.sampled_from([" ", "\n", "  \n    ", "\t\n", "\n\n  \n", "   "])
_KEPT = st.builds(lambda tag, a, b: f"<{tag}>{a}  \n   {b}\n</{tag}>",
                  st.sampled_from(["pre", "code", "textarea", "script", "style"]),
                  st.text("ab <>\n", max_size=6).filter(lambda t: "</" not in t),
                  st.text("cd\n ", max_size=6))
_TOKEN = st.one_of(st.sampled_from(['<li class="x">', "</li>", "<a href=\"y\">", "</a>",
                                    "<span>", "</span>", "Model", "v1.0", "&gt;"]), _SPACE, _KEPT)


@given(st.lists(_TOKEN, max_size=40))
def test_only_whitespace_changes_and_no_words_are_joined(tokens: list[str]) -> None:
    html = "".join(tokens)
    out = collapse(html)
    assert out.split() == html.split()  # same words and tags, none glued together
    for kept in re.findall(r"<(pre|code|textarea|script|style)>.*?</\1>", html, re.S):
        assert kept in out
    assert collapse(out) == out
    assert len(out) <= len(html)


def test_pre_keeps_its_indentation_and_template_indentation_goes() -> None:
    html = '<ul>\n      \n    <li>\n        <a href="a.html">\n    A\n  </a></li>\n</ul>' \
           '\n<pre><code>def f():\n    return 1\n\n\n</code></pre>\n   <p>x</p>'
    assert collapse(html) == ('<ul>\n<li>\n<a href="a.html">\nA\n</a></li>\n</ul>\n'
                              '<pre><code>def f():\n    return 1\n\n\n</code></pre>\n<p>x</p>')


def test_built_pages_have_no_blank_template_lines(example_html: Path) -> None:
    """Material indents every navigation item it loops over; the built pages no longer carry
    that (it grew a page's HTML with the size of its section, benchmarks/site_scale.py)."""
    page = (example_html / "models/churn/index.html").read_text(encoding="utf-8")
    outside = re.sub(r"<(pre|code|textarea|script|style)\b.*?</\1>", "<kept/>", page, flags=re.S)
    assert not re.search(r"\n[ \t]*\n", outside)
    assert 'class="md-nav__link"' in page and "Churn Prediction" in page


def test_unclosed_tags_in_a_hostile_page_take_linear_time() -> None:
    """A hostile page with 100,000 unclosed <code>
    tags: a lazy `<code>.*?</code>` search from each of them took minutes (9 s at 16,000,
    quadratic); the build must not hang. Run apart, with a bound far above the ~0.1 s it
    takes, so a quadratic return fails instead of stalling the suite."""
    import subprocess
    import sys

    script = ("from govkit.site.whitespace import collapse\n"
              "page = '<p>\\n  ' + '<code>x\\n ' * 100_000 + '</p>'\n"
              "assert collapse(page).count('<code>') == 100_000\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
