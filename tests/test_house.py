"""Issue 7's promises: exit codes tell a crash from a failed check, pages survive missing
provenance, and the monitoring page states the thresholds the project configured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govkit.cli import main


def test_internal_error_exits_3_with_one_line(example: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import govkit.commands.check as check_command

    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("injected bug\nsecond line")

    monkeypatch.setattr(check_command, "check_project", broken)
    assert main(["-C", str(example), "check"]) == 3
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "internal error: KeyError: 'injected bug\\nsecond line' — please report it; "
        "rerun with --debug for the traceback"]
    assert "Traceback" not in err

    assert main(["--debug", "-C", str(example), "check"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and 'raise KeyError("injected bug' in err
    assert err.rstrip().endswith("rerun with --debug for the traceback")


def test_bad_input_is_2_and_a_failed_check_is_1(example: Path) -> None:
    assert main(["-C", str(example), "check"]) == 1
    (example / "upsell/card.yaml").write_text("title: [unclosed\n")
    assert main(["-C", str(example), "check"]) == 2


MINIMAL_MLFLOW_RELEASE = """\
version: "3.0.0"
date: 2024-03-01
metrics:
  auc_roc: {value: 0.9, source: mlflow-run}
training:
  source: mlflow
  registered_model: churn
  registry: {version: "3"}
  run: {id: "0123abcd"}
"""


def test_release_with_missing_provenance_parts_builds(example: Path) -> None:
    """No tags, no datasets, no signature, no params, no aliases: the ordinary MLflow store."""
    (example / "churn/releases/3.0.0.yaml").write_text(MINIMAL_MLFLOW_RELEASE)
    assert main(["-C", str(example), "build"]) == 0
    page = (example.parent / "site/models/churn/versions/3.0.0.md").read_text()
    assert "| Registry version | 3 | mlflow-registry |" in page
    assert "| Run | 0123abcd | mlflow-run |" in page
    assert "| Aliases | – | mlflow-registry |" in page
    assert "| User | – | mlflow-run |" in page
    assert "### Model Signature" not in page and "### Datasets" not in page

    bare = MINIMAL_MLFLOW_RELEASE.split("training:")[0] + "training:\n  source: mlflow\n"
    (example / "churn/releases/3.0.0.yaml").write_text(bare)
    assert main(["-C", str(example), "build"]) == 0
    page = (example.parent / "site/models/churn/versions/3.0.0.md").read_text()
    assert "Ingested from MLflow registered model **churn**" not in page
    assert "version ***Not documented*" in page  # the registry version is missing, and says so


def test_monitoring_page_states_the_configured_bands(example: Path) -> None:
    config = example / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "        require_effect_size: true",
        "        require_effect_size: true\n"
        "        max_relative_drop: 0.03\n"
        "        rollback_relative_drop: 0.08"))
    assert main(["-C", str(example), "build"]) == 0
    page = (example.parent / "site/models/churn/monitoring/2024-02-01.md").read_text()
    assert ("Runbook bands: relative drop &lt; 3%: continue monitoring; 3–8%: monitor closely, "
            "prepare rollback; &gt; 8%: consider rollback to the previous version.") in page
    assert "Degraded: more than 3% below the baseline and significant" in page
    assert re.search(r"(?<![0-9.])(5|10)%", page) is None  # "95% interval" is the confidence
