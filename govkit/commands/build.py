"""`govkit build`: load -> check -> render -> write, in that order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.checks import CheckResult, check_project
from govkit.commands.loading import load_profiled_project
from govkit.model import Project
from govkit.output.writer import WriteReport
from govkit.site.pages import build_pages
from govkit.site.publish import publish
from govkit.sources.mkdocs_config import untrusted_env, vet_mkdocs_config
from govkit.sources.mkdocs_site import site_config


@dataclass
class BuildResult:
    project: Project
    results: list[CheckResult]
    report: WriteReport


def build(start: Path, *, html: bool = False, untrusted: bool = False) -> BuildResult:
    """`untrusted` (or GOVKIT_UNTRUSTED=1): inputs come from an unreviewed change, so
    site.trust_mkdocs_config does not apply."""
    project = load_profiled_project(start)
    if html:
        vet_mkdocs_config(project, untrusted=untrusted or untrusted_env())
    results = check_project(project, "all")
    pages = build_pages(project, results,
                        site_config(project.path(project.config.mkdocs_config)))
    files = {p.path: p.content.encode("utf-8") if isinstance(p.content, str) else p.content
             for p in pages}
    report = publish(project, files, html=html)
    return BuildResult(project, results, report)
