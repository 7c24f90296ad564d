"""Publish a build: the generated Markdown into docs_dir and, with `--html`, the mkdocs site into
html_dir; each folder is replaced as a whole, and only once everything is ready."""

from __future__ import annotations

from contextlib import ExitStack

from govkit.model import Project
from govkit.output.staging import Scratch, locked
from govkit.output.writer import WriteReport, check_unchanged, plan_tree, stage_tree
from govkit.site.mkdocs import build_site, check_site
from govkit.site.outputs import check_outputs


def publish(project: Project, files: dict[str, bytes], *, html: bool = False,
            owned_config: str | None = None) -> WriteReport:
    """Refuse (exit 2, nothing written) or replace docs_dir (and html_dir) with the new state.

    `owned_config`: the mkdocs configuration govkit wrote (untrusted builds; mkdocs.yml unread).
    A failed mkdocs build changes neither folder; a killed build leaves each folder as it was
    (or complete and new), and the next build removes what it left beside them."""
    out = check_outputs(project, html=html, need_config=owned_config is None)
    with ExitStack() as stack:
        stack.enter_context(locked(out.docs.parent))  # one build of a project at a time
        docs_scratch = stack.enter_context(Scratch(out.docs))
        site_scratch = stack.enter_context(Scratch(out.html, legacy=True)) if out.html else None
        plan = plan_tree(out.docs, files)
        if out.html:
            check_site(out.html)
        staged = stage_tree(plan, docs_scratch)
        site = None
        if site_scratch is not None:
            site = site_scratch.new_folder()
            plan.report.sanitized = build_site(out.mkdocs_config, staged or out.docs, site,
                                               docs_dir=out.docs, owned=owned_config)
        if staged is not None:
            check_unchanged(plan)
            docs_scratch.commit(staged)
        if site_scratch is not None and site is not None:
            site_scratch.commit(site)
    return plan.report
