"""`govkit observe` against a real Prometheus server and a SQLite business database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from govkit.checks.results import CheckResult
from govkit.cli import main
from tests.conftest import without_layers
from tests.prometheus_server import prometheus_url  # noqa: F401 (fixture)

SERVICE = """
service:
  slos:
    cpu:
      kind: cpu
      metric: cpu_usage_ratio
      labels: {job: churn-api}
    latency:
      kind: latency
      unit: ms
      metric: p99_latency_ms
      statistic: max
      labels: {job: churn-api}
      max: 200
    errors:
      kind: error_rate
      query: avg_over_time(error_ratio{job="churn-api"}[$range])
"""
BUSINESS = """
business:
  retention:
    connection: Missed churners are not offered a retention discount
    goal: higher
    max_relative_change: 0.05
    baseline_window: 2024-01-01
    source: {sql: "SELECT day_window AS window, retained FROM kpis", database: warehouse,
             column: retained}
"""


def _project(example: Path, url: str, card: str) -> Path:
    without_layers(example)
    (example / "churn/card.yaml").write_text(
        (example / "churn/card.yaml").read_text(encoding="utf-8") + card, encoding="utf-8")
    config = example / "govkit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"\nobserve:\n  prometheus: "
                      f"{{url: '{url}', token_env: PROM_TOKEN}}\n  databases:\n    warehouse: "
                      "{url: 'sqlite:///kpis.db'}\n", encoding="utf-8")
    with sqlite3.connect(example / "kpis.db") as db:
        db.execute("CREATE TABLE kpis (day_window TEXT, retained REAL)")
        db.executemany("INSERT INTO kpis VALUES (?, ?)", [
            ("2024-01-01", 0.80), ("2024-01-01", 0.84), ("2024-02-01", 0.74),
            ("2024-02-01", 0.76), ("2024-02-01", 0.75)])
    return example


def _layers(example: Path) -> dict[str, dict[str, dict[str, object]]]:
    data = json.loads((example / "churn/monitoring/2024-02-01.json").read_text())
    return {k: {v["name"]: v for v in vs} for k, vs in data["layers"].items()}


def test_observe_reads_prometheus_and_sqlite(
        example: Path, prometheus_url: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROM_TOKEN", "s3cret-token")
    _project(example, prometheus_url, SERVICE + BUSINESS)
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    out = capsys.readouterr()
    assert "s3cret-token" not in out.out + out.err
    layers = _layers(example)
    cpu = layers["service"]["cpu"]
    assert cpu["value"] == pytest.approx(0.5) and cpu["samples"] == 288
    assert cpu["query"] == 'avg_over_time(cpu_usage_ratio{job="churn-api"}[86400s])'
    assert cpu["start"] == "2024-02-01T00:00:00+00:00" and cpu["end"] == "2024-02-02T00:00:00+00:00"
    assert layers["service"]["latency"]["value"] == pytest.approx(150)
    assert layers["service"]["errors"]["value"] == pytest.approx(0.0005)
    assert layers["service"]["errors"]["samples"] is None  # hand-written PromQL
    retention = layers["business"]["retention"]
    assert retention["value"] == pytest.approx(0.75) and retention["samples"] == 3
    assert retention["baseline"] == pytest.approx(0.82) and retention["baseline_samples"] == 2
    before = (example / "churn/monitoring/2024-02-01.json").read_bytes()
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    assert (example / "churn/monitoring/2024-02-01.json").read_bytes() == before


@pytest.mark.parametrize(("slo", "reason"), [
    ("kind: cpu\n      metric: cpu_usage_ratio\n", "matched 2 series"),
    ("kind: cpu\n      metric: no_such_metric\n", "matched no series"),
    ("kind: cpu\n      metric: broken_ratio\n", "the value is nan"),
    ("kind: cpu\n      query: sum(\n", "Prometheus rejected the query: bad_data"),
])
def test_unusable_answers_are_not_evaluated(
        example: Path, prometheus_url: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, slo: str, reason: str) -> None:
    monkeypatch.setenv("PROM_TOKEN", "t")
    _project(example, prometheus_url, f"service:\n  slos:\n    cpu:\n      {slo}")
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    cpu = _layers(example)["service"]["cpu"]
    assert cpu["value"] is None and cpu["status"] == "not_evaluated"
    assert reason in str(cpu["reason"]), cpu


def test_unreachable_server_is_exit_2_and_writes_nothing(
        example: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.prometheus_server import free_port
    monkeypatch.setenv("PROM_TOKEN", "s3cret-token")
    _project(example, f"http://127.0.0.1:{free_port()}", SERVICE)
    before = (example / "churn/monitoring/2024-02-01.json").read_bytes()
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 2
    err = capsys.readouterr().err
    assert "did not answer" in err and "s3cret-token" not in err
    assert (example / "churn/monitoring/2024-02-01.json").read_bytes() == before


def test_missing_token_variable_is_named(example: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROM_TOKEN", raising=False)
    _project(example, "http://127.0.0.1:9", SERVICE)
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 2
    assert "environment variable PROM_TOKEN is not set" in capsys.readouterr().err


def test_business_csv_and_missing_window(example: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    (example / "kpis.csv").write_text("window,conv\n2024-02-01,0.1\n2024-02-01,0.3\n")
    _project(example, "http://127.0.0.1:9", "business:\n  conv:\n    connection: c\n"
             "    baseline_window: 2023-12-01\n    max_relative_change: 0.1\n"
             "    source: {file: kpis.csv, column: conv}\n")
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    conv = _layers(example)["business"]["conv"]
    assert conv["value"] is None and "baseline window 2023-12-01: no rows" in str(conv["reason"])


def _checks(example: Path) -> dict[str, CheckResult]:
    from govkit.checks.project import check_project
    from govkit.sources.project import load_project
    return {r.id: r for r in check_project(load_project(example)) if "/live/" in r.id}


def test_layers_are_checked_with_ranges_ids_and_lines(
        example: Path, prometheus_url: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROM_TOKEN", "t")
    seeded = SERVICE.replace("  slos:", "  defaults: seed\n  slos:").replace(
        "      kind: error_rate\n", "      kind: error_rate\n      unit: '%'\n")
    _project(example, prometheus_url, seeded + BUSINESS)
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    got = _checks(example)
    cpu = got["churn/live/2024-02-01/service/cpu"]
    assert (cpu.status, cpu.range.max, cpu.range.basis) == ("pass", 0.9, "seed")
    assert cpu.line is not None
    latency = got["churn/live/2024-02-01/service/latency"]
    lines = (example / "churn/card.yaml").read_text().splitlines()
    assert latency.line is not None
    assert lines[latency.line - 1].strip() == "max: 200"
    # 0.0005 read against a % unit: 0.0005 % is within the seed's ≤ 0.1 %
    assert got["churn/live/2024-02-01/service/errors"].status == "pass"
    change = got["churn/live/2024-02-01/business/retention/change"]
    assert change.status == "fail", change
    assert change.value == pytest.approx(0.75 / 0.82 - 1)
    assert "churn/live/2024-02-01/business/retention" not in got  # no absolute range written
    assert main(["-C", str(example), "check"]) == 1


def test_not_evaluated_and_unbounded_layers_never_pass(
        example: Path, prometheus_url: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROM_TOKEN", "t")
    _project(example, prometheus_url, "service:\n  slos:\n    cpu:\n      kind: cpu\n"
             "      metric: cpu_usage_ratio\n      max: 0.9\n    errors:\n"
             "      kind: error_rate\n      metric: error_ratio\n")
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    got = _checks(example)
    cpu = got["churn/live/2024-02-01/service/cpu"]
    assert cpu.status == "insufficient_data"
    assert "matched 2 series" in cpu.message
    assert got["churn/live/2024-02-01/service/errors"].status == "no_range"


def test_monitoring_page_shows_three_layers(
        example: Path, prometheus_url: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROM_TOKEN", "t")
    _project(example, prometheus_url, SERVICE + BUSINESS)
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    assert main(["-C", str(example), "build", "--html"]) == 0, capsys.readouterr().err
    page = (example.parent / "site/models/churn/monitoring/2024-02-01.md").read_text()
    table = page[page.index("## Three Layers"):].split("\n\n")[1].splitlines()
    assert table[2].startswith("| infrastructure | no range | 3 |")  # cpu and errors unbounded
    assert table[3].startswith("| model | ")
    assert table[4].startswith("| business | FAIL | 1 | retention change: change against the "
                               "baseline -0.0854 is below the allowed range")


def test_credentials_in_the_prometheus_url_are_refused(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(example, "http://admin:hunter2@127.0.0.1:9", SERVICE)
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 2
    err = capsys.readouterr().err
    assert "observe.prometheus.url: the URL holds a user or password" in err, err
    assert "hunter2" not in err, err


def test_the_example_reads_its_layers_from_files_without_a_server(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The churn example: infrastructure green, business degrading (the chapter's 'most
    dangerous failure'), read from its Prometheus export and KPI CSV."""
    committed = (example / "churn/monitoring/2024-02-01.json").read_bytes()
    data = json.loads(committed)
    data.pop("layers")
    (example / "churn/monitoring/2024-02-01.json").write_text(json.dumps(data))
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    assert "service p99_latency: 170.8 (samples: 96)" in capsys.readouterr().out
    layers = _layers(example)
    assert layers["service"]["p99_latency"]["query"] == (
        'max_over_time(churn_api_latency_p99_ms{job="churn-api"}[86400s]) in '
        "data/churn_service.om")
    got = _checks(example)
    window = "churn/live/2024-02-01"
    assert got[f"{window}/service/p99_latency"].status == "pass"
    assert got[f"{window}/service/error_rate"].status == "pass"
    change = got[f"{window}/business/retention_30d/change"]
    assert change.status == "fail" and change.value == pytest.approx(0.7935 / 0.8613 - 1)


