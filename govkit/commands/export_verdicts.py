"""An export validator's verdict, kept in the user's cache folder (issue 26).

Validating the ML-BOM imports jsonschema with its format checkers (~0.9 s of CPU on the
bundled example, most of what `govkit check` costs), yet the verdict only depends on the
exported text and the validator's install. So it is kept (output/user_cache.py: never a
folder a pull request can write), keyed by the target, the exported text and the code that
validates; a kept verdict is plain data, checked again when read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from govkit.exports.validity import Judge
from govkit.output.user_cache import cache_folder, read_entry, write_entry

#: the libraries a target's verdict depends on (an upgrade rewrites them: new size or time)
LIBRARIES = {"huggingface": ("huggingface_hub", "yaml"),
             "cyclonedx": ("cyclonedx", "jsonschema", "jsonschema_specifications",
                           "referencing", "rfc3987_syntax", "lark")}
_CODE = ("exports/validity.py", "exports/iri_format.py", "commands/export_verdicts.py")


def kept_judge(project_root: Path) -> Judge:
    """A judge for exports/validity.py that keeps verdicts in the user's cache folder."""
    return lambda target, text, validate: verdict(target, text, project_root, validate)


def verdict(target: str, text: str, project_root: Path,
            validate: Callable[[], str | None]) -> str | None:
    """`validate()`'s problem with the export `text` (None: valid), kept per text."""
    key = hashlib.sha256(f"{target}\0{text}".encode()).hexdigest()
    folder = cache_folder("verdicts", _code_key(target), project_root)
    if folder is not None:
        kept = _read(read_entry(folder, f"{key}.json"))
        if kept is not None:
            return kept[0]
    problem = validate()
    if folder is not None:
        data = json.dumps({"problem": problem}).encode()
        if _read(data) == (problem,):  # kept only if it reads back
            write_entry(folder, f"{key}.json", data)
    return problem


def _read(data: bytes | None) -> tuple[str | None] | None:
    """The kept problem as a 1-tuple, or None when there is no entry of this shape."""
    try:
        entry = json.loads(data) if data is not None else None
    except ValueError:
        return None
    if not isinstance(entry, dict) or set(entry) != {"problem"}:
        return None
    problem = entry["problem"]
    return (problem,) if problem is None or isinstance(problem, str) else None


def _code_key(target: str, cache: dict[str, str] = {}) -> str:  # noqa: B006 (once per process)
    if target not in cache:
        digest = hashlib.sha256(target.encode())
        for library in LIBRARIES[target]:
            spec = find_spec(library)
            info = os.stat(spec.origin) if spec and spec.origin else None
            digest.update(f"\0{library}\0{info and (info.st_size, info.st_mtime_ns)}".encode())
        package = Path(__file__).resolve().parents[1]
        for name in _CODE:
            digest.update(b"\0" + (package / name).read_bytes())
        cache[target] = digest.hexdigest()[:32]
    return cache[target]
