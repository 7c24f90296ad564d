"""One escaping function per Markdown position, for every value that reaches a page.

The Markdown extensions of the Material setup each open a door that HTML escaping leaves
unlocked: `attr_list` turns a trailing `{ onclick=... }` into an attribute, `emoji` turns
`:name:` into markup, a leading `1.` or `???` starts a block, a newline leaves inline code.
Each function below closes them for its position; `site/sanitize.py` checks the final HTML.

- `md`: inline text (table cells, list items, headings, link text, admonition titles)
- `block`: prose of several paragraphs
- `code`: inline code (the backticks included)
- `codeblock`: the body of a fenced ```text block
- `comment`: the body of an HTML comment
- `prose`, `prose_line`: restricted Markdown (emphasis, inline code, http(s)/mailto links and,
  in `prose`, paragraphs and lists); anything else shows as written
- `url`: a link destination (http(s) only, percent-encoded)
- `front_matter`: the YAML front matter of a page (its title, HTML-escaped: themes print it raw)
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from govkit.formatting import fmt
from govkit.site import status as statuses

NOT_DOCUMENTED = Markup('*Not documented* <!-- guidance: add this to the source YAML -->')
# Control and direction characters, and lone surrogates (YAML's "\ud800" escape makes them;
# no UTF-8 page can hold one): shown as spaces.
_INVISIBLE = [*range(32), 127, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
              *range(0xD800, 0xE000)]
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"}
    | {c: "\\" + c for c in "\\`*_[]|#!"}
    | dict.fromkeys(_INVISIBLE, " ")  # control and direction characters become spaces
)
# `:name:` is an emoji shortcode (pymdownx.emoji); break it at its first colon. Names have
# a letter but for these four, so times such as 04:28:53 stay as written.
_SHORTCODE = re.compile(r":(?=([+\-\w]*):)")  # one scan of each name: linear time
_NUMERIC_SHORTCODES = frozenset({"100", "1234", "+1", "-1"})
_LETTER = re.compile(r"[A-Za-z]")


def _break_shortcode(match: re.Match[str]) -> str:
    name = match[1]
    return "&#58;" if name in _NUMERIC_SHORTCODES or _LETTER.search(name) else ":"


def _break_shortcodes(text: str) -> str:
    return _SHORTCODE.sub(_break_shortcode, text) if ":" in text else text
# What starts a block when it begins a line: a list item, a numbered item, a thematic break
# or setext underline ("- --" in a list item is a rule), a details block, a fence, a definition.
_BLOCK_START = re.compile(r"^(?:[-+](?=\s|$)|-{2,}|\d+[.)](?=\s|$)|=+\s*$|\?{3}|~{3}|:(?=\s))")
_ESCAPED: dict[str, Markup] = {}
STATUS_ICONS = {s: statuses.markdown(s) for s in statuses.WORDS}


def md(value: Any) -> Markup:
    """Inline Markdown text: one line, no markup, no extension syntax, no raw HTML."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return NOT_DOCUMENTED
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, float):
        return Markup(fmt(value))
    text = str(value)
    escaped = _ESCAPED.get(text)
    if escaped is None:
        if len(_ESCAPED) > 50_000:  # card texts repeat on every version's page: keep them
            _ESCAPED.clear()
        out = " ".join(text.translate(_ESCAPES).split())
        out = _break_shortcodes(out)
        out = _BLOCK_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), out)
        escaped = _ESCAPED[text] = Markup(out)
    return escaped


def block(value: Any) -> Markup:
    """Prose: paragraphs separated by blank lines, each escaped as inline text."""
    if value is None:
        return NOT_DOCUMENTED
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return Markup("\n\n".join(str(md(p)) for p in paragraphs))


def code(value: Any) -> Markup:
    """Inline code, backticks included: one line, no backtick inside."""
    if value is None:
        return NOT_DOCUMENTED
    text = " ".join(str(value).translate(_CODE).split()) or " "
    return Markup(f"`{text}`")


_CODE = str.maketrans({"`": "'"} | dict.fromkeys(_INVISIBLE, " "))


def codeblock(value: Any) -> Markup:
    """The lines of a fenced block: no backtick (no closing fence), no control characters."""
    lines = str(value or "").replace("\r\n", "\n").split("\n")
    keep = [line.translate(_CODE).rstrip() for line in lines]
    return Markup("\n".join(keep).strip("\n"))


def comment(value: Any) -> Markup:
    """The body of an HTML comment: it cannot end the comment (`-->`, `--!>`) early."""
    text = " ".join(str(value).translate(_CODE).split())
    return Markup(re.sub(r"-(?=-)", "- ", text).replace(">", "&gt;"))


def status_icon(status: str | None) -> Markup:
    return Markup(STATUS_ICONS.get(status or "", "–"))


def or_marker(value: Any) -> Any:
    """An explicit marker for a missing value or an empty list."""
    if value is None or value == [] or value == {} or value == "":
        return NOT_DOCUMENTED
    return value


