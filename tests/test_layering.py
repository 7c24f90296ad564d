"""The plan of the house: imports run one way (see ARCHITECTURE.md).

cli -> commands -> {sources, monitoring, checks, review, reports, site} -> model -> schemas
-> errors; review (the diff engine) sits below {reports, site}. `checks.results` (check results,
statuses, the documented range) sits just above model: sources, review, reports and site read
it, never the rule modules of checks/. output/ (the writer) imports
only the leaves, and is the only code that writes, removes or makes files and folders.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "govkit"
LEAVES = {"errors", "formatting", "package_data"}
BELOW_MODEL = {"schemas"} | LEAVES
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "formatting": set(),
    "package_data": set(),
    "output": LEAVES,
    "schemas": LEAVES,
    "model": BELOW_MODEL,
    "monitoring": BELOW_MODEL,
    "sources": {"checks.results", "model", "output"} | BELOW_MODEL,
    # checks.results: the vocabulary every later stage reads (results, statuses, ranges)
    "checks.results": BELOW_MODEL | {"model"},
    # checks: the release gate decides on monitoring's paired tests (pure statistics)
    "checks": {"checks.results", "model", "monitoring"} | BELOW_MODEL,
    "review": {"checks.results", "model"} | BELOW_MODEL,
    "reports": {"checks.results", "review", "model"} | BELOW_MODEL,
    # exports: records and check results -> Hub cards, ML-BOMs, MLflow summaries (pure)
    "exports": {"checks.results", "model"} | BELOW_MODEL,
    # sinks: writes into systems other than files (MLflow registry); takes plain data
    "sinks": {"output"} | LEAVES,
    "site": {"checks.results", "review", "model", "output"} | BELOW_MODEL,
    "commands": {"sources", "monitoring", "checks", "checks.results", "review", "reports",
                 "exports", "sinks", "site", "model", "output"} | BELOW_MODEL,
}


def _stage(module: str) -> str:
    if module == "govkit.checks.results":
        return "checks.results"  # the checks stage's output, below every reader of it
    return module.split(".")[1] if module.count(".") else "__init__"


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name, []) for a in node.names)
    return [(line, mod, names) for line, mod, names in found
            if mod == "govkit" or mod.startswith("govkit.")]


def _violations(package: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent)
        own = _stage(".".join(rel.with_suffix("").parts))
        if own not in ALLOWED:
            continue  # cli, __main__, __init__: the top may import anything
        for line, module, names in _imports(path):
            target = _stage(module)
            if module == "govkit":
                target = names[0] if names else "__init__"
            if target == own:
                continue
            if target not in ALLOWED[own]:
                out.append(f"{rel}:{line}: {own} must not import {module}")
    return out


def test_imports_run_one_way() -> None:
    assert _violations() == []


def test_the_layering_test_catches_a_forbidden_import(tmp_path: Path) -> None:
    """A module of schemas/ that imports the loader is reported with its file and line,
    and so is a page module that runs checks."""
    copy = tmp_path / "govkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "schemas" / "probe.py").write_text(
        "from govkit.sources.project import load_project\n", encoding="utf-8")
    (copy / "site" / "probe.py").write_text(
        "import os\n\nfrom govkit.checks.results import CheckResult\n"
        "from govkit.checks.project import check_project\n", encoding="utf-8")
    assert _violations(copy) == [
        "govkit/schemas/probe.py:1: schemas must not import govkit.sources.project",
        "govkit/site/probe.py:4: site must not import govkit.checks.project",
    ]


# A documented range is chosen and printed in one place: checks/results.py (DocumentedRange,
# applicable). Elsewhere, a function that reads bounds (.min/.max/.exclusive, low/high) must
# not also spell a bound sign, and no code weighs a range_source against "hand-written".
RANGE_HOME = Path("govkit/checks/results.py")
BOUND_SIGNS = ("≥", "≤")
BOUND_ATTRS = {"min", "max", "exclusive"}
BOUND_NAMES = {"low", "high", "lower", "upper", "min", "max"}


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _reads_bounds(node: ast.AST) -> bool:
    return any((isinstance(n, ast.Attribute) and n.attr in BOUND_ATTRS)
               or (isinstance(n, ast.Name) and n.id in BOUND_NAMES) for n in ast.walk(node))


def _weighs_sources(node: ast.Compare) -> bool:
    parts = [node.left, *node.comparators]
    return (any(isinstance(p, ast.Attribute) and p.attr in ("range_source", "basis")
                for p in parts)
            and any(isinstance(p, ast.Constant) and p.value == "hand-written" for p in parts))


def _range_violations(package: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent)
        if rel == RANGE_HOME:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and _reads_bounds(node) and any(
                    sign in s for s in _strings(node) for sign in BOUND_SIGNS):
                out.append(f"{rel}:{node.lineno}: {node.name} prints a range "
                           "(use str(DocumentedRange))")
            elif isinstance(node, ast.Compare) and _weighs_sources(node):
                out.append(f"{rel}:{node.lineno}: chooses a range (use checks.results.applicable)")
    return out


def test_ranges_are_chosen_and_printed_only_in_checks_results() -> None:
    assert _range_violations() == []


def test_the_range_test_catches_a_second_printer_and_a_second_rule(tmp_path: Path) -> None:
    copy = tmp_path / "govkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "site" / "probe.py").write_text(
        "def shown(low, high):\n"
        "    return f'≥ {low}' if high is None else f'{low} – {high}'\n\n\n"
        "def chosen(metric, card):\n"
        "    return metric if metric.range_source == 'hand-written' else card\n",
        encoding="utf-8")
    assert _range_violations(copy) == [
        "govkit/site/probe.py:1: shown prints a range (use str(DocumentedRange))",
        "govkit/site/probe.py:6: chooses a range (use checks.results.applicable)",
    ]


def _module_graph(package: Path) -> dict[str, set[str]]:
    mods = {}
    for path in package.rglob("*.py"):
        name = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        for _, module, names in _imports(path):
            target = next((c for c in (*(f"{module}.{n}" for n in names), module)
                           if c in mods), None)
            if target is not None and target != name:
                graph[name].add(target)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circles() -> None:
    """Lazy imports inside functions count too."""
    assert _circles(_module_graph(PACKAGE)) == []


# Calls that write, remove or make files and folders; only govkit/output/ makes them.
WRITE_METHODS = {"write_text", "write_bytes", "unlink", "rmdir", "mkdir", "touch", "rename",
                 "symlink_to", "hardlink_to", "chmod"}
WRITE_FUNCTIONS = {
    "os": {"replace", "rename", "renames", "remove", "unlink", "rmdir", "removedirs", "mkdir",
           "makedirs", "fdopen", "symlink", "link", "truncate", "chmod"},
    "shutil": {"rmtree", "move", "copy", "copy2", "copyfile", "copytree", "copyfileobj"},
    "tempfile": {"mkstemp", "mkdtemp", "TemporaryDirectory", "NamedTemporaryFile",
                 "TemporaryFile", "SpooledTemporaryFile"},
}
READ_MODES = {"r", "rb", "rt", "br", "tr"}


def _open_mode(call: ast.Call, position: int) -> str | None:
    """The mode of an `open` call: None when it is not a literal read mode."""
    mode: ast.expr | None = call.args[position] if len(call.args) > position else None
    for kw in call.keywords:
        if kw.arg == "mode":
            mode = kw.value
    if mode is None:
        return "r"
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return mode.value
    return None


def _writes(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "open":
            if _open_mode(node, 1) not in READ_MODES:
                found.append((node.lineno, "open(..., write mode)"))
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if owner in WRITE_FUNCTIONS:
                if func.attr in WRITE_FUNCTIONS[owner]:
                    found.append((node.lineno, f"{owner}.{func.attr}"))
            elif func.attr in WRITE_METHODS:
                found.append((node.lineno, f".{func.attr}()"))
            elif func.attr == "open" and _open_mode(node, 0) not in READ_MODES:
                found.append((node.lineno, ".open(write mode)"))
    return found


def _writers(package: Path = PACKAGE) -> list[str]:
    return [f"{path.relative_to(package.parent)}:{line}: only govkit/output/ writes ({what})"
            for path in sorted(package.rglob("*.py"))
            if path.relative_to(package).parts[0] != "output"
            for line, what in _writes(path)]


def test_only_the_writer_writes() -> None:
    assert _writers() == []


def test_the_write_rule_catches_a_write(tmp_path: Path) -> None:
    """A write outside output/ is reported with file and line; reads are not."""
    copy = tmp_path / "govkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "site" / "probe.py").write_text(
        "import os\nimport shutil\nfrom pathlib import Path\n\n"
        "Path('a').write_text('x')\nopen('b', 'w')\nos.replace('a', 'b')\n"
        "shutil.rmtree('c')\nPath('d').open('ab')\nopen('e')\nPath('f').open('rb')\n"
        "Path('g').read_text()\n", encoding="utf-8")
    assert _writers(copy) == [
        "govkit/site/probe.py:5: only govkit/output/ writes (.write_text())",
        "govkit/site/probe.py:6: only govkit/output/ writes (open(..., write mode))",
        "govkit/site/probe.py:7: only govkit/output/ writes (os.replace)",
        "govkit/site/probe.py:8: only govkit/output/ writes (shutil.rmtree)",
        "govkit/site/probe.py:9: only govkit/output/ writes (.open(write mode))",
    ]
