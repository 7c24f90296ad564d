"""What the generated pages need to know of the project's mkdocs.yml: how pages are addressed
(`page.html` when the `govkit` plugin's offline mode is on, its default, or
`use_directory_urls: false`, else MkDocs' default `page/`; runbook links in alert rules and
`status.json` follow it) and whether Material's `tags` plugin lists tagged pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from govkit.errors import InputError
from govkit.formatting import display_path
from govkit.model import SiteConfig
from govkit.sources.files import read_input_text
from govkit.sources.yamlbudget import Loader

_MAX_INHERIT = 5


class _Loader(Loader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags: read them as plain values
    (nothing is constructed from them), under govkit's size and node budget."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(read_input_text(path, display_path(path)),
                         Loader=_Loader)
    except UnicodeDecodeError as exc:
        raise InputError.single(display_path(path), f"cannot read the mkdocs config: {exc}",
                                hint="fix the file or set mkdocs_config in govkit.yaml") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError.single(display_path(path), f"not valid YAML: {exc}",
                                line=mark.line + 1 if mark else None,
                                hint="fix the YAML of the mkdocs config") from exc
    return data if isinstance(data, dict) else {}


def _config(path: Path) -> dict[str, Any]:
    """The config with its `INHERIT` parents merged under it (child keys win)."""
    chain: list[dict[str, Any]] = []
    for _ in range(_MAX_INHERIT):
        data = _read(path)
        chain.append(data)
        parent = data.get("INHERIT")
        if not isinstance(parent, str):
            break
        folder = path.parent.resolve()
        path = path.parent / parent
        # only parents beside or below it: `build --html` refuses the others (mkdocs_config)
        if not path.resolve().is_relative_to(folder) or not path.is_file():
            break
    merged: dict[str, Any] = {}
    for data in reversed(chain):
        merged.update(data)
    return merged


def site_config(mkdocs_yml: Path) -> SiteConfig:
    """Without a mkdocs.yml: `.html` pages (`govkit build --html` needs the govkit plugin,
    whose offline mode is on by default) and no tags plugin."""
    if not mkdocs_yml.is_file():
        return SiteConfig()
    config = _config(mkdocs_yml)
    plugins = config.get("plugins") or []
    entries = dict(plugins.items() if isinstance(plugins, dict) else (
        (next(iter(p.items())) if isinstance(p, dict) and p else (p, None)) for p in plugins
        if isinstance(p, str | dict)))
    offline = "govkit" in entries and (
        not isinstance(entries["govkit"], dict) or entries["govkit"].get("offline") is not False)
    tags = "tags" in entries and (
        not isinstance(entries["tags"], dict) or entries["tags"].get("enabled") is not False)
    return SiteConfig(html_pages=offline or config.get("use_directory_urls", True) is False,
                      tags=tags)


def html_pages(mkdocs_yml: Path) -> bool:
    return site_config(mkdocs_yml).html_pages
