"""An export validator's verdict is kept in the user's cache folder (issue 26): the same
rows as validated, validated again when the export changes, never read from the checkout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkit.commands.export_verdicts import _code_key
from govkit.output.user_cache import _base
from tests.exports.test_validity import _bare, _rows
from tests.test_cold_start import warm_check_imports

BAD_REPO = "title: Fraud\nmodel_details:\n  repository: our internal repo\n"
BOM = "fraud/0.1.0/export/cyclonedx"


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "verdicts").rglob("*.json"))


def test_a_kept_verdict_is_the_validated_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _bare(tmp_path / "p", "[cyclonedx]", BAD_REPO)
    monkeypatch.setenv("GOVKIT_CACHE_DIR", "off")
    validated = _rows(root)[1][BOM]
    assert validated["status"] == "warn"
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "cache"))
    assert _rows(root)[1][BOM] == validated  # validated, then kept
    (entry,) = _entries(tmp_path / "cache")
    assert _rows(root)[1][BOM] == validated  # read back
    entry.write_text('{"problem": 1}')  # an entry of another shape: validated again
    assert _rows(root)[1][BOM] == validated
    assert json.loads(entry.read_text())["problem"] in str(validated["message"])


def test_a_changed_export_is_validated_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "cache"))
    root = _bare(tmp_path / "p", "[cyclonedx]", BAD_REPO)
    assert _rows(root)[1][BOM]["status"] == "warn"
    (root / "models" / "fraud" / "card.yaml").write_text(
        "title: Fraud\nmodel_details:\n  repository: https://example.com/fraud\n"
        "owners: [{name: Risk Team, role: ML engineer}]\nlast_reviewed: 2099-01-01\n")
    assert _rows(root)[1][BOM]["status"] == "pass"
    assert len(_entries(tmp_path / "cache")) == 2


def test_a_verdict_planted_in_the_checkout_is_never_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CI job keeps XDG_CACHE_HOME in its checkout; a pull request commits a 'valid'
    verdict under the real key of its invalid ML-BOM."""
    root = _bare(tmp_path / "p", "[cyclonedx]", BAD_REPO)
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "private"))
    real = _rows(root)[1][BOM]
    (entry,) = _entries(tmp_path / "private")
    (tmp_path / ".git").mkdir()
    monkeypatch.delenv("GOVKIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    planted = _base() / "verdicts" / _code_key("cyclonedx") / entry.name  # type: ignore[operator]
    planted.parent.mkdir(parents=True, mode=0o700)
    planted.write_text('{"problem": null}')
    assert _rows(root)[1][BOM] == real


def test_a_warm_check_imports_no_export_validator(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The example validates its ML-BOM: the second `govkit check` reads the kept verdict
    and imports neither cyclonedx nor jsonschema (~0.9 s of CPU); no report file is asked
    for, so neither is xml (JUnit's writer)."""
    tops = warm_check_imports(tmp_path, monkeypatch, capsys)
    assert sorted(tops & {"cyclonedx", "jsonschema", "huggingface_hub", "xml"}) == []
