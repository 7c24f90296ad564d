"""Runbooks of infrastructure (service SLO) alerts get infrastructure steps (deploys, the
serving dashboard, saturation, dependencies, roll back or scale, when to page infrastructure),
not the model runbook's; a team overrides them by id as for every runbook. A business KPI out
of range has no Prometheus alert: its monitoring page and the card's lead box say what to do."""

from __future__ import annotations

import re
from pathlib import Path

from govkit.checks.results import CheckResult
from govkit.cli import main
from govkit.commands.build import build
from tests.conftest import REPO

ALERTS = (REPO / "examples/churn/alerts.yaml").read_text()
P99 = "models/churn/runbooks/service-p99-latency-above-max.md"


def _page(example: Path, rel: str) -> str:
    return (example.parent / "site" / rel).read_text(encoding="utf-8")


def _section(page: str, title: str) -> str:
    return page.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_slo_runbook_has_infrastructure_steps(example: Path) -> None:
    build(example)
    page = _page(example, P99)
    immediate = _section(page, "Immediate Actions")
    assert re.findall(r"^\d\. \*\*(.+):\*\*$", immediate, re.M) == [
        "Verify alert is genuine", "Assess impact", "Decide on mitigation"]
    assert "serving dashboard" in immediate
    # the recent deploys carry the model's versions, the roll back names them
    assert "[2.3.0](../versions/2.3.0.md) (2024-01-15, production)" in immediate
    assert "roll back from 2.3.0 to 2.2.0" in immediate
    assert "scale out" in immediate
    investigation = _section(page, "Investigation Steps")
    assert re.findall(r"^\d\. \*\*(.+):\*\*$", investigation, re.M) == [
        "Check dependencies", "Check saturation", "Check traffic"]
    assert "Feature store" in investigation and "CPU" in investigation \
        and "replicas" in investigation and "80%" in investigation
    assert "infrastructure on-call" in _section(page, "Escalation")
    # nothing of the model runbook: labelled rows, relative drops, drift findings
    for model_step in ("labelled rows", "relative drop", "Feature distribution shifts",
                       "(ks, P3)"):
        assert model_step not in page, model_step
    # model alerts keep the model steps
    drift = _page(example, "models/churn/runbooks/session-drift.md")
    assert "Feature distribution shifts" in drift and "serving dashboard" not in drift


def test_slo_runbook_steps_are_overridden_by_id(example: Path) -> None:
    (example / "churn/alerts.yaml").write_text(ALERTS + (
        "  - alert: service-p99-latency-above-max\n"
        "    last_reviewed: 2024-02-05\n"
        "    reviewed_by: Platform Team\n"
        "    steps:\n"
        "      - id: scale\n"
        "        text: Scale churn-api to 6 replicas with kubectl\n"
        "      - id: warm-cache\n"
        "        section: mitigation\n"
        "        text: Warm the feature cache\n"
        "    remove: [traffic-campaigns]\n"), encoding="utf-8")
    build(example)
    page = _page(example, P99)
    assert "    - Scale churn-api to 6 replicas with kubectl" in page
    assert "    - Warm the feature cache" in page
    assert "scale out" not in page and "Marketing campaigns" not in page
    assert "Generated runbook" not in page


def test_a_model_step_id_on_an_slo_runbook_names_the_slo_steps(
        example: Path, capsys: object) -> None:
    (example / "churn/alerts.yaml").write_text(ALERTS + (
        "  - alert: service-p99-latency-above-max\n"
        "    last_reviewed: 2024-02-05\n"
        "    reviewed_by: Platform Team\n"
        "    steps:\n"
        "      - id: feature-drift\n"
        "        text: Look at drift\n"), encoding="utf-8")
    assert main(["-C", str(example), "build"]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "'feature-drift' is not a default step" in err
    assert "serving-dashboard" in err and "sample-size" not in err


def test_business_kpi_out_of_range_says_what_to_do(example: Path) -> None:
    build(example)
    window = _page(example, "models/churn/monitoring/2024-02-01.md")
    todo = window.split("### What to do: business\n", 1)[1].split("\n## ", 1)[0]
    assert "2. Infrastructure is green in this window, so the service is not the cause" in todo
    assert "[Live Performance](#live-performance)" in todo
    assert "feature freshness" in todo.lower() and "seasonal effects" in todo
    assert "High (P2," in todo and "product stakeholders" in todo
    card = _page(example, "models/churn/index.md")
    assert ("- **business** (1 check): FAIL: 30-day retention change -7.9% against the "
            "baseline: investigate, [what to do](monitoring/2024-02-01.md#what-to-do-business)\n"
            ) in card


def test_business_steps_follow_the_infrastructure_status() -> None:
    from dataclasses import replace

    from govkit.site.monitoring import business_todo
    from tests.reports.test_reports import result

    def check(metric: str, status: str) -> CheckResult:
        return replace(result(status), metric=metric, kind="live")

    kpi = check("business/retention/change", "fail")
    assert business_todo([check("business/retention/change", "pass")]) == []
    assert business_todo([kpi])[1].startswith("No infrastructure SLO was observed")
    assert business_todo([kpi, check("service/p99", "pass")])[1].startswith(
        "Infrastructure is green")
    assert business_todo([kpi, check("service/p99", "fail")])[1].startswith(
        "Infrastructure is not green")
