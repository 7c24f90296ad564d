"""URLs as a browser reads them, for allowlist checks: a browser drops leading and trailing C0
controls and spaces and every tab and line break inside a URL, and reads `\\` as `/`, so the
scheme is checked on the URL after the same steps."""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_C0_SPACE = "".join(chr(c) for c in range(0x21))
# raster images only: an SVG data URL is a document of its own
DATA_IMAGES = ("image/png", "image/gif", "image/jpeg", "image/webp")


def normalise(url: str) -> str:
    return re.sub(r"[\t\n\r]", "", url.strip(_C0_SPACE)).replace("\\", "/")


def scheme(url: str) -> str | None:
    """The lower-cased scheme of a normalised URL, or None for a relative one."""
    match = _SCHEME.match(url)
    return match[1].lower() if match else None


def is_local(url: str, *, data_images: bool = True) -> bool:
    """A URL that reaches no other host: relative to the site (not `//host`) or, with
    `data_images`, a `data:` URL of a raster image."""
    url = normalise(url)
    found = scheme(url)
    if found is None:
        return not url.startswith("//")
    return data_images and found == "data" and url[5:].lower().startswith(DATA_IMAGES)
