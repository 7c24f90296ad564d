"""The last line of defence: an allowlist HTML sanitizer over govkit's generated pages.

Registered as the MkDocs plugin `govkit` (pyproject entry point), which also orders the
navigation and narrows it on model pages (`site/nav.py`), takes the theme's template
whitespace out of pages (`site/whitespace.py`), names the theme's search dialog
(`site/theme_names.py`) and makes the site work from file://
(`site/offline.py`; turn that off with `- govkit: {offline: false}`). Every page of the site,
whoever wrote it (govkit, a template override, a person), passes through `nh3` (the Rust
`ammonia` sanitizer) after Markdown and before the theme: only the tags, attributes, classes and
URL schemes govkit's templates and Markdown produce survive, and images come only from the site
or `data:`, so an escaping mistake cannot become script or a request to another host. Static
`.html`, `.svg` and `.css` files of the docs folder are cleaned by allowlist too
(`site/static_files.py`), every page carries a Content-Security-Policy (`site/csp.py`), and
what was removed is reported, file by file, through the stamp file `govkit build` reads.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nh3
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority
from pygments.token import STANDARD_TYPES

from govkit.output.files import write_text
from govkit.site import (
    anchors,
    csp,
    fleet_script,
    front_matter,
    offline,
    search_rows,
    static_files,
    tag_links,
    theme_names,
    urls,
    whitespace,
)
from govkit.site import nav as navigation
from govkit.site.mkdocs import STAMP_ENV
from govkit.site.removed import removed

_ADMONITIONS = {"admonition", "note", "abstract", "info", "tip", "success", "question",
                "warning", "failure", "danger", "bug", "example", "quote"}
TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "div", "span", "ul", "ol", "li",
        "strong", "em", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "img",
        "svg", "path", "hr", "br", "blockquote", "details", "summary", "nav",
        # what hand-written Markdown produces besides
        "dl", "dt", "dd", "sup", "sub", "del", "ins", "kbd", "mark", "abbr", "caption"}
ATTRIBUTES = {
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "a": {"href", "title"}, "span": {"title", "id"}, "img": {"src", "alt", "title"},
    "svg": {"xmlns", "viewBox"}, "path": {"d"}, "th": {"style"}, "td": {"style"},
}
# Pygments' token classes: code blocks in hand-written pages keep their colours
_TOKENS = set(STANDARD_TYPES.values()) - {""}
CLASSES = {
    "a": {"headerlink", "md-tag"},  # md-tag(s): Material's tags plugin
    "nav": {"md-tags"},
    "img": {"gk-chart"},  # govkit's SVG charts (govkit.css sizes them, inverts them in dark)
    "div": _ADMONITIONS | {"highlight", "gk-by-model"},
    "details": _ADMONITIONS,
    "p": {"admonition-title"},
    "span": {"twemoji", "md-tag", "gk-check", "gk-fleet", "gk-pass", "gk-fail", "gk-warn",
             "gk-none", "gk-better", "gk-worse"} | _TOKENS,
}


LINK_SCHEMES = {"http", "https", "mailto"}


def _url_filter(element: str, attribute: str, value: str) -> str | None:
    """Images only from the site or a raster `data:` URL; link schemes checked after the browser's
    own clean-up of the URL (control characters, tabs, line breaks)."""
    if attribute == "src":
        return value if urls.is_local(value) else None
    if attribute == "id" and element == "span":  # a check's anchor (site/anchors.py)
        return value if anchors.SAFE.fullmatch(value) else None
    if attribute == "href":
        found = urls.scheme(urls.normalise(value))
        return value if found is None or found in LINK_SCHEMES else None
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html, tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES,
        url_schemes=LINK_SCHEMES | {"data"}, link_rel=None, attribute_filter=_url_filter,
        filter_style_properties={"text-align"}, strip_comments=True,
    )


STATIC = {".html": static_files.html_page, ".htm": static_files.html_page,
          ".svg": static_files.svg, ".css": static_files.css}
# copied as they are: kinds a browser shows or downloads but never runs (any other file of
# the docs folder is left out: .xhtml, .shtml, .svgz, .js, .xml, ... can run script)
COPIED = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp",
                    ".woff", ".woff2", ".ttf", ".otf", ".json", ".csv", ".tsv", ".txt",
                    ".pdf", ".yaml", ".yml", ".parquet", ".zip"})


class PluginConfig(Config):
    offline = config_options.Type(bool, default=True)


class SanitizePlugin(BasePlugin[PluginConfig]):
    """`plugins: [search, govkit]` in mkdocs.yml."""

    def on_config(self, config: Any) -> Any:
        if self.config.offline:
            offline.configure(config)
        fleet_script.configure(config)
        return config

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        self._removed: list[str] = []
        self._rows: dict[str, list[tuple[str, str, str]]] = {}
        docs = Path(os.path.abspath(config["docs_dir"]))
        # scripts the (vetted or govkit-written) configuration names, nothing else
        scripts = {str(s) for s in config.get("extra_javascript") or []}
        for file in list(files):
            suffix = Path(file.src_uri).suffix.lower()
            if file.is_documentation_page() or file.abs_src_path is None \
                    or not Path(os.path.abspath(file.abs_src_path)).is_relative_to(docs):
                continue  # theme files and files a plugin generated (a symlink in the docs
                # folder counts as in it: its path is not resolved)
            clean = STATIC.get(suffix)
            if clean is None:
                if suffix not in COPIED and file.src_uri not in scripts:
                    files.remove(file)
                    kind = suffix or "suffix-less"
                    self._removed.append(f"{file.src_uri}: removed the file (a {kind} file "
                                         "may run script; published kinds: html, svg, css, "
                                         "images, fonts, data)")
                continue
            try:
                text, gone = clean(file.content_string)
            except UnicodeDecodeError:
                text, gone = clean("")[0], ["removed the file's content (not UTF-8)"]
            file.content_string = text
            self._removed += [f"{file.src_uri}: {what}" for what in gone]
        if self.config.offline:
            offline.add_shim(files, config)
        fleet_script.add_script(files, config)
        self._files = files
        return files

    def on_nav(self, site_nav: Any, /, *, config: Any, files: Any) -> Any:
        navigation.order(site_nav.items)
        board = files.get_file_from_path("status.json")  # the dashboard's statuses
        navigation.group_models(site_nav.items, navigation.statuses(
            board.content_string if board is not None else None))
        navigation.relink(site_nav)
        self._items = site_nav.items
        return site_nav

    def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
        navigation.title_sections(getattr(self, "_items", []))  # pages are read by now
        navigation.title_groups(getattr(self, "_items", []))
        front_matter.plain_titles(getattr(self, "_items", []),
                                  [f.page for f in files.documentation_pages() if f.page])
        return env

    @event_priority(-50)  # after the tags plugin put the page's tags in the context
    def on_page_context(self, context: Any, /, *, page: Any, config: Any, nav: Any) -> Any:
        context["nav"] = navigation.for_page(nav, page)
        if context.get("tags"):  # the tags plugin's
            context["tags"] = tag_links.link(context["tags"], self._files)
        return context

    @event_priority(100)  # before the tags plugin and the theme read page.meta
    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
        page.meta, gone = front_matter.clean(page.meta)
        self._removed += [f"{page.file.src_uri}: {what}" for what in gone]
        return markdown

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
        clean = sanitize(html)
        self._removed += [f"{page.file.src_uri}: {what}" for what in removed(html, clean)]
        found = search_rows.collect(clean)
        if found:
            self._rows[page.url] = found
        return clean

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        return csp.add(theme_names.add(whitespace.collapse(output)))

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: Any) -> str:
        if not template_name.endswith(".html"):
            return output_content
        return csp.add(theme_names.add(output_content))

    @event_priority(-100)  # after the search plugin wrote its index
    def on_post_build(self, *, config: Any) -> None:
        index = Path(config["site_dir"]) / "search" / "search_index.json"
        if index.is_file() and getattr(self, "_rows", None):
            write_text(index, search_rows.with_rows(index.read_text(encoding="utf-8"),
                                                    self._rows))
        if self.config.offline:
            offline.write_search_index(config["site_dir"])
        stamp = os.environ.get(STAMP_ENV)
        if stamp:
            write_text(Path(stamp), "".join(f"{line}\n" for line in ["sanitized", *self._removed]))
