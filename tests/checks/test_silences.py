"""Issue 23, "Silences": what govkit knows must be said (items 7, 8 and 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.checks.results import strictly
from govkit.reports.sarif import as_sarif
from govkit.site.pages import build_pages
from govkit.sources.project import load_project


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
    assert (unmeasured.source, unmeasured.line) == ("churn/card.yaml", 47)
    assert (example / "churn/card.yaml").read_text().splitlines()[46].strip() == "min: 0.5"
    # a warning: fails only --strict
    assert not unmeasured.failed
    assert next(r for r in strictly([unmeasured])).failed
    sarif = json.loads(as_sarif(list(results.values()), example))
    found = [r for r in sarif["runs"][0]["results"] if r["properties"]["checkId"] == unmeasured.id]
    assert [r["ruleId"] for r in found] == ["GK002"]
    card = _page(build_pages(project, list(results.values())), "models/churn/index.md")
    # the metrics table's row: its label cell carries the check id as anchor
    row = next(line for line in card.splitlines() if "| F1 score<br>" in line)
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
    assert (warned[0].source, warned[0].line) == ("govkit.yaml", 22)  # `- name: churn`
    assert not warned[0].failed and strictly(warned)[0].failed
    page = _page(build_pages(load_project(example), results),
                 "models/churn/monitoring/2024-02-01.md")
    assert "1 live metric is compared with nothing" in page
    assert "live metric roc\\_auc matches no documented metric" in page


def test_monitor_prints_the_unmapped_live_metric_and_the_yaml_to_add(
    example: Path, churn_windows: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from govkit.cli import main

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


def test_experiment_log_shows_ties_as_ties_and_names_another_models_runs(
    example: Path,
) -> None:
    from govkit.site.experiments import experiment_context

    log = example / "experiments/churn-depth/log.yaml"
    text = log.read_text()
    assert "    val_accuracy: 0.838\n" in text
    log.write_text(text.replace("    val_accuracy: 0.838\n", "    val_accuracy: 0.891\n"))
    project = load_project(example)
    record = project.experiments[0]
    ctx = experiment_context(project, record, [])
    accuracy = next(m for m in ctx["metrics"] if m["name"] == "val_accuracy")
    values = [c["value"] for c in accuracy["cells"]]
    top = max(v for v in values if v is not None)
    tied = [i for i, v in enumerate(values) if v == top]
    assert len(tied) == 2, values  # the fixture makes a tie
    assert [i for i, c in enumerate(accuracy["cells"]) if c["best"]] == tied
    assert accuracy["best_run"] == ", ".join(ctx["runs"][i]["name"] for i in tied) + " (tied)"
    # the log belongs to churn; its runs became versions of churn-sklearn: said on each run
    registered = [v for r in ctx["runs"] for v in r["registered"]]
    assert registered and all(v["model"] == "churn-sklearn" and v["other_model"]
                              for v in registered)
    page = _page(build_pages(project, check_project(project)), "experiments/churn-depth.md")
    assert "another registered model than this log's model (churn)" in page


def test_a_failing_history_row_shows_which_cell_fails(example: Path) -> None:
    project = load_project(example)
    results = check_project(project)
    failing = [r for r in results if r.failed and r.kind == "release" and r.model == "upsell"]
    assert [r.id for r in failing] == ["upsell/1.1.0/segment/new-users/accuracy"]
    page = _page(build_pages(project, results), "models/upsell/history.md")
    row = next(line for line in page.splitlines() if "[1.1.0](" in line)
    bad = failing[0]
    assert f"**FAIL** ({bad.segment} {bad.label} {bad.value:.2f}, allowed {bad.range})" in row
    # a failing overall metric is marked in its own cell
    card = example / "upsell/card.yaml"
    card.write_text(card.read_text().replace("    min: 0.75\n", "    min: 0.99\n"))
    project = load_project(example)
    page = _page(build_pages(project, check_project(project)), "models/upsell/history.md")
    row = next(line for line in page.splitlines() if "[1.1.0](" in line)
    cells = row.split(" | ")
    auc = next(c for c in cells if c.startswith("0.") and "fails ≥ 0.99" in c)
    assert auc and "AUC-ROC " in row.split(" | ")[0]  # and the status cell names it


def test_alert_texts_state_relative_drops_as_percentages_and_values_as_values(
    example: Path,
) -> None:
    from govkit.schemas.alerts import default_trigger, fill

    project = load_project(example)
    pages = build_pages(project, check_project(project))
    severe = _page(pages, "models/churn/runbooks/auc-severe-drop.md")
    assert "AUC fell 30.7% below its documented value (rollback band: 10%)" in severe
    assert "relative drop (rollback band) &gt; 10%" in severe
    assert "0.3067" not in severe
    degradation = _page(pages, "models/churn/runbooks/auc-degradation.md")
    assert "dropped below 0.6032" not in degradation
    assert "AUC is 0.6032, below its threshold 0.85" in degradation
    said = fill(default_trigger("min"), {"model": "Churn", "metric": "auc_roc",
                                         "value": "0.6032", "threshold": "0.85"})
    assert said == "Churn auc_roc is 0.6032, below its documented minimum 0.85"
    said = fill(default_trigger("max"), {"model": "Churn", "metric": "latency",
                                         "value": "12", "threshold": "10"})
    assert said == "Churn latency is 12, above its documented maximum 10"
