"""The default templates ship inside the wheel, so an installed govkit renders without the repo."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO


def test_wheel_carries_templates_and_renders_from_them(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "dist"), str(REPO)],
        check=True, capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("govkit-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site-packages")
    assert {"govkit/_templates/card.md.j2", "govkit/_templates/scaffold/mkdocs.yml"} <= names
    # the shipped governance profiles are package data (govkit/profiles/*.yaml)
    assert {f"govkit/profiles/{p}.yaml" for p in ("eu-ai-act-annex-iv", "sr-11-7",
                                                  "nist-ai-rmf")} <= names
    # the licence travels with the wheel, and `pip show` names it
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as archive:
        header = archive.read(metadata).decode().split("\n\n", 1)[0].splitlines()
    assert "License-Expression: Apache-2.0" in header
    assert "License-File: LICENSE" in header
    assert "Classifier: Topic :: Documentation" in header
    code = (
        "import sys; from pathlib import Path; "
        "from govkit.site.jinja import default_templates_dir; from govkit.commands.init import init_project; "
        "from govkit.commands.build import build; print(default_templates_dir()); "
        "init_project(Path(sys.argv[1]), 'W'); build(Path(sys.argv[1]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "proj")], check=True, capture_output=True,
        text=True, cwd=tmp_path, env={"PYTHONPATH": str(tmp_path / "site-packages")},
    )
    assert out.stdout.strip() == str(tmp_path / "site-packages/govkit/_templates")
    assert (tmp_path / "proj/docs/models/example/index.md").read_text().count("AUC-ROC") >= 1
    shipped = subprocess.run(
        [sys.executable, "-c", "from govkit.sources.profiles import shipped_doc, shipped_names; "
         "print([shipped_doc(n).data['id'] for n in shipped_names()])"],
        check=True, capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site-packages")})
    assert shipped.stdout.strip() == "['eu-ai-act-annex-iv', 'nist-ai-rmf', 'sr-11-7']"
