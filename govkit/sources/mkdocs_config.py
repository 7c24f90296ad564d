"""mkdocs.yml read safely before `mkdocs build` runs it: what in it could run code in CI.

mkdocs imports hooks, plugins and Markdown extensions named in its config, constructs
`!!python` tags with PyYAML's unsafe loader, renders a theme's custom_dir with an unsandboxed
Jinja, reads `!ENV` variables into the site and follows INHERIT. govkit composes the file (and
each file it INHERITs) as YAML nodes, builds nothing from them, and refuses, unless govkit.yaml
sets `site.trust_mkdocs_config` (ignored in an `--untrusted` build):

Merge keys (`<<`), aliases and INHERITed files are resolved first, so what is checked is what
mkdocs will see; then every key is checked against allowlists:

- keys other than mkdocs' data-only ones (`hooks`, `extra_templates` and unknown keys);
- plugins and Markdown extensions outside an allowlist (`pymdownx.snippets` reads files);
- tags other than YAML's own, but for a few `!!python/name` functions of Material's setup;
- theme keys outside an allowlist, `theme.custom_dir`; plugin options outside a schema per
  plugin (sources/mkdocs_values.py; a path option outside the built site is always refused);
- what mkdocs writes into every page unescaped or unsanitized: `extra_javascript`, markup in
  any string (copyright, site_description, repo_name, consent texts, toc permalink, ...),
  links whose normalised URL (entities decoded, tabs, newlines and controls removed) is not
  https (http on localhost) or relative, stylesheets, logos and favicons from outside the
  site, analytics.

Paths (INHERIT, docs_dir, site_dir, custom_dir) must stay in the project even when trusted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from govkit.errors import InputError, Problem
from govkit.formatting import display_path
from govkit.model import Project
from govkit.sources.files import read_input_text
from govkit.sources.links import Bound, link_problems, why_outside
from govkit.sources.mkdocs_values import (
    REFUSED_EXTRA,
    plugin_problems,
    theme_problems,
    value_problem,
)
from govkit.sources.yamlbudget import BudgetExceeded, Loader

UNTRUSTED_ENV = "GOVKIT_UNTRUSTED"
DATA_KEYS = frozenset({
    "site_name", "site_url", "site_description", "site_author", "copyright", "repo_url",
    "repo_name", "edit_uri", "edit_uri_template", "docs_dir", "site_dir", "strict",
    "use_directory_urls", "theme", "nav", "exclude_docs", "not_in_nav", "draft_docs",
    "validation", "extra", "extra_css", "extra_javascript", "markdown_extensions", "plugins",
    "INHERIT", "dev_addr", "remote_branch", "remote_name", "watch",
})
CODE_KEYS = {"hooks": "runs Python files from the repository",
             "extra_templates": "renders templates in mkdocs' unsandboxed Jinja, which can "
                                "run any command"}
PLUGINS = frozenset({"search", "govkit", "tags", "offline", "material/search",
                     "material/tags", "material/offline"})
_MARKDOWN = ("abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes",
             "md_in_html", "tables", "toc", "codehilite", "legacy_attrs", "legacy_em", "meta",
             "nl2br", "sane_lists", "smarty", "wikilinks", "extra")
_PYMDOWNX = ("arithmatex", "betterem", "blocks.admonition", "blocks.caption",
             "blocks.definition", "blocks.details", "blocks.html", "blocks.tab", "caret",
             "critic", "details", "emoji", "escapeall", "highlight", "inlinehilite", "keys",
             "magiclink", "mark", "progressbar", "saneheaders", "smartsymbols", "striphtml",
             "superfences", "tabbed", "tasklist", "tilde")
EXTENSIONS = frozenset({*_MARKDOWN, *(f"markdown.extensions.{n}" for n in _MARKDOWN),
                        *(f"pymdownx.{n}" for n in _PYMDOWNX)})
# functions Material's documented setup names with !!python/name (and slugify, applied)
PY_NAMES = frozenset({
    "material.extensions.emoji.twemoji", "material.extensions.emoji.to_svg",
    "material.extensions.emoji.to_png", "pymdownx.emoji.twemoji", "pymdownx.emoji.emojione",
    "pymdownx.emoji.gemoji", "pymdownx.emoji.to_svg", "pymdownx.emoji.to_png",
    "pymdownx.emoji.to_alt", "pymdownx.superfences.fence_code_format",
    "pymdownx.superfences.fence_div_format", "pymdownx.arithmatex.arithmatex_fenced_format",
    "pymdownx.arithmatex.arithmatex_inline_format", "pymdownx.slugs.uslugify",
})
PY_APPLY = frozenset({"pymdownx.slugs.slugify"})
_CORE = "tag:yaml.org,2002:"
_PYTHON = _CORE + "python/"
_PLAIN_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null", "seq",
                                            "map", "timestamp", "merge", "binary", "set",
                                            "omap", "pairs"))
MAX_INHERIT = 5
Reader = Callable[[Path, str], str]  # (path, shown) -> text: the working tree or a revision


@dataclass
class _Vetting:
    """Vetting an mkdocs configuration: the files seen and the problems found."""

    bound: Bound
    read: Reader = read_input_text
    problems: list[Problem] = field(default_factory=list)  # may run code: needs trust
    paths: list[Problem] = field(default_factory=list)  # leave the project: always refused
    seen: set[Path] = field(default_factory=set)
    documents: list[Node] = field(default_factory=list)  # resolved, child first


def untrusted_env() -> bool:
    return os.environ.get(UNTRUSTED_ENV, "") not in ("", "0")


def vet_mkdocs_config(project: Project, *, untrusted: bool) -> None:
    """Refuse (InputError, exit 2) a mkdocs config that could run code or read outside the
    project; called before `mkdocs build` ever starts."""
    config = project.path(project.config.mkdocs_config)
    if not config.is_file():
        return  # site/outputs.py reports the missing config
    trusted = project.config.site.trust_mkdocs_config and not untrusted
    vet_config(project, config, trusted=trusted, untrusted=untrusted)


def vet_config(project: Project, config: Path, *, trusted: bool, untrusted: bool,
               read: Reader = read_input_text) -> list[Node]:
    """The resolved documents of `config` and its INHERIT chain (child first), once every
    problem is absent; `read` gives a file's text (the working tree, or a revision)."""
    vetting = _Vetting(Bound(project.boundary or project.root, project.root), read)
    _vet_file(config, vetting, depth=0)
    problems = vetting.paths + ([] if trusted else vetting.problems)
    if problems:
        hint = ("remove it; if your team reviewed it, set `site: {trust_mkdocs_config: true}` "
                "in govkit.yaml")
        if untrusted:
            hint = ("this build is untrusted (--untrusted or GOVKIT_UNTRUSTED), so "
                    "site.trust_mkdocs_config does not apply: remove it from the pull request")
        raise InputError([p if p in vetting.paths else
                          Problem(p.path, p.line, p.field, p.message, hint) for p in problems])
    return vetting.documents


