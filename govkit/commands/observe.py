"""`govkit observe`: the service SLOs (Prometheus) and business KPIs (file or SQL) of a
model's card, read over a window and written into the window's monitoring result."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from govkit.commands.monitor import window_period
from govkit.errors import InputError
from govkit.model import ModelRecord, Project
from govkit.output.writer import write_if_changed
from govkit.schemas.layers import ServiceSlo, promql
from govkit.schemas.monitoring import Layers, LayerValue, MonitoringResult
from govkit.sources.business import kpi_value, read_rows
from govkit.sources.files import max_bytes
from govkit.sources.openmetrics import file_answer, read_series
from govkit.sources.project import MONITORING_DIR, load_project
from govkit.sources.prometheus import Prometheus


@dataclass
class ObserveOutcome:
    path: Path
    layers: Layers
    written: bool


def window_range(window: str) -> tuple[dt.datetime, dt.datetime]:
    period = window_period(window)
    if period is None:
        raise InputError.single("--window", f"{window!r} names no time range",
                                hint="use a day (2024-02-01), week (2024-W05) or month (2024-02)")
    start = dt.datetime.combine(period[0], dt.time(), dt.UTC)
    return start, dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time(), dt.UTC)


def run_observe(start_at: Path, model_name: str, window: str) -> ObserveOutcome:
    project = load_project(start_at)
    model = project.model(model_name)
    if model is None:
        raise InputError.single(project.config_doc.path, f"unknown model '{model_name}'",
                                hint="declared models: "
                                + ", ".join(m.name for m in project.models))
    path = model.folder / MONITORING_DIR / f"{window}.json"
    if not path.is_file():
        raise InputError.single(str(path), f"no monitoring result for window {window}",
                                hint=f"run `govkit monitor {model_name} --window {window}` first")
    result = MonitoringResult.model_validate_json(path.read_bytes())
    begin, end = window_range(window)
    layers = Layers(service=_service(project, model, begin, end),
                    business=_business(project, model, window, begin, end))
    result.layers = layers
    return ObserveOutcome(path, layers, write_if_changed(path, result.to_json().encode()))


def _service(project: Project, model: ModelRecord, begin: dt.datetime,
             end: dt.datetime) -> list[LayerValue]:
    service = model.card.service
    if service is None or not service.slos:
        return []
    if project.config.observe.openmetrics is not None:
        return _service_from_file(project, service.slos, begin, end)
    source = project.config.observe.prometheus
    if source is None:
        raise InputError.single(project.config_doc.path, f"{model.name}'s card documents "
                                "service SLOs but govkit.yaml names no Prometheus",
                                field="observe.prometheus",
                                hint="add observe: {prometheus: {url: http://HOST:9090}} "
                                "or observe: {openmetrics: FILE.om}")
    token = None
    if source.token_env:
        token = os.environ.get(source.token_env)
        if not token:
            raise InputError.single(project.config_doc.path, f"environment variable "
                                    f"{source.token_env} is not set",
                                    field="observe.prometheus.token_env",
                                    hint="export the Prometheus token in that variable")
    client = Prometheus(source.url, token, source.timeout_s)
    span = f"{int((end - begin).total_seconds())}s"
    at = end.timestamp()
    out = []
    for name, slo in sorted(service.slos.items()):
        query, counting = promql(slo, span)
        samples: int | None = None
        if slo.step is not None:  # the window as a series, its last point before `end`
            answer, samples = client.series(query, begin.timestamp(), at - 1, slo.step,
                                            slo.statistic)
            query = f"{slo.statistic} of {query} every {slo.step} (query_range)"
        else:
            answer = client.instant(query, at)
            if counting is not None:
                counted = client.instant(counting, at)
                samples = int(counted.value) if counted.value is not None else 0
        out.append(LayerValue(
            name=name, value=answer.value, query=query, start=begin.isoformat(),
            end=end.isoformat(), samples=samples, reason=answer.reason,
            status="evaluated" if answer.value is not None else "not_evaluated"))
    return out


def _service_from_file(project: Project, slos: dict[str, ServiceSlo], begin: dt.datetime,
                       end: dt.datetime) -> list[LayerValue]:
    name = str(project.config.observe.openmetrics)
    series = read_series(project.root, name, project.config_doc.path,
                         max_bytes(project.config.limits.max_file_mb))
    span = f"{int((end - begin).total_seconds())}s"
    out = []
    for key, slo in sorted(slos.items()):
        answer, samples = file_answer(series, slo, begin.timestamp(), end.timestamp())
        out.append(LayerValue(
            name=key, value=answer.value, query=f"{promql(slo, span)[0]} in {name}",
            start=begin.isoformat(), end=end.isoformat(), samples=samples,
            reason=answer.reason,
            status="evaluated" if answer.value is not None else "not_evaluated"))
    return out


def _business(project: Project, model: ModelRecord, window: str, begin: dt.datetime,
              end: dt.datetime) -> list[LayerValue]:
    out = []
    for name, kpi in sorted(model.card.business.items()):
        source = kpi.source
        url = None
        if source.database is not None:
            url = _database_url(project, source.database)
        rows = read_rows(source, project.root, url)
        now = kpi_value(source, rows, window)
        base = kpi_value(source, rows, kpi.baseline_window) if kpi.baseline_window else None
        reason = now.reason
        if base is not None and base.value is None and reason is None:
            reason = f"baseline window {kpi.baseline_window}: {base.reason}"
        shown = source.sql if source.sql is not None else source.file
        out.append(LayerValue(
            name=name, value=now.value if reason is None else None, query=str(shown),
            start=begin.isoformat(), end=end.isoformat(), samples=now.samples,
            reason=reason, status="evaluated" if reason is None else "not_evaluated",
            baseline=base.value if base else None,
            baseline_samples=base.samples if base else None))
    return out


def _database_url(project: Project, key: str) -> str:
    database = project.config.observe.databases.get(key)
    if database is None:
        raise InputError.single(project.config_doc.path, f"no database '{key}'",
                                field="observe.databases",
                                hint=f"add observe: {{databases: {{{key}: {{url: ...}}}}}}")
    if database.url_env is not None:
        url = os.environ.get(database.url_env)
        if not url:
            raise InputError.single(project.config_doc.path, f"environment variable "
                                    f"{database.url_env} is not set",
                                    field=f"observe.databases.{key}.url_env",
                                    hint="export the database URL in that variable")
        return url
    url = str(database.url)
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url[len(prefix):].startswith("/"):
        url = prefix + str(project.root / url[len(prefix):])
    return url
