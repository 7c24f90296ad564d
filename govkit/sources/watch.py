"""What `govkit serve` watches: the state of a project's inputs, cheaply (names, sizes and
modification times; nothing is read)."""

from __future__ import annotations

import os
from pathlib import Path

WATCHED = (".yaml", ".yml", ".json", ".j2", ".css", ".md", ".csv", ".parquet")
_SKIP = {"__pycache__", "mlruns", "node_modules"}

Signature = tuple[tuple[str, int, int], ...]


def signature(root: Path, outputs: list[Path]) -> Signature:
    """(path, size, mtime) of every input-like file under `root`, outside the folders govkit
    writes (`outputs`) and hidden ones; equal signatures mean nothing to rebuild."""
    skip = {str(p) for p in outputs}
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP
                         and os.path.join(folder, d) not in skip)
        for name in files:
            if name.endswith(WATCHED) and not name.startswith("."):
                try:
                    st = os.stat(os.path.join(folder, name))
                except FileNotFoundError:  # deleted while we looked: the next scan sees it
                    continue
                found.append((os.path.join(folder, name), st.st_size, st.st_mtime_ns))
    return tuple(sorted(found))
