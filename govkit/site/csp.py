"""The Content-Security-Policy every page carries, as a `<meta http-equiv>` first in its head.

Scripts, styles, fonts and connections only from the site itself, images from the site and
`data:`, nothing else. Inline scripts are allowed only by hash, and only the theme's own: an
inline script of the page is hashed when it is, character for character, one of Material's
`partials/javascripts/*.html` scripts (their `{{ base_url }}`-like values may only be a
relative path). Any other inline script, wherever it came from, does not run.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_JINJA = re.compile(r"\{\{.*?\}\}", re.S)
_RELATIVE = r"[A-Za-z0-9./_-]*"  # what a base URL may be inside the theme's script strings
_HEAD = re.compile(r"<head\b[^>]*>", re.I)

DIRECTIVES = (
    ("default-src", "'none'"), ("img-src", "'self' data:"), ("font-src", "'self'"),
    ("style-src", "'self'"),
    # style attributes (table alignment); what they may load is bounded by img-src/font-src
    ("style-src-attr", "'unsafe-inline'"),
    ("connect-src", "'self'"), ("worker-src", "'self'"), ("manifest-src", "'self'"),
    ("base-uri", "'self'"), ("form-action", "'self'"), ("object-src", "'none'"),
)


@functools.cache
def theme_scripts() -> tuple[re.Pattern[str], ...]:
    """Material's inline scripts as patterns, read from the installed theme."""
    import material

    folder = Path(material.__file__).parent / "templates/partials/javascripts"
    patterns = []
    for path in sorted(folder.glob("*.html")):
        for body in _SCRIPT.findall(path.read_text(encoding="utf-8")):
            parts = _JINJA.split(body)
            patterns.append(re.compile(_RELATIVE.join(re.escape(p) for p in parts)))
    return tuple(patterns)


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(page: str) -> str:
    known = theme_scripts()
    hashes = sorted({_hash(body) for body in _SCRIPT.findall(page)
                     if any(p.fullmatch(body) for p in known)})
    directives = [("script-src", " ".join(["'self'", *hashes])), *DIRECTIVES]
    return "; ".join(f"{name} {value}" for name, value in sorted(directives))


def meta(content: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def add(page: str) -> str:
    """`page` with its policy first in the head (a page without a head gets one first)."""
    tag = meta(policy(page))
    head = _HEAD.search(page)
    if head is None:
        return tag + page
    return page[:head.end()] + tag + page[head.end():]
