"""What may stand in a mkdocs config once merge keys, aliases and INHERIT are resolved: the
theme's keys, each known plugin's options (paths inside the site), strings without markup
(Material prints several config strings unescaped) and URLs checked after normalising."""

from __future__ import annotations

import posixpath

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from govkit.schemas.site import markup_problem, normalised_url, url_problem

THEME_KEYS = frozenset({"name", "language", "locale", "direction", "features", "palette",
                        "font", "logo", "favicon", "icon", "custom_dir"})
NEED_TRUST = {"custom_dir": "theme templates are rendered by mkdocs' unsandboxed Jinja, "
                            "which can run any command"}
# plugin -> {option: kind}; kind "path" is a file the plugin writes inside site_dir
_TAGS = {"enabled": "bool", "tags": "bool", "tags_slugify_separator": "str",
         "tags_slugify_format": "str", "tags_hierarchy": "bool",
         "tags_hierarchy_separator": "str", "tags_sort_reverse": "bool",
         "tags_name_property": "str", "tags_name_variable": "str", "tags_allowed": "list",
         "listings": "bool", "listings_sort_reverse": "bool",
         "listings_tags_sort_reverse": "bool", "listings_directive": "str",
         "listings_layout": "str", "listings_toc": "bool", "shadow": "bool",
         "shadow_on_serve": "bool", "export": "bool", "export_only": "bool",
         "export_file": "path"}
PLUGIN_OPTIONS: dict[str, dict[str, str]] = {
    "search": {"lang": "list", "separator": "str", "min_search_length": "int",
               "prebuild_index": "bool", "indexing": "str"},
    "govkit": {"offline": "bool"},
    "offline": {"enabled": "bool"},
    "tags": _TAGS,
}
for _name in ("search", "tags", "offline"):
    PLUGIN_OPTIONS[f"material/{_name}"] = PLUGIN_OPTIONS[_name]
# fields whose value becomes a link or a resource URL, by their last key
REMOTE_OK = frozenset({"repo_url", "edit_uri", "site_url", "link", "edit_uri_template"})
SITE_ONLY = frozenset({"logo", "favicon", "extra_css"})
REFUSED_EXTRA = {"analytics": "sends every reader's visits to an outside service"}


def theme_problems(node: Node) -> list[tuple[Node, str, str, bool]]:
    """(node, field, why, trust would allow it) for the theme mapping."""
    if not isinstance(node, MappingNode):
        return []
    out = []
    for key, _ in node.value:
        name = getattr(key, "value", None)
        if name in NEED_TRUST:
            out.append((key, f"theme.{name}", NEED_TRUST[name], True))
        elif name not in THEME_KEYS:
            out.append((key, f"theme.{name}", "not a theme option govkit knows to be data "
                        "only", True))
    return out


def plugin_problems(name: str, options: Node | None, where: str
                    ) -> list[tuple[Node, str, str, bool]]:
    """Options of a known plugin against its schema; a path option must stay in site_dir."""
    schema = PLUGIN_OPTIONS.get(name)
    if schema is None or not isinstance(options, MappingNode):
        return []
    out = []
    for key, value in options.value:
        option = getattr(key, "value", None)
        kind = schema.get(str(option))
        field = f"{where}.{option}"
        if kind is None:
            out.append((key, field, f"not an option of the {name} plugin govkit allows", True))
        elif kind == "path":
            text = value.value if isinstance(value, ScalarNode) else None
            norm = posixpath.normpath(normalised_url(str(text))) if text else ""
            if not text or norm.startswith(("..", "/")) or url_problem(text, remote=False) \
                    or ":" in norm or "\\" in norm:
                out.append((value, field, f"{text!r} is not a path inside the built site",
                            False))
        elif kind in ("bool", "int", "str") and not (
                isinstance(value, ScalarNode) and value.tag.endswith(":" + kind)):
            out.append((value, field, f"expected a {kind}", True))
        elif kind == "list" and not isinstance(value, SequenceNode | ScalarNode):
            out.append((value, field, "expected a list", True))
    return out


def value_problem(path: list[str], node: ScalarNode) -> str | None:
    """Why a string at `path` (keys and `[i]`) may not reach the site."""
    value = str(node.value)
    last = next((p for p in reversed(path) if not p.startswith("[")), "")
    if last in SITE_ONLY or path[:1] in (["extra_css"], ["extra_javascript"]):
        why = url_problem(value, remote=False)
        return f"{why}; loads a file from outside the site on every page" if why else None
    if last in REMOTE_OK:
        why = url_problem(value, remote=True)
        if why:
            return why
    elif url_problem(value, remote=True) and _scripty(value):
        return "a javascript:/data:/vbscript: URL runs script when clicked"
    return markup_problem(value)


def _scripty(value: str) -> bool:
    return normalised_url(value).lower().startswith(("javascript:", "vbscript:", "data:"))
