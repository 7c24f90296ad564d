"""Every page template has one builder returning its whole context as a typed object
(site/registry.py), and the template reads nothing that type does not declare."""

from __future__ import annotations

import ast
import types
from pathlib import Path
from typing import Any, get_args, get_type_hints, is_typeddict

import pytest
from jinja2 import meta, nodes

import govkit.site
from govkit.site.jinja import default_templates_dir, make_env
from govkit.site.registry import PAGE_BUILDERS

PAGES = sorted(p.name for p in default_templates_dir().glob("*.md.j2")
               if not p.name.startswith("_"))  # _*: macros imported by pages


def context_type(builder: Any) -> Any:
    """The builder's declared return type, without `| None`."""
    returned = get_type_hints(builder)["return"]
    if isinstance(returned, types.UnionType):
        returned, = (t for t in get_args(returned) if t is not type(None))
    return returned


def keys(typed: Any) -> set[str]:
    return set(typed.__required_keys__ | typed.__optional_keys__)


def read_names(template: str) -> set[str]:
    """Names a template (and the macro files it imports with context) reads from its context."""
    env = make_env()
    assert env.loader is not None
    source = env.loader.get_source(env, template)[0]
    ast = env.parse(source)
    # a `{% set %}` inside a branch reads as maybe undeclared to meta: names the template
    # assigns itself are not context
    assigned = {n.name for n in ast.find_all(nodes.Name) if n.ctx == "store"}
    names = set(meta.find_undeclared_variables(ast)) - assigned
    for imported in meta.find_referenced_templates(ast):
        assert imported is not None
        names |= read_names(imported)
    return names - set(env.globals)


def test_every_page_template_has_one_registered_builder() -> None:
    assert sorted(PAGE_BUILDERS) == PAGES


@pytest.mark.parametrize("template", PAGES)
def test_a_page_builder_returns_a_typed_context_not_a_plain_dict(template: str) -> None:
    typed = context_type(PAGE_BUILDERS[template])
    assert is_typeddict(typed), f"{template}: its builder returns {typed}, not a TypedDict"


@pytest.mark.parametrize("template", PAGES)
def test_a_template_reads_only_what_its_context_type_declares(template: str) -> None:
    undeclared = read_names(template) - keys(context_type(PAGE_BUILDERS[template]))
    assert not undeclared, f"{template} reads {sorted(undeclared)}, not in its context type"


def test_pages_are_rendered_only_through_the_registry() -> None:
    """No site module but registry.py names a page template: pages.py asks the registry for
    each page kind (`registry.CARD.page(env, ...)`), so a page cannot bypass its builder."""
    site = Path(govkit.site.__file__).parent
    named = [f"{path.name}:{node.lineno}: {node.value}"
             for path in sorted(site.glob("*.py")) if path.name != "registry.py"
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and node.value in PAGES]
    assert not named, f"page templates named outside site/registry.py: {named}"
