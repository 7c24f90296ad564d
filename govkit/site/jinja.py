"""The Jinja environment: sandboxed, strict, plain data in, every value escaped on output."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, Context, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment, safe_range
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from govkit.errors import TemplateInputError
from govkit.formatting import display_path, fmt
from govkit.site.escape import (
    NOT_DOCUMENTED,
    block,
    code,
    codeblock,
    comment,
    md,
    or_marker,
    prose,
    prose_line,
    status_icon,
    url,
)


def default_templates_dir() -> Path:
    """Packaged templates (inside the wheel), or the repo's top-level templates/ in a checkout."""
    packaged = resources.files("govkit") / "_templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, stricter: a template may call only macros (and `loop`/`caller`
    helpers), never a method of a value; verdicts are cached per (type, attribute)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def getattr(self, obj: Any, attribute: str) -> Any:
        # `row.key` on plain data: what Jinja would return after its failed attribute lookup
        # (dict has no such attribute), without raising and catching AttributeError
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not _callable_allowed(__obj):
            name = getattr(__obj, "__name__", type(__obj).__name__)
            raise SecurityError(f"calling {name!r} is not allowed: templates receive plain "
                                "data and may call only macros and filters")
        return super().call(__context, __obj, *args, **kwargs)


_HELPERS = (LoopContext, Cycler, Joiner)
_DICT_ATTRIBUTES = frozenset(dir(dict))


def _callable_allowed(obj: Any) -> bool:
    if isinstance(obj, Macro | BlockReference) or obj is safe_range or obj is Namespace:
        return True
    owner = getattr(obj, "__self__", None)
    return isinstance(owner, _HELPERS) and not getattr(obj, "__name__", "_").startswith("_")


class _CompiledInProcess(BytecodeCache):
    """Compiled templates kept for the life of the process (`govkit serve` rebuilds, library
    use), keyed by template file and source checksum; never written to or read from disk,
    where a pull request could plant code. Every environment comes from `make_env`, with the
    same options, so one compiled form fits them all."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], Any] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.code

    def clear(self) -> None:
        self._code.clear()


_COMPILED = _CompiledInProcess()


def forget_compiled() -> None:
    """Start over as a new process would (benchmarks time what one `govkit build` pays)."""
    _COMPILED.clear()


def make_env(project_templates: Path | None = None) -> SandboxedEnvironment:
    search = [str(project_templates)] if project_templates and project_templates.is_dir() else []
    defaults = FileSystemLoader(str(default_templates_dir()))
    loader = ChoiceLoader([FileSystemLoader(search), defaults])
    env = _Sandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=True,
        finalize=md,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build reads each template once
        bytecode_cache=_COMPILED,
    )
    env.filters.update(md=md, block=block, code=code, codeblock=codeblock, comment=comment,
                       prose=prose, prose_line=prose_line,
                       num=lambda v: Markup(fmt(v)), status=status_icon, or_marker=or_marker,
                       raw=Markup, url=url)
    for name in ("lipsum", "dict", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["missing"] = NOT_DOCUMENTED
    return env


def render(env: SandboxedEnvironment, template: str, **context: Any) -> str:
    """Render `template`; any template failure is the template's input error (exit 2)."""
    try:
        return env.get_template(template).render(**context)
    except SecurityError as exc:
        where, line = _location(exc, template)
        raise TemplateInputError.single(where, f"not allowed: {exc}", line=line,
                                        hint="use the values and filters govkit provides"
                                        ) from None
    except TemplateError as exc:
        where, line = _location(exc, template)
        raise TemplateInputError.single(where, f"template error: {exc}", line=line,
                                        hint="fix the template or remove the override"
                                        ) from None
    except UnicodeDecodeError as exc:
        raise TemplateInputError.single(_path_of(env, template), f"not UTF-8 text: {exc.reason}",
                                        hint="save the template as UTF-8") from None


def _location(exc: TemplateError, template: str) -> tuple[str, int | None]:
    """The template file and line of an error: syntax errors carry them, runtime errors
    leave them in the (Jinja-rewritten) traceback."""
    filename = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if line is None:
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith((".j2", ".css", ".md", ".html")):
                filename, line = code, tb.tb_lineno
            tb = tb.tb_next
    return (display_path(Path(filename)) if filename else template), line


def _path_of(env: SandboxedEnvironment, template: str) -> str:
    loader = env.loader
    for sub in getattr(loader, "loaders", []):
        for folder in getattr(sub, "searchpath", []):
            if (Path(folder) / template).is_file():
                return display_path(Path(folder) / template)
    return template
