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
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        code = (
            "import shutil, sys; from pathlib import Path; from govkit.commands.build import build; "
            f"shutil.copytree({str(REPO / 'examples')!r}, {str(out / 'examples')!r}); "
            "build(Path(sys.argv[1]))"
        )
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", code, str(out / "examples")], env=env, check=True)
        outputs.append(snapshot(out / "site"))
    assert outputs[0] == outputs[1]
