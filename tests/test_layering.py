"""The plan of the house: imports run one way (see ARCHITECTURE.md).

cli -> commands -> {sources, monitoring, checks, review, reports, site} -> model -> schemas
-> errors; review (the diff engine) sits below {reports, site}. `checks.results` (check results,
statuses, the documented range) sits just above model: sources, review, reports and site read
it, never the rule modules of checks/.
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
    "schemas": LEAVES,
    "model": BELOW_MODEL,
    "monitoring": BELOW_MODEL,
    "sources": {"model"} | BELOW_MODEL,
    # checks.results: the vocabulary every later stage reads (results, statuses, ranges)
    "checks.results": BELOW_MODEL | {"model"},
    "checks": {"checks.results", "model"} | BELOW_MODEL,
    "review": {"checks.results", "model"} | BELOW_MODEL,
    "reports": {"checks.results", "review", "model"} | BELOW_MODEL,
    "site": {"checks.results", "review", "model"} | BELOW_MODEL,
    "commands": {"sources", "monitoring", "checks", "checks.results", "review", "reports",
                 "site", "model"} | BELOW_MODEL,
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