# Restricted Markdown. A line is cut into tokens this module re-emits itself (inline code,
# links with an allowed scheme, emphasis at word boundaries) and plain text escaped as by `md`,
# so nothing reaches Markdown that these rules did not produce. Emphasis spans at most
# MAX_EMPHASIS characters: the search for a closing mark from every opening one is bounded,
# so a line of unclosed marks costs linear time (unbounded, 100,000 took minutes).
MAX_EMPHASIS = 300
_INLINE_MD = re.compile(
    r"(?P<code>(?P<ticks>`+)(?P<body>[^`]|[^`].*?[^`])(?P=ticks)(?!`))"
    r"|(?P<link>\[(?P<text>[^\[\]]+)\]\((?P<url>[^()\s]+)\))"
    r"|(?P<em>(?<![\w*\\])(?P<mark>\*\*|__|\*|_)(?=[^\s*_])"
    rf"(?P<inner>.{{1,{MAX_EMPHASIS}}}?)(?<=[^\s*_\\])"
    r"(?P=mark)(?![\w*]))"
)
_LINK_SCHEMES = ("http://", "https://", "mailto:")
_URL_SAFE = "/?#@!$&+,;=%~-._:"
_LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])[ \t]+(\S.*)$")
# What starts a block at the beginning of a prose line besides what `_plain` escapes anyway.
_LINE_START = re.compile(r"^(?:[-+](?=\s|$)|-{2,}|=+|\d+[.)](?=\s|$)|\?{3}|~{3}|:(?=\s))")
_SPACES = str.maketrans(dict.fromkeys(_INVISIBLE, " "))
_PROSE: dict[tuple[str, bool], Markup] = {}


def _plain(text: str) -> str:
    return _break_shortcodes(text.translate(_ESCAPES))


def _inline(text: str) -> str:
    out, pos = [], 0
    for m in _INLINE_MD.finditer(text):
        out.append(_plain(text[pos:m.start()]))
        if m["code"]:
            out.append(str(code(m["body"].strip() or m["body"])))
        elif m["link"]:
            url = m["url"]
            if url.lower().startswith(_LINK_SCHEMES):
                out.append(f"[{_plain(m['text'])}]({quote(url, safe=_URL_SAFE)})")
            else:  # javascript:, data:, relative paths: shown as written, not a link
                out.append(_plain(m["link"]))
        else:
            out.append(m["mark"] + _inline(m["inner"]) + m["mark"])
        pos = m.end()
    out.append(_plain(text[pos:]))
    return "".join(out)


def url(value: Any) -> Markup:
    """A link destination govkit builds: http(s) only (else '#'), percent-encoded so that no
    space, quote, bracket or parenthesis can end the link or open markup."""
    text = str(value)
    if not text.lower().startswith(("http://", "https://")):
        return Markup("#")
    return Markup(quote(text, safe=_URL_SAFE))


def _line(text: str) -> str:
    """One line of restricted Markdown that cannot start a block."""
    out = _inline(" ".join(text.translate(_SPACES).split()))
    return _LINE_START.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), out)


def prose_line(value: Any) -> Markup:
    """Restricted Markdown in one line (list items, labels): emphasis, code, links."""
    return _prose(value, block=False)


def prose(value: Any) -> Markup:
    """Restricted Markdown prose: paragraphs and (nested) lists of `prose_line` text."""
    return _prose(value, block=True)


def _prose(value: Any, *, block: bool) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None:
        return NOT_DOCUMENTED
    text = str(value)
    cached = _PROSE.get((text, block))
    if cached is None:
        if len(_PROSE) > 50_000:
            _PROSE.clear()
        cached = _PROSE[text, block] = Markup(_blocks(text) if block else _line(text))
    return cached


def _blocks(text: str) -> str:
    out: list[str] = []
    depth = -1  # nesting of the list being written; -1: not in a list
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.translate(_SPACES).rstrip()
        item = _LIST_ITEM.match(line)
        if not line.strip():
            if out and out[-1]:
                out.append("")
            depth = -1
        elif item:
            if out and out[-1] and depth < 0:
                out.append("")  # a list needs a blank line after a paragraph
            depth = min(len(item[1]) // 2, depth + 1)
            marker = "-" if item[2] in "-*+" else item[2][:-1] + "."
            out.append("    " * depth + marker + " " + _line(item[3]))
        elif depth >= 0 and raw[:1].isspace():
            out[-1] += " " + _line(line)  # an item's continuation line
        else:
            if depth >= 0:
                out.append("")
            depth = -1
            out.append(_line(line))
    return "\n".join(out).strip("\n")


def front_matter(title: str, limit: int = 72, tags: list[str] | None = None) -> str:
    """`---\ntitle: "..."\n---\n`: the page title for tabs, navigation and search, and any
    `tags` (Material's tags plugin).

    HTML-escaped (themes print them unescaped) and cut to `limit` characters; tags that would
    pass FRONT_MATTER_BYTES are left out."""
    out = "---\ntitle: " + _yaml_text(title, limit) + "\n"
    shown: list[str] = []
    for tag in tags or []:
        line = "tags: [" + ", ".join([*shown, _yaml_text(tag, 32)]) + "]\n"
        if len((out + line).encode()) > FRONT_MATTER_BYTES:
            break
        shown.append(_yaml_text(tag, 32))
    if shown:
        out += "tags: [" + ", ".join(shown) + "]\n"
    return out + "---\n"


FRONT_MATTER_BYTES = 400  # then the notice, within the first 512 bytes the writer reads


def _yaml_text(text: str, limit: int) -> str:
    """A double-quoted YAML string holding `text` HTML-escaped on one line."""
    text = " ".join(text.translate(_SPACES).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    value = str(escape(text)).replace("\\", "&#92;")
    return '"' + value.replace('"', "&#34;") + '"'

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: Any) -> str:
    """Text or an attribute value inside an SVG: escaped, characters XML forbids as spaces."""
    text = _NOT_XML.sub(" ", str(value))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
