"""Every HTML page of the built site passes the sanitizer, whatever produced it (issue 21,
class 3 and the page side of class 6): a template override that leaves out govkit's header, a
hand-written page and static files in the docs folder, and outside URLs in content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govkit.cli import main
from govkit.site.sanitize import sanitize
from tests.hostile import page_problems

OUTSIDE = "https://example.com/x.png"


def _article(page: str) -> str:
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page,
                      re.S)
    assert match, page[:300]
    return match.group(1)


def _build(example: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    assert main(["-C", str(example), "build", "--html"]) == 0
    return example.parent / "build/site-html", capsys.readouterr().out


@pytest.mark.mkdocs  # _build runs `build --html`
def test_an_override_that_leaves_out_the_header_is_sanitized(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "templates/card.md.j2").write_text(
        "# {{ card.model_details.name | default('card') }}\n\nSome **text**.\n\n"
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        f'<img src="{OUTSIDE}" alt="tracker">\n')
    site, out = _build(example, capsys)
    article = _article((site / "models/churn/index.html").read_text())
    assert "<strong>text</strong>" in article
    assert "<script" not in article and "onerror" not in article and OUTSIDE not in article
    assert "alert(" not in article
    assert "models/churn/index.md: removed <script> (1)" in out, out


@pytest.mark.mkdocs  # _build runs `build --html`
def test_hand_written_pages_and_static_files_are_sanitized(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = example.parent / "site"
    docs.mkdir()
    (docs / "notes.md").write_text(
        "# Notes\n\nSome **bold**, a [link](https://example.org/) and `code`.\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\ndef f(x):\n    return x\n```\n\n"
        '<span class="evil">s</span>\n\n'
        "<script>alert(2)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        f'<img src="{OUTSIDE}">\n\n<img src="\x01{OUTSIDE}">\n')
    (docs / "evil.html").write_text(
        "<html><head><script src=https://example.com/x.js></script></head><body>"
        "<p>kept</p><script>alert(3)</script><img src=x onerror=alert(4)>"
        f'<iframe src="{OUTSIDE}"></iframe></body></html>')
    (docs / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><script>alert(5)</script><foreignObject><p>x</p></foreignObject>'
        '<rect width="1" height="1" onload="alert(6)" fill="red"/>'
        f'<image href="{OUTSIDE}"/><image xlink:href="{OUTSIDE}"/>'
        '<text x="1" y="5">t</text><a href="javascript:alert(7)"><text>u</text></a></svg>')
    site, out = _build(example, capsys)
    page = (site / "notes.html").read_text()
    article = _article(page)
    assert "<strong>bold</strong>" in article and 'href="https://example.org/"' in article
    assert "<table>" in article and "<code>code</code>" in article
    assert '<span class="k">def</span>' in article  # code keeps its colours
    assert 'notes.md: removed class "evil" (1)' in out, out
    assert "<script" not in article and "onerror" not in article and "example.com" not in article
    assert page_problems(article, lambda _: False) == []
    assert "notes.md: removed <script> (1)" in out, out
    assert "notes.md: removed onerror= (1)" in out, out
    evil = (site / "evil.html").read_text()
    assert "kept" in evil
    assert "<script" not in evil and "onerror" not in evil and "example.com" not in evil
    assert "<iframe" not in evil
    svg = (site / "evil.svg").read_text()
    assert "<rect" in svg and "<text" in svg
    for bad in ("script", "foreignObject", "onload", "example.com", "javascript"):
        assert bad not in svg, (bad, svg)


def test_images_only_from_the_site_and_data() -> None:
    for src in (OUTSIDE, "\x01" + OUTSIDE, " " + OUTSIDE, "\t" + OUTSIDE, "//example.com/x",
                "/\\example.com/x", "\\\\example.com/x", "ht\ttps://example.com/x",
                "http://example.com/x", "javascript:alert(1)", "data:text/html,x"):
        assert sanitize(f'<p><img src="{src}" alt="a"></p>') == '<p><img alt="a"></p>', src
    for src in ("charts/a.svg", "../x.png", "data:image/png;base64,AAAA", "#x"):
        assert 'src="' in sanitize(f'<p><img src="{src}" alt="a"></p>'), src
    # links to other sites stay (a click, not a request)
    assert 'href="https://example.org/"' in sanitize('<a href="https://example.org/">x</a>')
    assert "href" not in sanitize('<a href="\x01javascript:alert(1)">x</a>')


@pytest.mark.mkdocs  # _build runs `build --html`
def test_an_overridden_stylesheet_calls_no_other_host(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "templates/govkit.css").write_text(
        '@import url("https://example.com/a.css");\n@import "https://example.com/b.css";\n'
        f".a {{ background: url({OUTSIDE}); }}\n"
        '.b { background: url("\\68 ttps://example.com/c.png"); }\n'
        ".c { background: url('//example.com/d.png'); }\n"
        '.d { background: url("charts/ok.svg") } .e { color: red }\n')
    site, out = _build(example, capsys)
    css = (site / "assets/govkit.css").read_text()
    assert "example.com" not in css and "@import" not in css
    assert 'url("charts/ok.svg")' in css and ".e { color: red }" in css
    assert "assets/govkit.css: removed" in out, out


def test_every_page_carries_a_content_security_policy(example_html: Path) -> None:
    pages = sorted(example_html.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        page = path.read_text(encoding="utf-8")
        head = page[:page.index("</head>")]
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"',
                           head)
        assert len(metas) == 1, path
        policy = dict(d.split(" ", 1) for d in metas[0].split("; "))
        assert policy["default-src"] == "'none'"
        assert policy["img-src"] == "'self' data:"
        assert policy["connect-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        scripts = policy["script-src"].split()
        assert scripts[0] == "'self'" and all(s.startswith("'sha256-") for s in scripts[1:])
        # the policy sits before anything the browser fetches or runs
        assert head.index("Content-Security-Policy") < head.find("<script")
        assert head.index("Content-Security-Policy") < head.find("<link")


def test_only_the_themes_own_inline_scripts_are_hashed() -> None:
    from govkit.site import csp

    theme = ('<script>__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>'
             '(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse('
             '_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{'
             't.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}</script>')
    assert csp.policy(theme).count("'sha256-") == 1
    # the same script with a base that breaks out of its string, and a script of its own
    broken = theme.replace('"../.."', '"",alert(1),""')
    assert "'sha256-" not in csp.policy(broken + "<script>alert(2)</script>")
    assert csp.add("<html><head><title>t</title>").startswith(
        '<html><head><meta http-equiv="Content-Security-Policy" content="base-uri')


def test_static_files_refuse_what_they_cannot_vet() -> None:
    from govkit.site import static_files

    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    assert static_files.svg(bomb) == ('<svg xmlns="http://www.w3.org/2000/svg"/>\n',
                                      ["removed the image (a DTD)"])
    assert static_files.svg("<svg")[1] == ["removed the image (not well-formed XML)"]
    assert static_files.svg("<html/>")[1] == ["removed the image (root <html>)"]
    kept, gone = static_files.svg(
        '<svg xmlns="http://www.w3.org/2000/svg"><text transform="rotate(-90 5 5)" '
        'fill="url(#g)" style="x">t</text><rect fill="url(https://example.com/x)"/></svg>')
    assert 'transform="rotate(-90 5 5)"' in kept and 'fill="url(#g)"' in kept
    assert "example.com" not in kept and gone == ["removed fill= (1)", "removed style= (1)"]
    css, gone = static_files.css("@\\69mport 'x.css';\n.a{color:red}\n"
                                 ".b{background:u\\72l(//example.com/y)}")
    assert css == ";\n.a{color:red}\n.b{}" and len(gone) == 2, (css, gone)


@pytest.mark.mkdocs  # _build runs `build --html`
def test_front_matter_of_a_hand_written_page_reaches_no_html(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Material prints page.meta title, description, author and subtitle (the latter in every
    page's navigation) unescaped; with a script file beside the page, `script-src 'self'`
    would run it on every page. Only allowlisted keys stay, as text."""
    docs = example.parent / "site"
    docs.mkdir()
    script = '"><script src="evil.js"></script>'
    (docs / "notes.md").write_text(
        f"---\ntitle: \"T<img src=x onerror=alert(1)>\"\ndescription: '{script}'\n"
        f"author: '{script}'\nsubtitle: '<script src=evil.js></script>'\n"
        "template: 404.html\nicon: ../../x\ntags: ['<b>t</b>']\n---\n# Notes\n\ntext\n")
    site, out = _build(example, capsys)
    for page in (site / "notes.html", site / "index.html"):
        text = page.read_text()
        assert not re.search(r"<script[^>]*evil", text), page
        assert "<img src=x" not in text and "<b>t</b>" not in text, page
    assert "T&lt;img src=x onerror=alert(1)&gt;" in (site / "notes.html").read_text()
    assert "notes.md: removed front matter subtitle" in out, out


