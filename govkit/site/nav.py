"""The navigation as people read it: each model under its title, versions and monitoring
windows newest first, models in groups when there are many, and on a model's pages only that
model (the home page's dashboard and navigation list them all).

Run by the `govkit` MkDocs plugin (`site/sanitize.py`). Without a `nav:` in mkdocs.yml, MkDocs
sorts files by name (2.10.0 before 2.2.0, the oldest window first) and names a folder after
its path ("Churn"). These functions reorder govkit's own folders and title each model's
section after its card; hand-written pages and folders keep MkDocs' order.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from govkit.model import MODELS_PAGE_DIR
from govkit.schemas.common import version_key

_NEWEST_FIRST = re.compile(rf"^{MODELS_PAGE_DIR}/[^/]+/(versions|monitoring)/([^/]+)\.md$")
_MODEL_INDEX = re.compile(rf"^{MODELS_PAGE_DIR}/[^/]+/index\.md$")
_MODEL_PAGE = re.compile(rf"^{MODELS_PAGE_DIR}/[^/]+/")
# Models per navigation group (the home page lists the groups, each opens its models)
GROUP = 25


def _newest_first_kind(children: list[Any]) -> str | None:
    kinds = set()
    for child in children:
        match = _NEWEST_FIRST.match(getattr(getattr(child, "file", None), "src_uri", "") or "")
        if not child.is_page or match is None:
            return None
        kinds.add(match[1])
    return kinds.pop() if len(kinds) == 1 else None


def _stem(page: Any) -> str:
    return str(page.file.src_uri).rsplit("/", 1)[-1][: -len(".md")]


def order(items: list[Any]) -> None:
    """Versions by semantic version and windows by date, newest first, in place."""
    for item in items:
        if not item.is_section:
            continue
        order(item.children)
        kind = _newest_first_kind(item.children)
        if kind == "versions":
            item.children.sort(key=lambda p: (version_key(_stem(p)), _stem(p)), reverse=True)
        elif kind == "monitoring":
            item.children.sort(key=_stem, reverse=True)


def pages_in_order(items: list[Any]) -> list[Any]:
    """The pages of the navigation, depth first (MkDocs' previous/next order)."""
    out = []
    for item in items:
        if item.is_page:
            out.append(item)
        if item.children:
            out.extend(pages_in_order(item.children))
    return out


def relink(nav: Any) -> None:
    """Previous/next links after reordering."""
    nav.pages = pages_in_order(nav.items)
    ends = [None, *nav.pages, None]
    for before, page, after in zip(ends[:-2], nav.pages, ends[2:], strict=True):
        page.previous_page, page.next_page = before, after


def title_sections(items: list[Any]) -> None:
    """A model's section carries its card's title (the front-matter title of its index page)."""
    for item in items:
        if not item.is_section:
            continue
        title_sections(item.children)
        first = item.children[0] if item.children else None
        if first is not None and first.is_page and first.meta.get("title") \
                and _MODEL_INDEX.match(str(first.file.src_uri)):
            item.title = first.meta["title"]


def _is_model(item: Any) -> bool:
    first = item.children[0] if item.is_section and item.children else None
    return bool(first is not None and first.is_page and _MODEL_INDEX.match(str(first.file.src_uri)))


def group_models(items: list[Any], size: int = GROUP) -> None:
    """Split a section of more than `size` models into sections of `size` models, in order."""
    from mkdocs.structure.nav import Section

    for item in items:
        if not item.is_section:
            continue
        children = item.children
        if len(children) > size and all(_is_model(c) for c in children):
            groups = [Section("", children[i:i + size]) for i in range(0, len(children), size)]
            for group in groups:
                group.parent = item
                for child in group.children:
                    child.parent = group
            item.children = groups
        else:
            group_models(children, size)


def title_groups(items: list[Any]) -> None:
    """A group of models is titled by its first and last model (after `title_sections`)."""
    for item in items:
        if item.is_section:
            title_groups(item.children)
            if not item.title and item.children:
                item.title = f"{item.children[0].title} – {item.children[-1].title}"


def _is_fleet(item: Any) -> bool:
    """A section of models, or of groups of models."""
    return bool(item.is_section and item.children and all(
        _is_model(c) or (c.is_section and c.children and all(_is_model(m) for m in c.children))
        for c in item.children))


class PageNav:
    """The navigation one page renders: MkDocs' own, with other models left out of the
    sections on the page's path. Listing them grew every model page with the size of the
    fleet (HTML and mkdocs' time alike, benchmarks/site_scale.py)."""

    def __init__(self, nav: Any, items: list[Any]) -> None:
        self._nav = nav
        self.items = items

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nav, name)


def _narrowed(items: list[Any]) -> list[Any]:
    out = []
    for item in items:
        if item.is_section and item.active and item.children:
            section = copy.copy(item)  # the page's own: shared sections are never changed
            children = ([c for c in item.children if c.active] if _is_fleet(item)
                        else item.children)
            section.children = _narrowed(children)
            out.append(section)
        else:
            out.append(item)
    return out


def for_page(nav: Any, page: Any) -> Any:
    """The navigation `page` renders (MkDocs' own unless the page belongs to a model)."""
    if not _MODEL_PAGE.match(str(getattr(getattr(page, "file", None), "src_uri", "") or "")):
        return nav
    return PageNav(nav, _narrowed(list(nav.items)))
