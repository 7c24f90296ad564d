"""The plan of the house: imports run one way (see ARCHITECTURE.md).

cli -> commands -> {sources, monitoring, checks, reports, site} -> model -> schemas -> errors;
review (the diff engine) sits between checks and {reports, site}. output/ (the writer) imports
only the leaves, and is the only code that writes, removes or makes files and folders.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "govkit"
LEAVES = {"errors", "formatting"}
BELOW_MODEL = {"schemas"} | LEAVES
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "formatting": set(),
    "output": LEAVES,
    "schemas": LEAVES,
    "model": BELOW_MODEL,
    "monitoring": BELOW_MODEL,
    "sources": {"model", "output"} | BELOW_MODEL,
    "checks": {"model", "dictionary_checks", "training_checks", "architecture_checks",
               "document_checks"} | BELOW_MODEL,
    # part of the checks stage; document_checks owns the shared freshness rule
    "document_checks": {"checks", "model"} | BELOW_MODEL,
    "dictionary_checks": {"checks", "document_checks", "model"} | BELOW_MODEL,
    "training_checks": {"checks", "document_checks", "model"} | BELOW_MODEL,
    "architecture_checks": {"checks", "document_checks", "model"} | BELOW_MODEL,
    "gate": {"checks", "model"} | BELOW_MODEL,
    "review": {"checks", "model"} | BELOW_MODEL,
    "reports": {"checks", "review", "gate", "model"} | BELOW_MODEL,
    "site": {"checks", "review", "model", "output"} | BELOW_MODEL,
    "commands": {"sources", "monitoring", "checks", "gate", "review", "reports", "site",
                 "model", "output"} | BELOW_MODEL,
}
# The site, reports and the diff engine receive check results; they never run checks.
RESULT_NAMES = {"CheckResult", "Range", "Status", "STATUS_ORDER", "worst", "metric_label"}


def _stage(module: str) -> str:
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
            elif target == "checks" and own in ("site", "reports", "review"):
                extra = sorted(set(names) - RESULT_NAMES)
                if extra:
                    out.append(f"{rel}:{line}: {own} runs no checks (imports {extra})")
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
        "import os\n\nfrom govkit.checks import CheckResult, check_project\n", encoding="utf-8")
    assert _violations(copy) == [
        "govkit/schemas/probe.py:1: schemas must not import govkit.sources.project",
        "govkit/site/probe.py:3: site runs no checks (imports ['check_project'])",
    ]


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