@pytest.mark.mkdocs  # _build runs `build --html`
def test_only_static_files_of_known_kinds_are_published(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files of the docs folder are sanitized (html, htm, svg, css), copied (images, fonts,
    data of a kind browsers never run) or left out: an allowlist by suffix, any case."""
    import gzip

    docs = example.parent / "site"
    docs.mkdir()
    script = "<script>alert(1)</script>"
    xhtml = f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{script}</body></html>'
    for name in ("a.xhtml", "b.xht", "c.shtml", "d.XHTML", "e.mht", "f.xml", "g.xsl",
                 "h.js", "i.mjs", "j.wasm", "k.svgz", "l.swf", "m.htc"):
        (docs / name).write_text(xhtml)
    (docs / "k.svgz").write_bytes(gzip.compress(b'<svg xmlns="http://www.w3.org/2000/svg">'
                                                b"<script>alert(1)</script></svg>"))
    (docs / "N.HTML").write_text(f"<p>kept</p>{script}")
    (docs / "o.SVG").write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{script}</svg>')
    (docs / "p.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (docs / "q.csv").write_text("a,b\n1,2\n")
    site, out = _build(example, capsys)
    for name in ("a.xhtml", "b.xht", "c.shtml", "d.XHTML", "e.mht", "f.xml", "g.xsl", "h.js",
                 "i.mjs", "j.wasm", "k.svgz", "l.swf", "m.htc"):
        assert not (site / name).exists(), name
        assert f"{name}: removed the file (" in out, out
    assert "kept" in (site / "N.HTML").read_text()
    assert "alert" not in (site / "N.HTML").read_text()
    assert "alert" not in (site / "o.SVG").read_text()
    assert (site / "p.png").read_bytes() == b"\x89PNG\r\n\x1a\n"
    assert (site / "q.csv").read_text() == "a,b\n1,2\n"


@pytest.mark.mkdocs  # _build runs `build --html`
def test_titles_from_file_and_folder_names_are_text(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """mkdocs titles a page without a heading by its file name and a section by its folder's,
    and Material prints both unescaped in every page's navigation: `<script src=x.txt>` (no
    slash needed) would load a data file the site publishes as a script."""
    docs = example.parent / "site"
    (docs / "<script src=x.txt>").mkdir(parents=True)
    (docs / "<script src=x.txt>/a.md").write_text("# A\n\nx\n")
    (docs / "<img src=x onerror=alert(1)>.md").write_text("no heading\n")
    (docs / "x.txt").write_text("alert(1)\n")
    site, _ = _build(example, capsys)
    for page in ("index.html", "<script src=x.txt>/a.html"):
        text = (site / page).read_text()
        assert "<script src=x.txt" not in text and "<img src=x" not in text, page
        assert "&lt;script src=x.txt&gt;" in text, page
