"""The JSON Schemas work in editors and in check-jsonschema's default (ECMAScript, unicode)
regex mode, and accept the example project's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkit.schemas.export import schema_files
from tests.conftest import REPO

EXAMPLES = REPO / "examples"
# schema -> the example's files it describes
FILES = {
    "govkit.schema.json": ["govkit.yaml"],
    "card.schema.json": ["*/card.yaml"],
    "release.schema.json": ["*/releases/*.yaml"],
    "alerts.schema.json": ["*/alerts.yaml"],
    "incidents.schema.json": ["*/incidents.yaml"],
    "training.schema.json": ["*/training.yaml"],
    "dictionary.schema.json": ["datasets/*.yaml"],
    "architecture.schema.json": ["systems/*.yaml"],
    "waivers.schema.json": ["waivers.yaml"],
    "monitoring-result.schema.json": ["*/monitoring/*.json"],
}


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return found + [p for v in node.values() for p in _patterns(v)]
    if isinstance(node, list):
        return [p for v in node for p in _patterns(v)]
    return []


def test_patterns_are_ecmascript_unicode_regexes() -> None:
    regress = pytest.importorskip("regress")
    for data in schema_files().values():
        for pattern in _patterns(json.loads(data)):
            regress.Regex(pattern, "u")  # raises on an escape the unicode mode refuses


def _check_jsonschema(*args: str) -> tuple[int, str]:
    """check-jsonschema's own command line, run in this process (its ~1.5 s of imports paid
    once, not once a file): its exit code and output."""
    pytest.importorskip("check_jsonschema", reason="check-jsonschema not installed "
                        "(pip install check-jsonschema)")
    from check_jsonschema import main
    from click.testing import CliRunner

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_check_jsonschema_accepts_the_schemas_and_the_example(tmp_path: Path) -> None:
    for name, data in schema_files().items():
        (tmp_path / name).write_bytes(data)
    for name, globs in FILES.items():
        files = sorted(str(f) for g in globs for f in EXAMPLES.glob(g))
        if not files:
            continue
        code, output = _check_jsonschema("--schemafile", str(tmp_path / name), *files)
        assert code == 0, f"{name}:\n{output}"


def test_check_jsonschema_rejects_nan_and_infinity(tmp_path: Path) -> None:
    (tmp_path / "release.schema.json").write_bytes(schema_files()["release.schema.json"])
    for value in (".nan", "1e400", "-.inf"):
        bad = tmp_path / "1.0.0.yaml"
        bad.write_text(f'version: "1.0.0"\ndate: 2024-01-01\nmetrics:\n  auc:\n'
                       f"    value: {value}\n", encoding="utf-8")
        code, output = _check_jsonschema("--schemafile", str(tmp_path / "release.schema.json"),
                                         str(bad))
        assert code == 1, (value, output)
