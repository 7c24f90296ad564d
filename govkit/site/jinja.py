"""The Jinja environment: sandboxed, strict, with Markdown-escaping of every value."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from govkit.formatting import fmt
from govkit.errors import InputError

NOT_DOCUMENTED = Markup('*Not documented* <!-- guidance: add this to the source YAML -->')
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
    | {c: "\\" + c for c in "\\`*_[]|#!"}
    | {chr(c): " " for c in [*range(32), 127]}  # control characters become spaces
)
_ESCAPED: dict[str, Markup] = {}
STATUS_ICONS = {
    "pass": ":material-check-circle:{ .gk-pass title=\"pass\" } pass",
    "fail": ":material-close-octagon:{ .gk-fail title=\"fail\" } **FAIL**",
    "no_range": ":material-minus-circle-outline:{ .gk-none title=\"no range\" } no range",
    "insufficient_data": ":material-help-circle-outline:{ .gk-none title=\"insufficient data\" }"
                         " insufficient data",
}


def default_templates_dir() -> Path:
    """Packaged templates (inside the wheel), or the repo's top-level templates/ in a checkout."""
    packaged = resources.files("govkit") / "_templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


def md(value: Any) -> Markup:
    """Escape a value for inline Markdown inside tables and lists (and HTML)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return NOT_DOCUMENTED
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, float):
        return Markup(fmt(value))
    text = str(value)
    escaped = _ESCAPED.get(text)
    if escaped is None:
        if len(_ESCAPED) > 50_000:  # card texts repeat on every version's page: keep them
            _ESCAPED.clear()
        escaped = _ESCAPED[text] = Markup(" ".join(text.translate(_ESCAPES).split()))
    return escaped


def block(value: Any) -> Markup:
    """Escape multi-paragraph prose, keeping blank-line paragraph breaks."""
    if value is None:
        return NOT_DOCUMENTED
    paragraphs = re.split(r"\n\s*\n", str(value).strip())
    return Markup("\n\n".join(str(md(p)) for p in paragraphs))


def status_icon(status: str | None) -> Markup:
    return Markup(STATUS_ICONS.get(status or "", "–"))


def or_marker(value: Any) -> Any:
    """An explicit marker for a missing value or an empty list."""
    if value is None or value == [] or value == {} or value == "":
        return NOT_DOCUMENTED
    return value


def _finalize(value: Any) -> Any:
    return md(value)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, remembering its verdict per (type, attribute): it depends on no more."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


def make_env(project_templates: Path | None = None) -> SandboxedEnvironment:
    search = [str(project_templates)] if project_templates and project_templates.is_dir() else []
    defaults = FileSystemLoader(str(default_templates_dir()))
    loader = ChoiceLoader([FileSystemLoader(search), defaults])
    env = _Sandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=md, block=block, num=lambda v: Markup(fmt(v)), status=status_icon,
                       or_marker=or_marker, raw=Markup)
    env.globals["missing"] = NOT_DOCUMENTED
    return env


def render(env: SandboxedEnvironment, template: str, **context: Any) -> str:
    try:
        return env.get_template(template).render(**context)
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        where = getattr(exc, "filename", None) or template
        raise InputError.single(where, f"template error: {exc}", line=lineno,
                                hint="fix the template or remove the override") from None
