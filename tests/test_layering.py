"""The plan of the house: imports run one way (see ARCHITECTURE.md).

cli -> commands -> {sources, monitoring, checks, reports, site} -> model -> schemas -> errors;
review (the diff engine) sits between checks and {reports, site}.
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
    "site": {"checks", "review", "model"} | BELOW_MODEL,
    "commands": {"sources", "monitoring", "checks", "gate", "review", "reports", "site",
                 "model"} | BELOW_MODEL,
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
