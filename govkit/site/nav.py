"""The navigation as people read it: each model under its title, versions and monitoring
windows newest first, models in a section per dashboard status when there are many (failing
first), and on a model's pages only that model (the home page's dashboard and navigation
list them all).

Run by the `govkit` MkDocs plugin (`site/sanitize.py`). Without a `nav:` in mkdocs.yml, MkDocs
sorts files by name (2.10.0 before 2.2.0, the oldest window first) and names a folder after
its path ("Churn"). These functions reorder govkit's own folders and title each model's
section after its card; hand-written pages and folders keep MkDocs' order.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from govkit.checks.results import STATUS_ORDER
from govkit.model import MODELS_PAGE_DIR
from govkit.schemas.common import version_key
from govkit.site.status import word

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


def _model_name(item: Any) -> str:
    return str(item.children[0].file.src_uri).split("/")[1]


def statuses(status_json: str | None) -> dict[str, str | None]:
    """Each model's dashboard status (`status.json`, site/fleet.py), by name; {} without it."""
    if not status_json:
        return {}
    try:
        rows = json.loads(status_json).get("models", [])
    except (ValueError, AttributeError):
        return {}  # not govkit's: the navigation stays alphabetical
    return {str(r.get("name")): r.get("status") for r in rows if isinstance(r, dict)}


def _chunks(parent: Any, children: list[Any], size: int) -> list[Any]:
    from mkdocs.structure.nav import Section

    groups = [Section("", children[i:i + size]) for i in range(0, len(children), size)]
    for group in groups:
        group.parent = parent
        for child in group.children:
            child.parent = group
    return groups


def _by_status(parent: Any, children: list[Any], status: dict[str, str | None],
               size: int) -> list[Any]:
    """A section per dashboard status, failing first, titled with its word and count; a
    status of more than `size` models in sections of `size`."""
    from mkdocs.structure.nav import Section

    buckets: dict[str | None, list[Any]] = {}
    for child in children:
        buckets.setdefault(status.get(_model_name(child)), []).append(child)
    out = []
    for key in sorted(buckets, key=lambda k: STATUS_ORDER.get(k or "", len(STATUS_ORDER))):
        members = buckets[key]
        section = Section(f"{word(key)} ({len(members)})", [])
        section.parent = parent
        if len(members) > size:
            section.children = _chunks(section, members, size)
        else:
            section.children = members
            for member in members:
                member.parent = section
        out.append(section)
    return out


def group_models(items: list[Any], status: dict[str, str | None] | None = None,
                 size: int = GROUP) -> None:
    """A section of more than `size` models: one section per dashboard status when `status`
    knows every model (failing models first, by name), else sections of `size` in order."""
    for item in items:
        if not item.is_section:
            continue
        children = item.children
        if len(children) > size and all(_is_model(c) for c in children):
            known = status is not None and all(_model_name(c) in status for c in children)
            item.children = (_by_status(item, children, status or {}, size) if known
                             else _chunks(item, children, size))
        else:
            group_models(children, status, size)


def title_groups(items: list[Any]) -> None:
    """A group of models is titled by its first and last model (after `title_sections`)."""
    for item in items:
        if item.is_section:
            title_groups(item.children)
            if not item.title and item.children:
                item.title = f"{item.children[0].title} – {item.children[-1].title}"


def _is_fleet(item: Any) -> bool:
    """A section of models, or of groups of models (by status, in sections of GROUP)."""
    return bool(item.is_section and item.children and all(
        _is_model(c) or _is_fleet(c) for c in item.children))


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
