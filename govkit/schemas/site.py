"""govkit.yaml's `site:` section: everything an untrusted build lets the project choose about
the site's look. govkit writes the mkdocs configuration from it (sources/mkdocs_owned.py);
strings that reach the theme's HTML hold no markup and URLs are checked after normalising."""


import html
import posixpath
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from govkit.schemas.common import Strict

# What browsers drop inside a URL before reading its scheme (WHATWG URL: C0, space, tab, LF)
_DROPPED = re.compile(r"[\x00-\x20\x7f\s]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# characters that end a quoted attribute or open a tag when printed unescaped
MARKUP = re.compile(r"[<>\"`\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


def normalised_url(value: str) -> str:
    """The URL as a browser reads it: entities decoded, C0 controls and whitespace removed."""
    previous = None
    while previous != value:  # `&amp;colon;` decodes twice in some positions: fixpoint
        previous, value = value, html.unescape(value)
    return _DROPPED.sub("", value)


def url_problem(value: str, *, remote: bool) -> str | None:
    """Why `value` may not be a link (None: fine). `remote`: https (http on localhost) or a
    relative path; else only a relative path inside the site."""
    url = normalised_url(value)
    scheme = _SCHEME.match(url)
    if url.startswith(("//", "\\\\", "/\\", "\\/")):
        return "a scheme-relative URL reaches another site"
    if scheme is None:
        return None if remote or not url.startswith("/") else "an absolute path leaves the site"
    name = scheme.group(1).lower()
    if not remote:
        return f"{name}: a URL outside the site (use a file inside the project)"
    host = (urlsplit(url).hostname or "").lower()
    if name == "https" or (name == "http" and (host in LOCAL_HOSTS or host == "::1")):
        return None
    return f"{name}: is not an allowed scheme (https, http on localhost, or a relative link)"


def markup_problem(value: str) -> str | None:
    found = MARKUP.search(value)
    return None if found is None else (
        f"{found.group()!r} would reach the theme's HTML unescaped")


def _text(value: str) -> str:
    why = markup_problem(value)
    if why:
        raise ValueError(f"{why} (write plain text without < > \" `)")
    return value


def _https(value: str) -> str:
    why = url_problem(value, remote=True)
    if why or not normalised_url(value).lower().startswith("https://") \
            or normalised_url(value) != value:
        raise ValueError(f"{why or 'not a plain https:// URL'} (write e.g. "
                         "https://github.com/acme/models)")
    return value


def _site_path(value: str) -> str:
    norm = posixpath.normpath(value)
    if (url_problem(value, remote=False) or normalised_url(value) != value
            or norm.startswith(("..", "/")) or norm == "."):
        raise ValueError("not a relative path inside docs_dir (write e.g. assets/logo.png)")
    return norm


PlainText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_text)]
HttpsUrl = Annotated[str, Field(max_length=500), AfterValidator(_https)]
SitePath = Annotated[str, Field(max_length=300), AfterValidator(_site_path)]


class SiteOptions(Strict):
    """The site's look (an `--untrusted` build writes the mkdocs configuration from this alone)
    and how a trusted `govkit build --html` treats mkdocs.yml."""

    trust_mkdocs_config: bool = Field(
        False, description="Let mkdocs.yml use hooks, any plugin or Markdown extension, "
        "python tags, !ENV and theme.custom_dir (all can run code in CI). Only for a "
        "mkdocs.yml your team reviews; an `--untrusted` build (or GOVKIT_UNTRUSTED=1) "
        "ignores it, so pull-request builds stay safe."
    )
    title: PlainText | None = Field(
        None, description="Site name in an untrusted build (default: `project`)."
    )
    description: PlainText | None = Field(
        None, description="Site description (page meta) in an untrusted build."
    )
    palette: Literal["auto", "light", "dark"] = Field(
        "auto", description="Colour scheme: the reader's system preference with a toggle, or "
        "fixed light or dark."
    )
    logo: SitePath | None = Field(
        None, description="Logo image, a path inside docs_dir (e.g. assets/logo.png)."
    )
    repo_url: HttpsUrl | None = Field(
        None, description="Repository link in the header (https only)."
    )
