"""Where a failing check's value is shown: the page and anchor every failure links to."""

from __future__ import annotations

from govkit.checks.results import CheckResult
from govkit.model import MODELS_PAGE_DIR
from govkit.site.anchors import anchor
from govkit.site.card_parts import FailingCheck
from govkit.site.plain import check_data
from govkit.site.training import page_name


def evidence(check: CheckResult, main_version: str | None, alerts: bool) -> str:
    """The page (Markdown path from the site root) and anchor of the row that shows the
    check's value: a live check's monitoring row, a release check's metric or segment row,
    a governance check's row on the alerts page, a training check's row on the training
    page, a document check's row on the main card; else the model's card."""
    base = f"{MODELS_PAGE_DIR}/{check.model}"
    kind = check.kind
    if kind == "monitoring" and check.window:
        page = f"{base}/monitoring/{check.window}.md"
    elif kind == "release" and check.version:
        page = f"{base}/index.md" if check.version == main_version \
            else f"{base}/versions/{check.version}.md"
    elif kind == "governance" and alerts:
        page = f"{base}/runbooks/index.md"
    elif kind == "training":
        page = f"{base}/{page_name()}"
    elif kind == "document" and main_version is not None:
        page = f"{base}/index.md"
    else:
        return f"{base}/index.md"
    return f"{page}#{anchor(check.id)}"


def failing_check(check: CheckResult, main_version: str | None, alerts: bool) -> FailingCheck:
    return {**check_data(check), "href": evidence(check, main_version, alerts)}
