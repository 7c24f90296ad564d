"""The card's `service:` and `business:` sections: bad input at FILE:LINE, seed defaults
only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main
from govkit.schemas.layers import ServiceSlo, seed_bounds
from tests.conftest import without_layers

SERVICE = """
service:
  slos:
    p99_latency:
      kind: latency
      unit: ms
      metric: http_request_duration_ms
      quantile: 0.99
      labels: {job: churn-api}
"""


def _check(example: Path, capsys: pytest.CaptureFixture[str], extra: str) -> tuple[int, str]:
    card = without_layers(example) / "churn/card.yaml"
    card.write_text(card.read_text(encoding="utf-8") + extra, encoding="utf-8")
    capsys.readouterr()
    code = main(["-C", str(example), "check"])
    return code, capsys.readouterr().err


def _line(example: Path, needle: str) -> int:
    lines = (example / "churn/card.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(needle))


@pytest.mark.parametrize(("extra", "needle", "expected"), [
    pytest.param(SERVICE.replace("      metric: http_request_duration_ms\n", ""), "p99_latency:",
                 "service.slos.p99_latency: give either a PromQL `query` or a "
                 "`metric`", id="no-query"),
    pytest.param(SERVICE.replace("kind: latency", "kind: latncy"), "kind: latncy",
                 "service.slos.p99_latency.kind:", id="bad-kind"),
    pytest.param(SERVICE.replace("quantile: 0.99", "quantile: 1.5"), "quantile: 1.5",
                 "service.slos.p99_latency.quantile:", id="quantile-out-of-range"),
    pytest.param(SERVICE + "      min: 5\n      max: 1\n", "p99_latency:",
                 "min (5.0) is greater than max (1.0)", id="min-above-max"),
    pytest.param(SERVICE.replace("slos:", "defaults: seed\n  slos:").replace(
        "      unit: ms\n", ""), "service:", "needs the latency's unit", id="seed-unit"),
    pytest.param("business:\n  retention:\n    connection: Missed churners leave\n"
                 "    source: {file: kpis.txt, column: retention}\n", "source:",
                 "business.retention.source: file 'kpis.txt' is neither",
                 id="kpi-file-type"),
    pytest.param("business:\n  retention:\n    source: {file: kpis.csv, column: r}\n",
                 "retention:", "business.retention.connection: required field is missing",
                 id="kpi-connection"),
    pytest.param("business:\n  retention:\n    connection: x\n    max_relative_change: 0.05\n"
                 "    source: {file: kpis.csv, column: r}\n", "retention:",
                 "`max_relative_change` and `baseline_window` go together", id="kpi-baseline"),
])
def test_bad_layer_is_reported_at_its_line(example: Path, capsys: pytest.CaptureFixture[str],
                                           extra: str, needle: str, expected: str) -> None:
    code, err = _check(example, capsys, extra)
    assert code == 2, err
    assert f"churn/card.yaml:{_line(example, needle)}: " in err, err
    assert expected in err, err


def test_valid_layers_load(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _check(example, capsys, SERVICE + "business:\n  retention:\n"
                       "    connection: Missed churners are not offered a discount\n"
                       "    source: {file: kpis.csv, column: retention}\n")
    assert code in (0, 1), err


def test_seed_bounds_follow_kind_and_unit() -> None:
    def slo(**kw: object) -> ServiceSlo:
        return ServiceSlo.model_validate({"metric": "m", **kw})
    assert seed_bounds(slo(kind="latency", unit="ms")) == (None, 200.0)
    assert seed_bounds(slo(kind="latency", unit="s")) == (None, 0.2)
    assert seed_bounds(slo(kind="error_rate")) == (None, 0.001)
    assert seed_bounds(slo(kind="cpu", unit="%")) == (None, 90.0)
    assert seed_bounds(slo(kind="memory")) == (None, 0.85)
    assert seed_bounds(slo(kind="throughput", baseline=1000)) == (800.0, None)
    assert seed_bounds(slo(kind="queue_depth")) == (None, None)
