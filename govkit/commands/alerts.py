"""`govkit alerts --format prometheus [--out FILE]`: the project's alerts as alerting rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.errors import InputError
from govkit.output.writer import write_if_changed
from govkit.reports.prometheus import prometheus_rules
from govkit.sources.mkdocs_config import untrusted_env
from govkit.sources.mkdocs_owned import owned_config, site_config_of
from govkit.sources.mkdocs_site import html_pages
from govkit.sources.project import load_project


@dataclass
class AlertsRun:
    text: str
    written: bool


def run_alerts(start: Path, *, fmt: str = "prometheus", out: Path | None = None,
               untrusted: bool = False) -> AlertsRun:
    """`untrusted` (or GOVKIT_UNTRUSTED=1): mkdocs.yml is part of an unreviewed change, so
    it is not read; pages are addressed as the untrusted build writes them (`site:`)."""
    if fmt != "prometheus":
        raise InputError.single("--format", f"unknown format {fmt!r}", hint="use prometheus")
    if out is not None and out.is_dir():
        raise InputError.single(str(out), "is a folder, not a file",
                                hint="pass --out with a file name, e.g. alerts.rules.yml")
    project = load_project(start)
    if untrusted or untrusted_env():
        html = site_config_of(owned_config(project)).html_pages
    else:
        html = html_pages(project.path(project.config.mkdocs_config))
    text = prometheus_rules(project, html)
    written = write_if_changed(out, text.encode("utf-8")) if out is not None else False
    return AlertsRun(text, written)
