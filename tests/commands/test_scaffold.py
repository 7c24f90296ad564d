"""`govkit init` writes a project ready for every advertised feature."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from govkit.cli import main


def test_scaffold_is_ready_for_alerts_and_keeps_the_store_out_of_git(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "proj"
    assert main(["init", str(target)]) == 0
    config = yaml.safe_load((target / "govkit.yaml").read_text(encoding="utf-8"))
    assert config["site_url"].startswith("https://")
    assert "{model}" in config["alerting"]["metric_gauge"]
    ignored = (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"mlflow.db", "mlruns/", "build/"} <= set(ignored)
    capsys.readouterr()
    # `govkit alerts` accepts the scaffold: every default alert has an expression
    assert main(["-C", str(target), "alerts", "--format", "prometheus"]) == 0
    rules = yaml.safe_load(capsys.readouterr().out)
    rule = rules["groups"][0]["rules"][0]
    assert 'model_metric{model="example",metric="auc"}' in rule["expr"]
    assert rule["annotations"]["runbook_url"].startswith(config["site_url"].rstrip("/"))


def test_placeholder_text_warns_and_fails_strict(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "proj"
    assert main(["init", str(target)]) == 0
    capsys.readouterr()
    assert main(["-C", str(target), "check"]) == 0
    out = capsys.readouterr()
    assert "example/card/placeholder" in out.out + out.err
    assert "models/example/card.yaml:7" in out.out + out.err  # summary, the first one
    assert main(["-C", str(target), "check", "--strict"]) == 1
    # once the team writes its own text, the warning goes away
    card = target / "models/example/card.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("TODO: ", ""), encoding="utf-8")
    capsys.readouterr()
    assert main(["-C", str(target), "check", "--format", "json"]) == 0
    assert "placeholder" not in capsys.readouterr().out