def test_example_layer_files_are_what_the_generator_writes(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import REPO
    subprocess.run([sys.executable, str(REPO / "examples/data/make_churn_layers.py"), "--out",
                    str(tmp_path)], check=True)
    for name in ("churn_service.om", "churn_kpis.csv"):
        assert (tmp_path / name).read_bytes() == (REPO / "examples/data" / name).read_bytes()


@pytest.mark.parametrize(("config", "words"), [
    ("observe:\n  openmetrics: ../outside.om\n", "no OpenMetrics file ../outside.om inside"),
    ("observe:\n  openmetrics: data/churn_service.om\n  prometheus: {url: 'http://h:9'}\n",
     "give either `prometheus` (a server) or `openmetrics` (a file)"),
])
def test_openmetrics_config_errors_are_exit_2(example: Path, capsys: pytest.CaptureFixture[str],
                                              config: str, words: str) -> None:
    (example.parent / "outside.om").write_text("g 1 1706745600\n")
    text = (example / "govkit.yaml").read_text()
    start, end = text.index("\nobserve:\n") + 1, text.index("\nmodels:") + 1
    (example / "govkit.yaml").write_text(text[:start] + config + text[end:])
    before = (example / "churn/monitoring/2024-02-01.json").read_bytes()
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 2
    err = capsys.readouterr().err
    assert "govkit.yaml:" in err and words in err, err
    assert (example / "churn/monitoring/2024-02-01.json").read_bytes() == before


@pytest.mark.parametrize("text", ["window,conv\n2024-02-01,0.1,extra\n", "\xe9t\xe9\n"])
def test_a_business_file_arrow_cannot_read_is_exit_2_naming_it(
    example: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    (example / "kpis.csv").write_bytes(text.encode("latin-1"))
    _project(example, "http://127.0.0.1:9", "business:\n  conv:\n    connection: c\n"
             "    source: {file: kpis.csv, column: conv}\n")
    before = (example / "churn/monitoring/2024-02-01.json").read_bytes()
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 2
    err = capsys.readouterr().err
    assert "kpis.csv:" in err and "Traceback" not in err and "internal error" not in err
    assert (example / "churn/monitoring/2024-02-01.json").read_bytes() == before


def test_an_openmetrics_file_that_is_not_utf_8_is_exit_2_at_its_line(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    om = example / "data/churn_service.om"
    lines = om.read_bytes().splitlines(keepends=True)
    om.write_bytes(b"".join(lines[:3]) + "# caf\xe9\n".encode("latin-1") + b"".join(lines[3:]))
    before = (example / "churn/monitoring/2024-02-01.json").read_bytes()
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 2
    err = capsys.readouterr().err
    assert "data/churn_service.om:4: not UTF-8 text" in err, err
    assert (example / "churn/monitoring/2024-02-01.json").read_bytes() == before
