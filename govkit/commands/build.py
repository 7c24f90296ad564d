"""`govkit build`: load -> check -> render -> write, in that order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govkit.checks.profiles import versions_coverage
from govkit.checks.project import check_project
from govkit.checks.results import CheckResult
from govkit.commands.loading import load_profiled_project
from govkit.errors import InputError
from govkit.model import Project
from govkit.output.writer import WriteReport
from govkit.site.dossier import REVISION
from govkit.site.pages import build_pages
from govkit.site.publish import publish
from govkit.sources.mkdocs_config import untrusted_env, vet_mkdocs_config
from govkit.sources.mkdocs_owned import dump_config, owned_config, revision_config, site_config_of
from govkit.sources.mkdocs_site import site_config


@dataclass
class BuildResult:
    """What `govkit build` loaded, checked and wrote."""

    project: Project
    results: list[CheckResult]
    report: WriteReport


def build(start: Path, *, html: bool = False, untrusted: bool = False,
          config_from: str | None = None, revision: str | None = None) -> BuildResult:
    """`untrusted` (or GOVKIT_UNTRUSTED=1): inputs come from an unreviewed change, so the
    working tree's mkdocs.yml is not read: govkit writes the configuration from the `site:`
    section, or takes it from the revision `config_from` (vetted with no trust). `revision`:
    the git revision each dossier's cover names (CI passes its commit; a committed site is
    built without it, so that it stays the same bytes for the same inputs)."""
    if revision is not None and not REVISION.match(revision):
        raise InputError.single("--revision", f"{revision!r} is not a git revision",
                                hint="pass a commit id, tag or branch name, e.g. "
                                "--revision \"$GITHUB_SHA\"")
    project = load_profiled_project(start)
    untrusted = untrusted or untrusted_env() or config_from is not None
    owned = None
    if untrusted:
        config = (revision_config(project, config_from) if config_from is not None
                  else owned_config(project))
        site = site_config_of(config)
        owned = dump_config(config)
    else:
        if html:
            vet_mkdocs_config(project, untrusted=False)
        site = site_config(project.path(project.config.mkdocs_config))
    results = check_project(project, "all")
    pages = build_pages(project, results, site, revision,
                        versions_coverage(project, results))
    files = {p.path: p.content.encode("utf-8") if isinstance(p.content, str) else p.content
             for p in pages}
    report = publish(project, files, html=html, owned_config=owned)
    return BuildResult(project, results, report)
