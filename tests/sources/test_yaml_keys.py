"""Error messages speak YAML: keys as written in the file (`for`, never pydantic's `for_`)
and a fix that fits the field's pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main

ALERT = """alerts:
  - id: auc-low
    metric: auc
    severity: P2
    {line}
    action: page
    expr: x < {{threshold}}
"""


def _check(tmp_path: Path, line: str, capsys: pytest.CaptureFixture[str]) -> str:
    project = tmp_path / "p"
    assert main(["init", str(project)]) == 0
    (project / "models/example/alerts.yaml").write_text(ALERT.format(line=line))
    capsys.readouterr()
    assert main(["-C", str(project), "check"]) == 2
    return capsys.readouterr().err


def test_unknown_field_suggests_the_yaml_key(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    err = _check(tmp_path, "fr: 15m", capsys)
    assert "alerts.yaml:5: alerts[0].fr: unknown field (did you mean 'for'?)" in err
    assert "for_" not in err


def test_bad_duration_says_how_to_write_one(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    err = _check(tmp_path, "for: 15 minutes", capsys)
    assert "alerts.yaml:5: alerts[0].for:" in err
    assert "write a duration such as 15m or 1h30m" in err
    assert "use letters, digits" not in err
