"""The mkdocs configuration of an untrusted build, which never reads mkdocs.yml from the
working tree: written by govkit from govkit.yaml's typed `site:` section, or taken from a
revision CI names (`--config-from origin/main`), resolved (merge keys, aliases, INHERIT) and
vetted before use. Either way fonts come from the site (`font: false`) and analytics are off."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import Node

from govkit.errors import InputError
from govkit.model import Project, SiteConfig
from govkit.schemas.site import markup_problem
from govkit.sources import git
from govkit.sources.mkdocs_config import vet_config

# Markdown extensions of an untrusted build: fixed, with fixed options
EXTENSIONS: list[Any] = [
    "admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}},
    "pymdownx.details", "pymdownx.superfences",
    {"pymdownx.emoji": {"emoji_index": "!!python/name:material.extensions.emoji.twemoji",
                        "emoji_generator": "!!python/name:material.extensions.emoji.to_svg"}},
]
FEATURES = ["navigation.indexes", "navigation.prune", "navigation.sections", "navigation.top",
            "search.highlight"]
_TOGGLE = {"default": ("material/weather-night", "Switch to dark mode"),
           "slate": ("material/weather-sunny", "Switch to light mode")}
PY_NAME = "tag:yaml.org,2002:python/name:"


class PyName(str):
    """A `!!python/name:` value, written back as that tag (only vetted names get here)."""


def owned_config(project: Project) -> dict[str, Any]:
    """mkdocs' configuration from the `site:` section alone."""
    site = project.config.site
    schemes = {"auto": ["default", "slate"], "light": ["default"], "dark": ["slate"]}
    palette = [{"media": f"(prefers-color-scheme: {'light' if s == 'default' else 'dark'})",
                "scheme": s, "toggle": {"icon": _TOGGLE[s][0], "name": _TOGGLE[s][1]}}
               for s in schemes[site.palette]]
    if len(palette) == 1:
        palette = [{"scheme": palette[0]["scheme"]}]
    theme: dict[str, Any] = {"name": "material", "font": False, "palette": palette,
                             "features": FEATURES}
    if site.logo:
        theme["logo"] = site.logo
    name = site.title or project.config.project
    why = markup_problem(name)
    if why:  # Material prints site_name unescaped; `project` is shown escaped elsewhere
        raise InputError.single(project.config_doc.path, why, field="project",
                                line=project.config_doc.lines.get(("project",)),
                                hint="set a plain-text `site: {title: ...}` for the site name")
    config: dict[str, Any] = {
        "site_name": name, "strict": True,
        "use_directory_urls": False, "theme": theme, "extra_css": ["assets/govkit.css"],
        "plugins": ["search", "tags", "govkit"],
        "markdown_extensions": [_py_names(e) for e in EXTENSIONS],
    }
    if site.description:
        config["site_description"] = site.description
    if site.repo_url:
        config["repo_url"] = site.repo_url
    return config


def revision_config(project: Project, revision: str) -> dict[str, Any]:
    """The project's mkdocs config (and what it INHERITs) as committed at `revision`,
    vetted with no trust, then resolved into one mapping."""
    top = git.toplevel(project.root)
    if top is None:
        raise InputError.single(revision, "--config-from needs the project in a git repository",
                                hint="run the build in a git checkout")
    commit = git.commit_of(project.root, revision)

    def read(path: Path, shown: str) -> str:
        # the path as written, not through the working tree's symlinks
        rel = PurePosixPath("/")
        for candidate in (Path(os.path.normpath(path.absolute())), path.resolve()):
            if candidate.is_relative_to(top):
                rel = PurePosixPath(candidate.relative_to(top).as_posix())
                break
        found = git.input_files(top, commit, lambda p: p == rel)
        if str(rel) not in found:
            raise InputError.single(shown, f"not in revision {revision}",
                                    hint="name a revision that holds the site's mkdocs config")
        return found[str(rel)].decode("utf-8", errors="replace")

    config = project.path(project.config.mkdocs_config)
    documents = vet_config(project, config, trusted=False, untrusted=True, read=read)
    merged: dict[str, Any] = {}
    for node in reversed(documents):  # parents first; child keys win, as in mkdocs
        data = _construct(node)
        merged = _merge(merged, data if isinstance(data, dict) else {})
    for key in ("INHERIT", "docs_dir", "site_dir", "extra_javascript"):
        merged.pop(key, None)
    theme = merged.get("theme")
    merged["theme"] = {**(theme if isinstance(theme, dict) else {"name": "material"}),
                       "font": False}
    extra = merged.get("extra")
    if isinstance(extra, dict):
        extra.pop("analytics", None)
    return merged


def dump_config(config: dict[str, Any]) -> str:
    """The configuration as YAML text for mkdocs (docs_dir is added by the build)."""
    return str(yaml.dump(config, Dumper=_Dumper, sort_keys=True, allow_unicode=True))


def site_config_of(config: dict[str, Any]) -> SiteConfig:
    plugins = config.get("plugins") or []
    names = set(plugins) if isinstance(plugins, dict) else {
        p if isinstance(p, str) else next(iter(p)) for p in plugins if p}
    offline = "govkit" in names
    return SiteConfig(html_pages=offline or config.get("use_directory_urls", True) is False,
                      tags="tags" in names or "material/tags" in names)


class _Constructor(SafeConstructor):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _refuse_apply(loader: Any, suffix: str, node: Node) -> Any:
    raise InputError.single("--config-from", f"!!python/object/apply:{suffix} cannot be "
                            "carried into an untrusted build's configuration",
                            line=node.start_mark.line + 1, hint="use the default slugify")


_Constructor.add_multi_constructor(
    PY_NAME, lambda loader, suffix, node: PyName(suffix))
_Constructor.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _refuse_apply)
_Dumper.add_representer(PyName, lambda dumper, value: dumper.represent_scalar(
    PY_NAME + str(value), ""))


def _construct(node: Node) -> Any:
    return _Constructor().construct_document(node)


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in child.items():
        out[key] = (_merge(out[key], value) if isinstance(value, dict)
                    and isinstance(out.get(key), dict) else value)
    return out


def _py_names(entry: Any) -> Any:
    if isinstance(entry, dict):
        return {k: _py_names(v) for k, v in entry.items()}
    if isinstance(entry, str) and entry.startswith("!!python/name:"):
        return PyName(entry.removeprefix("!!python/name:"))
    return entry
