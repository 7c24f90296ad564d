from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from govkit.site.jinja import md
from tests.conftest import REPO, snapshot


def test_table_cells_cannot_be_split() -> None:
    assert str(md("a | b")) == r"a \| b"


def test_output_does_not_depend_on_hash_seed(tmp_path: Path) -> None:
    procs = []
    for seed in ("1", "2"):  # both builds at once
        out = tmp_path / seed
        code = (
            "import shutil, sys; from pathlib import Path; from govkit.commands.build import build; "
            f"shutil.copytree({str(REPO / 'examples')!r}, {str(out / 'examples')!r}); "
            "build(Path(sys.argv[1]))"
        )
        env = dict(os.environ, PYTHONHASHSEED=seed)
        procs.append(subprocess.Popen([sys.executable, "-c", code, str(out / "examples")],
                                      env=env))
    assert [p.wait() for p in procs] == [0, 0]
    outputs = [snapshot(tmp_path / seed / "site") for seed in ("1", "2")]
    assert outputs[0] and outputs[0] == outputs[1]
