from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from markdown import markdown

from govkit.site.jinja import md
from tests.conftest import REPO, snapshot


@given(st.text(max_size=60))
def test_escaped_text_renders_back_to_itself(text: str) -> None:
    """Whatever a user writes shows up literally: no markup, no HTML, no table breaks."""
    escaped = str(md(text))
    assert "\n" not in escaped
    assert "<" not in escaped and ">" not in escaped
    # values always follow a label inline (`- **Size:** value`, table cells)
    html = markdown("x " + escaped, extensions=["tables"])
    visible = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    expected = " ".join(visible.split())
    expected = expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p>x {expected}</p>"


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
