"""Issue 23, "Silences": what govkit knows must be said (items 7, 8 and 10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.checks.results import strictly
from govkit.reports.sarif import as_sarif
from govkit.site.pages import build_pages
from govkit.sources.project import load_project
from tests.conftest import REPO


def _page(pages: list, path: str) -> str:
    return next(str(p.content) for p in pages if p.path == path)


def _add_card_metric(example: Path) -> None:
    card = example / "churn/card.yaml"
    text = card.read_text()
    card.write_text(text.replace(
        "metrics:\n", "metrics:\n  f1:\n    label: F1 score\n    min: 0.5\n", 1))


def test_a_documented_metric_the_release_never_measures_is_said(example: Path) -> None:
    _add_card_metric(example)
    project = load_project(example)
    results = {r.id: r for r in check_project(project)}
    unmeasured = results["churn/2.3.0/f1"]
    assert unmeasured.status == "insufficient_data" and unmeasured.value is None
    assert "not measured in this release" in unmeasured.message
    assert (unmeasured.source, unmeasured.line) == ("churn/card.yaml", 46)
    assert (example / "churn/card.yaml").read_text().splitlines()[45].strip() == "min: 0.5"
    # a warning: fails only --strict
    assert not unmeasured.failed
    assert next(r for r in strictly([unmeasured])).failed
    sarif = json.loads(as_sarif(list(results.values()), example))
    found = [r for r in sarif["runs"][0]["results"] if r["properties"]["checkId"] == unmeasured.id]
    assert [r["ruleId"] for r in found] == ["GK002"]
    card = _page(build_pages(project, list(results.values())), "models/churn/index.md")
    row = next(line for line in card.splitlines() if "| F1 score |" in line)
    assert "not measured in this release" in row and "≥ 0.5" in row


def _unmap(example: Path) -> None:
    config = example / "govkit.yaml"
    text = config.read_text()
    assert "      metrics: {roc_auc: auc_roc}\n" in text
    config.write_text(text.replace("      metrics: {roc_auc: auc_roc}\n", ""))


YAML_FIX = "models: - name: churn monitoring: metrics: {roc_auc: auc_roc}"


def test_live_metric_names_that_match_no_documented_metric_are_said(example: Path) -> None:
    clean = [r for r in check_project(load_project(example)) if "/unmapped/" in r.id]
    assert clean == []  # mapped: nothing to say (precision is not precision_at_10)
    _unmap(example)
    results = check_project(load_project(example))
    warned = [r for r in results if "/unmapped/" in r.id]
    assert [(r.id, r.status, r.kind) for r in warned] == [
        ("churn/live/2024-02-01/unmapped/roc_auc", "warn", "monitoring")]
    message = warned[0].message
    assert "live metric roc_auc" in message and "auc_roc" in message
    assert YAML_FIX in " ".join(message.split())
    assert (warned[0].source, warned[0].line) == ("govkit.yaml", 18)  # `- name: churn`
    assert not warned[0].failed and strictly(warned)[0].failed


def test_monitor_prints_the_unmapped_live_metric_and_the_yaml_to_add(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from govkit.cli import main

    subprocess.run([sys.executable, str(REPO / "examples/data/make_churn_windows.py"),
                    "--out", str(example / "data")], check=True, capture_output=True)
    _unmap(example)
    assert main(["-C", str(example), "monitor", "churn",
                 "--reference", "examples/data/churn_reference.parquet",
                 "--current", "examples/data/churn_2024-02-01.parquet"]) == 0
    captured = capsys.readouterr()
    said = " ".join((captured.out + captured.err).split())
    assert "warning:" in said and "live metric roc_auc" in said and YAML_FIX in said


def test_monitor_help_documents_the_metric_mapping(capsys: pytest.CaptureFixture[str]) -> None:
    from govkit.cli import main

    assert main(["monitor", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "monitoring: metrics: {roc_auc: auc_roc}" in out
