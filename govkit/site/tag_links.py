"""A card's tag chips link to govkit's page of that tag (`tags/<slug>.md`, site/pages.py).

Material's tags plugin links a chip only to a listing of its own; govkit writes a page per tag
instead, so the `govkit` plugin gives each chip whose page exists that page's URL. The theme's
`partials/tags.html` reads `name`, `hidden` and `url` of each tag, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govkit.formatting import slug

TAG_DIR = "tags"


def tag_page(name: str) -> str:
    """The Markdown page govkit writes for the tag `name`."""
    return f"{TAG_DIR}/{slug(name)}.md"


@dataclass(frozen=True)
class LinkedTag:
    """A tag of a page and the URL of govkit's page of it, if any."""

    name: str
    hidden: bool
    url: str | None


def link(tags: list[Any], files: Any) -> list[LinkedTag]:
    """`tags` (the tags plugin's references) with the URL of govkit's page of each, if any."""
    out = []
    for tag in tags:
        page = files.get_file_from_path(tag_page(str(tag.name)))
        url = page.url if page is not None and page.is_documentation_page() else None
        out.append(LinkedTag(str(tag.name), bool(getattr(tag, "hidden", False)),
                             url or getattr(tag, "url", None)))
    return out
