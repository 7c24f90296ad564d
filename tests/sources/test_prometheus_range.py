"""`/api/v1/query_range` (sources/prometheus.py Prometheus.series) against the real server:
the window read as a series and summarised by the SLO's statistic."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from govkit.cli import main
from govkit.schemas.layers import ServiceSlo, promql
from govkit.sources.prometheus import Prometheus
from tests.conftest import without_layers
from tests.prometheus_server import DAY, prometheus_url  # noqa: F401 (fixture)

BEGIN = DAY.timestamp()
LAST = (DAY + dt.timedelta(days=1)).timestamp() - 1  # the window's end is exclusive


@pytest.mark.parametrize(("statistic", "value"), [
    ("max", 130), ("min", 100), ("avg", 115), ("last", 130), ("sum", 24 * 115)])
def test_hourly_series_statistics(prometheus_url: str, statistic: str,  # noqa: F811
                                  value: float) -> None:
    slo = ServiceSlo.model_validate({"kind": "latency", "metric": "hourly_latency_ms",
                                     "labels": {"job": "churn-api"}, "step": "1h",
                                     "statistic": statistic})
    query, counting = promql(slo, "86400s")
    assert (query, counting) == ('hourly_latency_ms{job="churn-api"}', None)
    answer, points = Prometheus(prometheus_url, None, 10).series(query, BEGIN, LAST, "1h",
                                                                 statistic)
    assert (answer.value, answer.reason, points) == (pytest.approx(value), None, 24)


@pytest.mark.parametrize(("query", "reason"), [
    ("cpu_usage_ratio", "matched 2 series"),
    ("no_such_metric", "matched no series"),
    ("broken_ratio", "NaN or infinite points"),
    ("sum(", "Prometheus rejected the query: bad_data"),
])
def test_unusable_series_are_not_evaluated(prometheus_url: str, query: str,  # noqa: F811
                                           reason: str) -> None:
    answer, _ = Prometheus(prometheus_url, None, 10).series(query, BEGIN, LAST, "1h", "max")
    assert answer.value is None and reason in str(answer.reason), answer


def test_observe_reads_a_step_slo_as_a_series_and_checks_it(
        example: Path, prometheus_url: str, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    without_layers(example)
    card = example / "churn/card.yaml"
    card.write_text(card.read_text(encoding="utf-8") + (
        "service:\n  slos:\n    p99:\n      kind: latency\n      unit: ms\n"
        "      metric: hourly_latency_ms\n      labels: {job: churn-api}\n"
        "      step: 1h\n      statistic: max\n      max: 125\n"), encoding="utf-8")
    config = example / "govkit.yaml"
    config.write_text(config.read_text(encoding="utf-8")
                      + f"\nobserve:\n  prometheus: {{url: '{prometheus_url}'}}\n",
                      encoding="utf-8")
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    data = json.loads((example / "churn/monitoring/2024-02-01.json").read_text())
    p99 = data["layers"]["service"][0]
    assert (p99["value"], p99["samples"]) == (130, 24)
    assert p99["query"] == 'max of hourly_latency_ms{job="churn-api"} every 1h (query_range)'
    capsys.readouterr()
    assert main(["-C", str(example), "check"]) == 1
    assert ("churn/live/2024-02-01/service/p99: 130 is above the allowed range ≤ 125"
            in capsys.readouterr().err)
