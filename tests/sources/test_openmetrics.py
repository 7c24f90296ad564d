"""The OpenMetrics file source answers `metric` SLOs as the real Prometheus server does when
the same file is backfilled into it (tests/prometheus_server.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from govkit.commands.observe import promql
from govkit.errors import InputError
from govkit.schemas.layers import ServiceSlo
from govkit.sources.openmetrics import file_answer, read_series
from govkit.sources.prometheus import Prometheus
from tests.prometheus_server import DAY, openmetrics, prometheus_url  # noqa: F401 (fixture)

BEGIN = DAY.timestamp()
END = (DAY + dt.timedelta(days=1)).timestamp()

SLOS = {
    "cpu_one": {"kind": "cpu", "metric": "cpu_usage_ratio", "labels": {"job": "churn-api"}},
    "cpu_both": {"kind": "cpu", "metric": "cpu_usage_ratio"},
    "cpu_max": {"kind": "cpu", "metric": "cpu_usage_ratio", "statistic": "max",
                "labels": {"job": "other-api"}},
    "latency": {"kind": "latency", "metric": "p99_latency_ms", "statistic": "last",
                "labels": {"job": "churn-api"}},
    "errors_sum": {"kind": "error_rate", "metric": "error_ratio", "statistic": "sum"},
    "missing": {"kind": "cpu", "metric": "no_such_metric"},
    "nan": {"kind": "cpu", "metric": "broken_ratio"},
}


def _file(tmp_path: Path, text: str) -> dict[str, list]:  # type: ignore[type-arg]
    (tmp_path / "service.om").write_text(text, encoding="utf-8")
    return read_series(tmp_path, "service.om", "govkit.yaml")


def test_file_answers_as_the_server_does(tmp_path: Path,
                                         prometheus_url: str) -> None:  # noqa: F811
    series = _file(tmp_path, openmetrics())
    server = Prometheus(prometheus_url, None, 10)
    for name, fields in SLOS.items():
        slo = ServiceSlo.model_validate(fields)
        from_file, samples = file_answer(series, slo, BEGIN, END)
        from_server = server.instant(promql(slo, "86400s")[0], END)
        assert (from_file.value is None) == (from_server.value is None), name
        if from_server.value is not None:
            assert from_file.value == pytest.approx(from_server.value, rel=1e-12), name
            counted = server.instant(promql(slo, "86400s")[1] or "", END)
            assert samples == counted.value == 288, name
        else:
            assert from_file.reason and from_server.reason, name
            words = "matched 2 series" if name == "cpu_both" else (
                "no series" if name == "missing" else "NaN")
            assert words.lower() in from_file.reason.lower(), (name, from_file.reason)


def test_window_is_half_open_and_other_days_are_left_out(tmp_path: Path) -> None:
    start, end = int(BEGIN), int(END)
    series = _file(tmp_path, "# TYPE g gauge\n"
                   f'g{{job="a"}} 100 {start - 1}\ng{{job="a"}} 1 {start}\n'
                   f'g{{job="a"}} 3 {end - 1}\ng{{job="a"}} 50 {end}\n# EOF\n')
    slo = ServiceSlo.model_validate({"kind": "cpu", "metric": "g", "statistic": "max"})
    answer, samples = file_answer(series, slo, BEGIN, END)
    assert (answer.value, samples) == (3.0, 2)


def test_what_only_a_server_answers_is_not_evaluated(tmp_path: Path) -> None:
    series = _file(tmp_path, openmetrics())
    for fields, words in [
        ({"kind": "error_rate", "query": "avg_over_time(error_ratio[$range])"}, "PromQL query"),
        ({"kind": "latency", "metric": "http_seconds", "quantile": 0.99}, "histogram quantile"),
    ]:
        answer, _ = file_answer(series, ServiceSlo.model_validate(fields), BEGIN, END)
        assert answer.value is None and words in str(answer.reason)


@pytest.mark.parametrize("line", [
    'g{job="a"} 1',                      # no timestamp
    'g{job="a} 1 1706745600',            # unterminated label value
    "g 1 1706745600 extra",
    'g{job="a"} high 1706745600',
])
def test_a_line_that_is_no_sample_is_named(tmp_path: Path, line: str) -> None:
    with pytest.raises(InputError) as raised:
        _file(tmp_path, f"# TYPE g gauge\ng{{job=\"a\"}} 1 1706745600\n{line}\n")
    problem = raised.value.problems[0]
    assert (problem.path, problem.line) == ("service.om", 3), problem


def test_escaped_label_values_match(tmp_path: Path) -> None:
    series = _file(tmp_path, 'g{path="a\\"b\\\\c"} 7 1706745600\n')
    slo = ServiceSlo.model_validate({"kind": "cpu", "metric": "g", "labels": {"path": 'a"b\\c'}})
    assert file_answer(series, slo, BEGIN, END)[0].value == 7.0


def test_a_file_outside_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.om").write_text("g 1 1706745600\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    with pytest.raises(InputError, match="inside the project"):
        read_series(tmp_path / "project", "../outside.om", "govkit.yaml")


def test_a_series_every_step_needs_a_server(tmp_path: Path) -> None:
    series = _file(tmp_path, openmetrics())
    slo = ServiceSlo.model_validate({"kind": "latency", "metric": "p99_latency_ms",
                                     "step": "5m"})
    answer, _ = file_answer(series, slo, BEGIN, END)
    assert answer.value is None and "query_range" in str(answer.reason)