def _vet_file(path: Path, v: _Vetting, depth: int) -> None:
    shown = display_path(path)
    if path.resolve() in v.seen or depth > MAX_INHERIT:
        v.paths.append(Problem(shown, None, "INHERIT", "INHERIT loops or nests too deep",
                               "inherit from one base config"))
        return
    v.seen.add(path.resolve())
    node = _compose(v.read(path, shown), shown)
    if node is None:
        return
    _flatten(node, set())  # merge keys resolved: what is checked is what mkdocs sees
    v.documents.append(node)
    _walk(node, [], shown, v, set())  # a tag on the document itself too
    if not isinstance(node, MappingNode):
        return  # mkdocs itself reports a config that is not a mapping
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else None
        line = key.start_mark.line + 1
        if name in CODE_KEYS:
            v.problems.append(Problem(shown, line, name, CODE_KEYS[name], ""))
        elif name not in DATA_KEYS:
            v.problems.append(Problem(shown, line, str(name), "not a key govkit knows to be "
                                      "data only (it may load code)", ""))
        elif name == "plugins":
            _named(value, name, "plugin", PLUGINS, shown, v)
        elif name == "markdown_extensions":
            _named(value, name, "Markdown extension", EXTENSIONS, shown, v)
        elif name == "theme":
            _theme(value, path, shown, v)
        elif name == "extra_javascript":
            v.problems.append(Problem(shown, line, name, "adds script to every page of the "
                                      "site", ""))
        elif name in ("docs_dir", "site_dir", "INHERIT") and isinstance(value, ScalarNode):
            target = path.parent / value.value
            why = why_outside(v.bound, target)
            if why:
                v.paths.append(Problem(shown, value.start_mark.line + 1, name,
                                       f"'{value.value}' {why}",
                                       "keep mkdocs' files inside the project"))
            elif name == "INHERIT" and (target.is_file() or v.read is not read_input_text):
                _vet_file(target, v, depth + 1)  # a revision's reader reports a missing one


