"""How a tracking URI is shown: scheme, host, port and path, nothing else.

Userinfo (`user:pw@`, a token as `user@`), whatever follows the host name and numeric port
in the authority (`h;x`, `h:x`), parameters (`;x`), the query (`?x`, `?a=1&x`, a
stray `&x`) and the fragment (`#x`) are replaced by `***` whatever their form: the shown form
is built from the parts allowed, never by removing the parts known to be secret. `scrub`
does the same to a message that may quote the URI or its parts (MLflow's, SQLAlchemy's).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_HIDDEN_FROM = re.compile(r"[;&?#]")  # everything from the first of these on is hidden
# what of an authority (after any userinfo) is shown: a host name or [IP literal], a numeric port
_HOST_PORT = re.compile(r"(\[[0-9A-Fa-f:.]*\]|[A-Za-z0-9._~-]*)(:[0-9]*)?")
_MIN_SCRUBBED = 3  # shorter pieces are not searched for in messages (they would garble them)


def redact_uri(uri: str) -> str:
    scheme, rest = _split_scheme(uri)
    if not scheme:
        return uri  # a local path or a bare scheme name (databricks)
    authority, path = "", rest
    if rest.startswith("//"):
        end = _authority_end(rest)
        authority, path = rest[:end], rest[end:]
        _, at, host = authority[2:].rpartition("@")
        shown = _HOST_PORT.match(host)
        assert shown is not None  # the pattern matches the empty string
        authority = "//" + ("***@" if at else "") + shown.group() + (
            "***" if shown.end() < len(host) else "")
    elif "@" in path.split("/")[0]:
        path = "***@" + path.rpartition("@")[2]
    cut = _HIDDEN_FROM.search(path)
    if cut:
        path = path[:cut.start() + 1] + "***"
    return f"{scheme}{authority}{path}"


def hidden_parts(uri: str) -> list[str]:
    """The pieces of `uri` that `redact_uri` hides, raw and percent-decoded, longest first."""
    scheme, rest = _split_scheme(uri)
    if not scheme:
        return []
    pieces: list[str] = []
    authority, path = ("", rest)
    if rest.startswith("//"):
        end = _authority_end(rest)
        authority, path = rest[2:end], rest[end:]
    userinfo = authority.rpartition("@")[0] if "@" in authority else \
        path.rpartition("@")[0] if "@" in path.split("/")[0] else ""
    if userinfo:
        pieces += [userinfo, *userinfo.split(":")]
    host = authority.rpartition("@")[2]
    shown = _HOST_PORT.match(host)
    if shown is not None and shown.end() < len(host):
        pieces.append(host[shown.end():])
    cut = _HIDDEN_FROM.search(path)
    if cut:
        tail = path[cut.start() + 1:]
        pieces += [tail, *re.split(r"[;&?#=]", tail)]
    found = {p for piece in pieces for p in (piece, unquote(piece)) if len(p) >= _MIN_SCRUBBED}
    return sorted(found, key=lambda p: (-len(p), p))


def scrub(text: str, uri: str) -> str:
    """`text` with `uri` shown redacted and every hidden piece of it replaced by `***`."""
    text = text.replace(uri, redact_uri(uri))
    for piece in hidden_parts(uri):
        text = text.replace(piece, "***")
    return text


def _split_scheme(uri: str) -> tuple[str, str]:
    m = _SCHEME.match(uri)
    if m is None or (len(m.group()) == 2 and not uri[2:].startswith("//")):
        return "", uri  # no scheme, or a Windows drive letter (C:\...)
    return m.group(), uri[m.end():]


def _authority_end(rest: str) -> int:
    """Where `//authority` ends: at the first `/`, `?` or `#` after its last `@` before any
    `?` or `#` (a password may hold an unencoded `/`, which must not leak as host or path)."""
    query = re.search(r"[?#]", rest)
    at = rest.rfind("@", 2, query.start() if query else len(rest))
    start = at + 1 if at >= 0 else 2
    ends = [i for i in (rest.find(c, start) for c in "/?#") if i >= 0]
    return min(ends) if ends else len(rest)
