"""Reading one input file as text: regular files only, bounded in size, UTF-8."""

from __future__ import annotations

import stat
from pathlib import Path

from govkit.errors import YamlError

MB = 1_000_000
DEFAULT_MAX_MB = 5.0
LIMIT_HINT = "split it, or raise limits.max_file_mb in govkit.yaml if it is meant to be this big"


def max_bytes(max_mb: float) -> int:
    return int(max_mb * MB)


def read_input_text(
    path: Path, shown: str, limit: int = max_bytes(DEFAULT_MAX_MB), limit_hint: str = LIMIT_HINT
) -> str:
    """The text of `path`, refused before parsing if it is too big; `shown` names it."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise YamlError.single(shown, "is a folder, not a file",
                                   hint="move the folder away or rename it")
        if not stat.S_ISREG(info.st_mode):
            raise YamlError.single(shown, "is not a regular file", hint="replace it with a file")
        if info.st_size > limit:
            raise _too_big(shown, info.st_size, limit, limit_hint)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may grow after stat()
    except FileNotFoundError:
        raise YamlError.single(shown, "file not found") from None
    except OSError as exc:
        raise YamlError.single(shown, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _too_big(shown, len(data), limit, limit_hint)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError.single(shown, f"not UTF-8 text: {exc.reason} at byte {exc.start}",
                               line=line, hint="save the file as UTF-8") from None


def _too_big(shown: str, size: int, limit: int, hint: str) -> YamlError:
    return YamlError.single(
        shown, f"file is {size / MB:.1f} MB, over the limit of {limit / MB:g} MB", hint=hint
    )


def previous_bytes(path: Path) -> bytes | None:
    """What govkit wrote to `path` before (a record, a log, a report it appends to), or None
    when there is no such file."""
    return path.read_bytes() if path.is_file() else None


def previous_text(path: Path) -> str | None:
    """`previous_bytes` as text (UTF-8, newlines as Python reads them)."""
    return path.read_text(encoding="utf-8") if path.is_file() else None