def _flatten(node: Node, seen: set[int]) -> None:
    """Resolve `<<` merge keys in place, everywhere (PyYAML's own merge rules)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, MappingNode):
        SafeConstructor().flatten_mapping(node)
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, SequenceNode):
        children = list(node.value)
    else:
        return
    for child in children:
        _flatten(child, seen)


def _named(node: Node, key: str, what: str, allowed: frozenset[str], shown: str,
           v: _Vetting) -> None:
    """Plugins or extensions, as a list of names / one-key mappings, or as a mapping; a
    plugin's options are checked against its schema."""
    items: list[tuple[str, Node, Node | None]]
    if isinstance(node, MappingNode):
        items = [(f"{key}.{k.value}", k, o) for k, o in node.value]
    elif isinstance(node, SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            pairs = item.value if isinstance(item, MappingNode) else [(item, None)]
            items += [(f"{key}[{i}]", k, o) for k, o in pairs]
    else:
        items = [(key, node, None)]
    for where, name, options in items:
        value = name.value if isinstance(name, ScalarNode) else None
        if value not in allowed:
            v.problems.append(Problem(shown, name.start_mark.line + 1, where,
                                      f"{what} '{value}' is not on govkit's list of {what}s "
                                      "that run no code from the repository", ""))
        elif what == "plugin":
            for at, field_, why, trust in plugin_problems(str(value), options,
                                                          f"{where}.{value}"):
                (v.problems if trust else v.paths).append(
                    Problem(shown, at.start_mark.line + 1, field_, why,
                            "" if trust else "keep the plugin's files inside the site"))


def _icon_folders(node: Node, where: str, shown: str, v: _Vetting) -> None:
    folders = node.value if isinstance(node, SequenceNode) else [node]
    for folder in folders:
        if isinstance(folder, ScalarNode):
            why = why_outside(v.bound, v.bound.root / str(folder.value))
            if why:
                v.paths.append(Problem(shown, folder.start_mark.line + 1, where,
                                       f"'{folder.value}' {why}",
                                       "keep custom icons inside the project"))


def _theme(node: Node, config: Path, shown: str, v: _Vetting) -> None:
    for at, where, why, _ in theme_problems(node):
        v.problems.append(Problem(shown, at.start_mark.line + 1, where, why, ""))
    if not isinstance(node, MappingNode):
        return
    for key, value in node.value:
        if getattr(key, "value", None) != "custom_dir" or not isinstance(value, ScalarNode):
            continue
        folder = config.parent / value.value
        outside = why_outside(v.bound, folder)
        if outside:
            v.paths.append(Problem(shown, value.start_mark.line + 1, "theme.custom_dir",
                                   f"'{value.value}' {outside}",
                                   "keep the theme overrides inside the project"))
        else:
            v.paths += link_problems(v.bound, [folder])  # its static files are copied


def _walk(node: Node, path: list[str], shown: str, v: _Vetting, seen: set[int]) -> None:
    """Every node of the resolved document (each visited once): its tag is YAML's own or
    refused; every string is checked for where it lands (sources/mkdocs_values.py); custom
    icon folders stay in the project."""
    if id(node) in seen:
        return
    seen.add(id(node))
    where = _dotted(path)
    _tag(node, where, shown, v)
    if isinstance(node, ScalarNode) and node.tag == _CORE + "str":
        why = value_problem(path, node)
        if why:
            v.problems.append(Problem(shown, node.start_mark.line + 1, where or "(document)",
                                      f"{str(node.value).strip()[:40]!r}: {why}", ""))
    elif isinstance(node, SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, [*path, f"[{i}]"], shown, v, seen)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            _tag(key, where, shown, v)
            name = key.value if isinstance(key, ScalarNode) else "?"
            if path == ["extra"] and REFUSED_EXTRA.get(name):
                v.problems.append(Problem(shown, key.start_mark.line + 1, f"extra.{name}",
                                          str(REFUSED_EXTRA[name]), ""))
            _walk(value, [*path, str(name)], shown, v, seen)
            if name == "custom_icons":  # Material inlines every SVG file found there
                _icon_folders(value, _dotted([*path, name]), shown, v)


def _dotted(path: list[str]) -> str:
    return "".join(p if p.startswith("[") or i == 0 else f".{p}" for i, p in enumerate(path))


def _tag(node: Node, where: str, shown: str, v: _Vetting) -> None:
    tag = node.tag
    if tag in _PLAIN_TAGS:
        return
    if tag.startswith(_PYTHON + "name:") and tag.removeprefix(_PYTHON + "name:") in PY_NAMES:
        return
    apply = _PYTHON + "object/apply:"
    if tag.startswith(apply) and tag.removeprefix(apply) in PY_APPLY:
        return
    shown_tag = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
    why = ("runs Python" if tag.startswith(_PYTHON) else
           "reads the CI environment (its secrets too) into the site" if tag == "!ENV" else
           "is not a YAML tag govkit lets mkdocs construct")
    v.problems.append(Problem(shown, node.start_mark.line + 1, where or "(document)",
                              f"tag {shown_tag} {why}", ""))


def _compose(text: str, shown: str) -> Node | None:
    loader = Loader(text)
    try:
        return loader.get_single_node()
    except BudgetExceeded as exc:
        raise InputError.single(shown, exc.message, line=exc.line, hint=exc.hint) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError.single(shown, f"malformed YAML: {exc.problem}",
                                line=mark.line + 1 if mark else None,
                                hint="fix the YAML syntax on that line") from None
    except yaml.YAMLError as exc:
        raise InputError.single(shown, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
