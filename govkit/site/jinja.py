"""The Jinja environment: sandboxed, strict, plain data in, every value escaped on output."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    nodes,
)
from jinja2 import __version__ as jinja_version
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.filters import FILTERS
from jinja2.runtime import BlockReference, Context, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from govkit.errors import TemplateInputError
from govkit.formatting import display_path, fmt, slug
from govkit.output.user_cache import cache_folder
from govkit.package_data import package_folder
from govkit.site import budget
from govkit.site.anchors import row_anchor
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
    packaged = package_folder("govkit") / "_templates"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "templates"


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, stricter: a template may call only macros (and `loop`/`caller`
    helpers), never a method of a value; verdicts are cached per (type, attribute). Every
    operator, filter, loop iteration and call is measured against the page's budget."""

    intercepted_binops = budget.BINOPS
    govkit_charge = staticmethod(budget.charge)
    govkit_sized = staticmethod(budget.sized)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return budget.add_charges(super()._parse(source, name, filename))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        return budget.binop(operator, left, right)

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
        with budget.deeper():
            return super().call(__context, __obj, *args, **kwargs)


_HELPERS = (LoopContext, Cycler, Joiner)
_DICT_ATTRIBUTES = frozenset(dir(dict))


def _callable_allowed(obj: Any) -> bool:
    if isinstance(obj, Macro | BlockReference | LoopContext) or obj is Namespace:
        return True
    if obj is budget.budget_range or obj is budget.charge or obj is budget.sized:
        return True
    owner = getattr(obj, "__self__", None)
    return isinstance(owner, _HELPERS) and not getattr(obj, "__name__", "_").startswith("_")


class _CompiledInProcess(BytecodeCache):
    """Compiled templates kept for the life of the process (`govkit serve` rebuilds, library
    use), keyed by template file and source checksum. Every environment comes from
    `make_env`, with the same options, so one compiled form fits them all."""

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


class _CompiledOnDisk(BytecodeCache):
    """The process's compiled templates, backed by the user's cache folder (issue 26: a
    build compiles its ~20 templates once per machine, not once per run). Never a folder a
    pull request can write: `cache_folder` refuses the project, its work tree and folders
    others may write; Jinja rejects an entry whose source checksum or Jinja/Python version
    differs, and the folder's name (`compiler_key`) changes with the code that compiles."""

    def __init__(self, folder: Path) -> None:
        self._disk = FileSystemBytecodeCache(str(folder), "%s.cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        _COMPILED.load_bytecode(bucket)
        if bucket.code is None:
            self._disk.load_bytecode(bucket)
            if bucket.code is not None:
                _COMPILED.dump_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        _COMPILED.dump_bytecode(bucket)
        with contextlib.suppress(OSError):  # full or read-only: the next run compiles again
            self._disk.dump_bytecode(bucket)


def forget_compiled() -> None:
    """Start over as a new process would (benchmarks time what one `govkit build` pays)."""
    _COMPILED.clear()


def compiler_key() -> str:
    """What a compiled template depends on besides its source: Jinja, Python, and govkit's
    compiling code (this module and the budget's charges), hashed from the files themselves
    so an editable install that changes them never reads what the old code compiled."""
    digest = hashlib.sha256(f"{jinja_version}\0{sys.version}\0".encode())
    for module in (__file__, budget.__file__):
        with open(module, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()[:32]


def make_env(project_templates: Path | None = None,
             project_root: Path | None = None) -> SandboxedEnvironment:
    """The sandbox; with `project_root`, compiled templates are also kept in the user's
    cache folder (outside that project and its work tree)."""
    search = [str(project_templates)] if project_templates and project_templates.is_dir() else []
    folder = cache_folder("templates", compiler_key(), project_root) if project_root else None
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
        auto_reload=False,  # one build reads each template once
        bytecode_cache=_CompiledOnDisk(folder) if folder else _COMPILED,
    )
    env.filters.update(md=md, block=block, code=code, codeblock=codeblock, comment=comment,
                       prose=prose, prose_line=prose_line,
                       num=lambda v: Markup(fmt(v)), status=status_icon, or_marker=or_marker,
                       raw=Markup, url=url, check_id=row_anchor,
                       slug=lambda v: Markup(slug(str(v))))
    for name in ("lipsum", "dict", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.globals["range"] = budget.budget_range
    env.filters = budget.budgeted_filters(env.filters, frozenset(FILTERS))
    env.globals["missing"] = NOT_DOCUMENTED
    return env


def _finalize(value: Any) -> Any:
    return budget.emitted(md(budget.sized(value)))


def render(env: SandboxedEnvironment, template: str, **context: Any) -> str:
    """Render `template` within a page's budget; any template failure is the template's
    input error (exit 2)."""
    try:
        with budget.spending():
            return env.get_template(template).render(**context)
    except budget.OverBudget as exc:
        where, line = _location(exc, template)
        raise TemplateInputError.single(where, str(exc), line=line,
                                        hint="a template may not cost a build more than this; "
                                        "render less") from None
    except RecursionError as exc:
        where, line = _location(exc, template)
        raise TemplateInputError.single(where, "over the recursion budget (templates "
                                        "include or call themselves without end)", line=line,
                                        hint="stop the recursion") from None
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
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError,
            AssertionError) as exc:
        if not _raised_by_template(exc):
            raise  # govkit's own code: a bug, exit 3
        where, line = _location(exc, template)
        raise TemplateInputError.single(where, f"template error: {type(exc).__name__}: {exc}",
                                        line=line, hint="fix the template or remove the "
                                        "override") from None


def _raised_by_template(exc: BaseException) -> bool:
    """Whether the innermost frame of `exc` is a template's or Jinja's own (a loop over a
    number, a built-in filter given the wrong kind of value), not govkit's."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    name = tb.tb_frame.f_code.co_filename
    return name.endswith(_TEMPLATE_SUFFIXES) or f"{os.sep}jinja2{os.sep}" in name


def _location(exc: BaseException, template: str) -> tuple[str, int | None]:
    """The template file and line of an error: syntax errors carry them, runtime errors
    leave them in the (Jinja-rewritten) traceback."""
    filename = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    if line is None:
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code.co_filename
            if code.endswith(_TEMPLATE_SUFFIXES):
                filename, line = code, tb.tb_lineno
            tb = tb.tb_next
    return (display_path(Path(filename)) if filename else template), line


_TEMPLATE_SUFFIXES = (".j2", ".css", ".md", ".html")


def _path_of(env: SandboxedEnvironment, template: str) -> str:
    loader = env.loader
    for sub in getattr(loader, "loaders", []):
        for folder in getattr(sub, "searchpath", []):
            if (Path(folder) / template).is_file():
                return display_path(Path(folder) / template)
    return template
