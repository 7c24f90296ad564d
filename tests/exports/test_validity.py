"""`govkit check` validates the exports a model lists (`exports:` in govkit.yaml) with each
ecosystem's own library: invalid is a warning, and `--strict` fails it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkit.cli import main
from tests.exports.projects import project

OWNER = "owners: [{name: Risk Team, role: ML engineer}]\nlast_reviewed: 2099-01-01\n"


def _bare(root: Path, exports: str, card: str = "title: Fraud\n") -> Path:
    project(root, bare=True, site_url=False)
    (root / "govkit.yaml").write_text(
        f"project: p\nmodels:\n  - name: fraud\n    exports: {exports}\n")
    (root / "models" / "fraud" / "card.yaml").write_text(card + OWNER)
    return root


def _rows(root: Path, *flags: str) -> tuple[int, dict[str, dict[str, object]]]:
    report = root / "report.json"
    code = main(["-C", str(root), "check", *flags, "--json", str(report)])
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    return code, {r["id"]: r for r in results if "/export/" in r["id"]}


def test_a_hub_card_without_a_license_fails_only_with_strict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare(tmp_path / "p", "[huggingface]")
    code, rows = _rows(root)
    assert code == 0
    row = rows["fraud/0.1.0/export/huggingface"]
    assert row["status"] == "warn" and "no license" in str(row["message"])
    assert (row["source"], row["line"]) == ("models/fraud/card.yaml", 1)
    code, rows = _rows(root, "--strict")
    assert code == 1 and rows["fraud/0.1.0/export/huggingface"]["status"] == "fail"
    out = capsys.readouterr().err  # the failed checks' lines
    assert "fraud/0.1.0/export/huggingface: the Hugging Face Hub card would be invalid: no " \
        "license" in " ".join(out.split()), out

    (root / "models" / "fraud" / "card.yaml").write_text(
        "title: Fraud\nmodel_details:\n  license: Apache-2.0\n" + OWNER)
    code, rows = _rows(root, "--strict")
    assert code == 0 and rows["fraud/0.1.0/export/huggingface"]["status"] == "pass"


def test_a_bom_the_cyclonedx_validator_refuses_fails_with_strict(tmp_path: Path) -> None:
    """A repository that is not a URL makes the BOM's vcs reference invalid (iri-reference)."""
    card = "title: Fraud\nmodel_details:\n  repository: our internal repo\n"
    root = _bare(tmp_path / "p", "[cyclonedx]", card)
    code, rows = _rows(root, "--strict")
    row = rows["fraud/0.1.0/export/cyclonedx"]
    assert code == 1 and row["status"] == "fail"
    assert "'our internal repo' is not valid" in str(row["message"])
    assert "externalReferences" in str(row["message"])
    assert "fraud/0.1.0/export/huggingface" not in rows  # only what the model lists

    (root / "models" / "fraud" / "card.yaml").write_text(
        "title: Fraud\nmodel_details:\n  repository: https://git.example.org/fraud\n" + OWNER)
    code, rows = _rows(root, "--strict")
    assert code == 0 and rows["fraud/0.1.0/export/cyclonedx"]["status"] == "pass"


def test_no_export_listed_no_export_check(tmp_path: Path) -> None:
    root = _bare(tmp_path / "p", "[]")
    code, rows = _rows(root, "--strict")
    assert code == 0 and rows == {}


def test_a_missing_validator_is_not_evaluated_never_passed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "cyclonedx" else real(name, *a))
    root = _bare(tmp_path / "p", "[cyclonedx]")
    code, rows = _rows(root, "--strict")
    row = rows["fraud/0.1.0/export/cyclonedx"]
    assert code == 0 and row["status"] == "insufficient_data"
    assert "cyclonedx-python-lib" in str(row["message"])
