"""Service SLOs among the alerts (sources/operations.py): a default alert per documented SLO
bound, its expression the SLO's own PromQL over the last 5 minutes, a runbook page linked
from the Prometheus rule, and an alert in alerts.yaml that replaces it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from govkit.cli import main


def _rules(example: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, object]]:
    capsys.readouterr()
    assert main(["-C", str(example), "alerts"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    return {r["alert"]: r for g in yaml.safe_load(out)["groups"] for r in g["rules"]}


def test_documented_slos_become_rules_with_runbooks(
        example: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = _rules(example, capsys)
    latency = rules["ChurnServiceP99LatencyAboveMax"]
    assert latency["expr"] == 'max_over_time(churn_api_latency_p99_ms{job="churn-api"}[5m]) > 200'
    errors = rules["ChurnServiceErrorRateAboveMax"]
    assert errors["expr"] == 'avg_over_time(churn_api_error_ratio{job="churn-api"}[5m]) > 0.001'
    annotations = latency["annotations"]
    assert isinstance(annotations, dict)
    assert annotations["runbook_url"] == ("https://models.example.com/models/churn/runbooks/"
                                          "service-p99-latency-above-max.html")
    assert "P99 latency is" in annotations["summary"]
    assert "page infrastructure on-call" in annotations["description"]
    assert main(["-C", str(example), "build"]) in (0, 1)
    page = example.parent / "site/models/churn/runbooks/service-p99-latency-above-max.md"
    assert "# Runbook: P99 latency above its documented maximum" in page.read_text()
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus)")
    assert main(["-C", str(example), "alerts", "--out", str(tmp_path / "rules.yml")]) == 0
    done = subprocess.run([promtool, "check", "rules", str(tmp_path / "rules.yml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_slo_without_bounds_gets_no_alert_and_seed_bounds_do(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = example / "churn/card.yaml"
    text = card.read_text(encoding="utf-8").replace("      max: 200\n", "").replace(
        "      max: 0.001\n", "")
    card.write_text(text, encoding="utf-8")
    rules = _rules(example, capsys)
    assert not any("Service" in name for name in rules)
    card.write_text(text.replace("service:\n", "service:\n  defaults: seed\n", 1),
                    encoding="utf-8")
    rules = _rules(example, capsys)
    assert rules["ChurnServiceP99LatencyAboveMax"]["expr"].endswith("> 200")  # type: ignore[union-attr]
    assert rules["ChurnServiceErrorRateAboveMax"]["expr"].endswith("> 0.001")  # type: ignore[union-attr]


def test_an_alert_written_for_an_slo_replaces_the_default(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alerts = example / "churn/alerts.yaml"
    text = alerts.read_text(encoding="utf-8")
    assert "\nalerts:\n" in text
    alerts.write_text(text.replace("\nalerts:\n", """
alerts:
  - id: latency-slo
    metric: service/p99_latency
    severity: P2
    action: Scale the churn API out
    expr: 'histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m]))) * 1000 > {threshold}'
""", 1), encoding="utf-8")
    rules = _rules(example, capsys)
    assert "ChurnServiceP99LatencyAboveMax" not in rules
    assert rules["ChurnLatencySlo"]["expr"] == (
        "histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket[5m]))) * 1000 > 200")
