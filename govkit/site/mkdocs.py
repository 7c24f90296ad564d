"""Run the real `mkdocs build --strict`, replacing the previous HTML only on success."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from govkit.errors import GovkitError, InputError


class SiteBuildFailed(GovkitError):
    """mkdocs refused the site (in strict mode every warning is an error)."""


def build_html(mkdocs_config: Path, html_dir: Path) -> None:
    if not mkdocs_config.is_file():
        raise InputError.single(str(mkdocs_config), "mkdocs config not found",
                                hint="set mkdocs_config in govkit.yaml or run `govkit init`")
    html_dir = html_dir.resolve()
    html_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{html_dir.name}.", dir=html_dir.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict",
           "--config-file", str(mkdocs_config), "--site-dir", str(staging)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildFailed(
            f"mkdocs build --strict failed; the previous site in {html_dir} is unchanged:\n"
            + (proc.stderr or proc.stdout).strip()
        )
    old = html_dir.with_name(f".{html_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if html_dir.exists():
        html_dir.rename(old)
    staging.rename(html_dir)
    shutil.rmtree(old, ignore_errors=True)
