"""Safe YAML reading that remembers the line of every value."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from govkit.errors import InputError, Problem, YamlError
from govkit.formatting import display_path
from govkit.model import Loc, YamlDoc, dotted
from govkit.sources.files import DEFAULT_MAX_MB, LIMIT_HINT, max_bytes, read_input_text
from govkit.sources.yamlbudget import MAX_DEPTH, BudgetExceeded, Loader

DEFAULT_LIMIT = max_bytes(DEFAULT_MAX_MB)
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_KINDS = {
    "tag:yaml.org,2002:bool": "a boolean", "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number", "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:null": "null",
}
# Valid JSON holds no anchors, aliases or tags, so libyaml may compose it (for its lines).
_JsonLines: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, path: str) -> YamlDoc:
    """Parse one YAML document safely, tracking lines and rejecting duplicate keys."""
    loader = Loader(text)
    doc = YamlDoc(path=path, data=None)
    try:
        node = loader.get_single_node()
        if node is not None:
            problems: list[Problem] = []
            _index(node, (), doc.lines, path, problems)  # before construction flattens merges
            if problems:
                raise YamlError(problems)
            doc.data = loader.construct_document(node)
    except BudgetExceeded as exc:
        raise _budget_error(path, exc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlError.single(
            path, f"malformed YAML: {msg}", line=line, hint="fix the YAML syntax on that line"
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError.single(path, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    return doc


def parse_json(text: str, path: str) -> YamlDoc:
    """Parse JSON with `json`, taking value lines from the YAML composer (JSON is YAML)."""
    non_finite: list[str] = []
    try:
        data = json.loads(text, parse_constant=_refuse(non_finite), parse_float=_finite(non_finite))
    except RecursionError:
        raise YamlError.single(path, "malformed JSON: nested too deeply",
                               hint="flatten the structure") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise YamlError.single(path, f"malformed JSON: {exc}", line=line,
                                hint="fix the JSON syntax on that line") from None
    doc = YamlDoc(path=path, data=data)
    try:
        loader = _JsonLines(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return doc  # valid JSON that YAML 1.1 cannot compose: no line numbers
    if node is not None:
        try:
            _index(node, (), doc.lines, path, [])
        except BudgetExceeded as exc:
            raise _budget_error(path, exc) from None
    if non_finite:
        raise YamlError(list(_non_finite_problems(doc)))
    return doc


class _NonFinite(str):
    """NaN, Infinity or an overflowing number in JSON, kept as written to be reported."""


def _refuse(found: list[str]) -> Callable[[str], Any]:
    def constant(token: str) -> Any:
        found.append(token)
        return _NonFinite(token)

    return constant


def _finite(found: list[str]) -> Callable[[str], Any]:
    def number(token: str) -> Any:
        value = float(token)
        if math.isfinite(value):
            return value
        found.append(token)
        return _NonFinite(token)

    return number


def _non_finite_problems(doc: YamlDoc) -> Iterator[Problem]:
    stack: list[tuple[Loc, Any]] = [((), doc.data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, _NonFinite):
            yield Problem(doc.path, doc.line_of(loc), dotted(loc),
                          f"{value} is not a finite number",
                          "NaN and infinity are not allowed: write a finite number, or null "
                          "if unknown")
        elif isinstance(value, dict):
            stack.extend(((*loc, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*loc, i), v) for i, v in enumerate(value))


def load_yaml(
    path: Path, display: str | None = None, limit: int = DEFAULT_LIMIT,
    limit_hint: str = LIMIT_HINT,
) -> YamlDoc:
    """Read a YAML or JSON input (by suffix), refusing files over `limit` bytes."""
    shown = display or str(path)
    text = read_input_text(path, shown, limit, limit_hint)
    return parse_json(text, shown) if path.suffix == ".json" else parse_yaml(text, shown)


def _budget_error(path: str, exc: BudgetExceeded) -> YamlError:
    return YamlError.single(path, exc.message, line=exc.line, hint=exc.hint)


def _index(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: str, problems: list[Problem]
) -> None:
    if len(loc) > MAX_DEPTH:
        raise BudgetExceeded(f"nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1,
                             "flatten the structure")
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key_node.tag != _STR:
                problems.append(_not_text(key_node, loc, path))
                continue
            if key in seen:
                problems.append(Problem(
                    path, line, dotted((*loc, key)),
                    f"duplicate key (first defined on line {seen[key]})", "keep only one",
                ))
                continue
            seen[key] = line
            lines[(*loc, key)] = line
            _index(value_node, (*loc, key), lines, path, problems)
        for key_node, value_node in _merged(node):
            key = key_node.value
            if key_node.tag != _STR:
                problems.append(_not_text(key_node, loc, path))
            elif key not in seen:  # a key written here, or merged earlier, wins
                seen[key] = lines[(*loc, key)] = key_node.start_mark.line + 1
                _index(value_node, (*loc, key), lines, path, problems)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), lines, path, problems)


def _not_text(key_node: yaml.Node, loc: Loc, path: str) -> Problem:
    """Every key govkit reads is text: `yes:` or `2024-01-01:` are a boolean and a date."""
    line = key_node.start_mark.line + 1
    if not isinstance(key_node, yaml.ScalarNode):
        return Problem(path, line, dotted(loc), "a list or mapping cannot be a key",
                       "write a text key")
    kind = _KINDS.get(key_node.tag, "a " + key_node.tag.rsplit(":", 1)[-1])
    return Problem(path, line, dotted((*loc, key_node.value)),
                   f"key is read as {kind}, not as text", f'quote it: "{key_node.value}":')


def _merged(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """Pairs a mapping gets through `<<:` merge keys, in order of precedence."""
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE:
            continue
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in sources:
            if isinstance(source, yaml.MappingNode):  # else the constructor reports it
                yield from ((k, v) for k, v in source.value if k.tag != _MERGE)
                yield from _merged(source)


def quoted_scalar(text: str) -> str:
    """`text` as one double-quoted YAML scalar on one line (backslashes, quotes, controls)."""
    return yaml.dump(text, default_style='"', width=float("inf"), allow_unicode=True).strip()


def dump_yaml(data: Any) -> str:
    """Deterministic YAML: sorted keys, block style, unicode kept."""
    return yaml.safe_dump(data, sort_keys=True, allow_unicode=True, default_flow_style=False)


def read_doc(
    path: Path, problems: list[Problem], limit: int = DEFAULT_LIMIT
) -> YamlDoc | None:
    """`load_yaml` for a loader that reports every problem at once: problems are collected
    into `problems` and the file's document is None."""
    try:
        return load_yaml(path, display_path(path), limit)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
