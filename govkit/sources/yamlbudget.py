"""A YAML loader with a budget: alias bombs, recursive aliases and deep nesting fail while
composing, before any value is built. libyaml scans and parses when present; composing is
Python so that every alias is counted (libyaml's composer has no hook)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, ScalarEvent
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

# Values in one file, each alias counting the values it repeats: aliases cannot make a
# document bigger than the largest one that could be written out (5 MB holds ~500000).
MAX_NODES = 500_000
MAX_DEPTH = 100  # nesting of lists and mappings


class BudgetExceeded(yaml.YAMLError):
    """The document is too big or too deep to be read safely; `line` is 1-based."""

    def __init__(self, message: str, line: int, hint: str) -> None:
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint


def _line(mark: Any) -> int:
    return mark.line + 1 if mark is not None else 1


class BudgetComposer(Composer):
    """Counts values as they are composed; an alias counts every value it repeats.

    The budget is checked at every value, so an oversized file stops where it crosses it
    instead of after the whole file has been composed.
    """

    def __init__(self) -> None:
        super().__init__()
        self._sizes: dict[int, int] = {}  # id(anchored collection) -> values in it
        self._nodes = 0
        self._depth = 0

    if TYPE_CHECKING:  # provided by the parser the loader mixes in

        def get_event(self) -> Any: ...
        def peek_event(self) -> Any: ...
        def resolve(self, kind: type, value: Any, implicit: Any) -> str: ...

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        kind = type(event)
        if kind is AliasEvent:
            self._count_alias(event)
            return super().compose_node(parent, index)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise BudgetExceeded(f"more than {MAX_NODES} values in one file",
                                 _line(event.start_mark), "split the file")
        if kind is ScalarEvent and event.anchor is None:
            # most nodes: Composer.compose_scalar_node without its frames (no path resolvers)
            self.get_event()
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.resolve(ScalarNode, event.value, event.implicit)
            return ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                              style=event.style)
        return super().compose_node(parent, index)

    def compose_sequence_node(self, anchor: Any) -> Any:
        start = self._enter()
        return self._leave(super().compose_sequence_node(anchor), anchor, start)

    def compose_mapping_node(self, anchor: Any) -> Any:
        start = self._enter()
        return self._leave(super().compose_mapping_node(anchor), anchor, start)

    def _enter(self) -> int:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            line = _line(self.peek_event().start_mark)
            raise BudgetExceeded(f"nested deeper than {MAX_DEPTH} levels", line,
                                 "flatten the structure")
        return self._nodes

    def _leave(self, node: Any, anchor: str | None, start: int) -> Any:
        self._depth -= 1
        if anchor is not None:
            self._sizes[id(node)] = self._nodes - start + 1
        return node

    def _count_alias(self, event: AliasEvent) -> None:
        target = self.anchors.get(event.anchor)
        if target is None:
            return  # the composer reports the undefined alias
        line = _line(event.start_mark)
        size = 1 if isinstance(target, ScalarNode) else self._sizes.get(id(target))
        if size is None:
            raise BudgetExceeded(f"alias *{event.anchor} refers to a value that contains it",
                                 line, "remove the recursive alias")
        self._nodes += size
        if self._nodes > MAX_NODES:
            raise BudgetExceeded(
                f"more than {MAX_NODES} values once aliases are expanded (an alias bomb?)",
                line, "write the values out or use fewer aliases")


class GovkitConstructor(SafeConstructor):
    """Safe constructors; a date that does not exist (2024-13-45) stays text for the schema."""

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


GovkitConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:timestamp", GovkitConstructor.construct_yaml_timestamp
)


class PyLoader(
    yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, BudgetComposer,
    GovkitConstructor, Resolver,
):
    """Pure Python: used when PyYAML has no libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        BudgetComposer.__init__(self)
        GovkitConstructor.__init__(self)
        Resolver.__init__(self)


try:
    from yaml import _yaml

    _CParser: Any = _yaml.CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _CParser = None


if _CParser is not None:

    class Loader(BudgetComposer, _CParser, GovkitConstructor, Resolver):
        """libyaml scans and parses (fast); Python composes (counted)."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            BudgetComposer.__init__(self)
            GovkitConstructor.__init__(self)
            Resolver.__init__(self)

else:  # pragma: no cover
    Loader = PyLoader  # type: ignore[misc,assignment]
