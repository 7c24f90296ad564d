"""A CI job that pipes govkit's output keeps govkit's exit code (GitLab runs the script lines
in one shell: without `set -o pipefail` a failing `govkit diff | tee` passes)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from tests.conftest import REPO


def test_gitlab_jobs_keep_govkit_exit_codes_through_pipes(tmp_path: Path) -> None:
    for path in ("examples/ci/gitlab-ci.yml", "ci/govkit.gitlab-ci.yml"):
        jobs = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
        for name, job in jobs.items():
            if not isinstance(job, dict) or "script" not in job:
                continue
            lines = [line for line in job["script"] if "govkit" in line or "set -o" in line]
            if not any("|" in line for line in lines):
                continue
            # govkit fails (exit 1); everything else in the line runs for real
            script = "\n".join(re.sub(r"^govkit\b[^|]*", "(exit 1) ", line) for line in lines)
            run = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path,
                                 capture_output=True, text=True)
            assert run.returncode != 0, f"{path}: {name} passes although govkit failed"
