"""`govkit alerts --format prometheus [--out FILE]`: the project's alerts as alerting rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.errors import InputError
from govkit.output.writer import write_if_changed
from govkit.reports.prometheus import prometheus_rules
from govkit.sources.mkdocs_site import html_pages
from govkit.sources.project import load_project


@dataclass
class AlertsRun:
    text: str
    written: bool


def run_alerts(start: Path, *, fmt: str = "prometheus", out: Path | None = None) -> AlertsRun:
    if fmt != "prometheus":
        raise InputError.single("--format", f"unknown format {fmt!r}", hint="use prometheus")
    if out is not None and out.is_dir():
        raise InputError.single(str(out), "is a folder, not a file",
                                hint="pass --out with a file name, e.g. alerts.rules.yml")
    project = load_project(start)
    text = prometheus_rules(project, html_pages(project.path(project.config.mkdocs_config)))
    written = write_if_changed(out, text.encode("utf-8")) if out is not None else False
    return AlertsRun(text, written)
