"""The pre-commit hook runs on a commit of any file govkit reads: every input file of the
example (listed from git) matches the hook's `files` pattern."""

from __future__ import annotations

import re
import subprocess

import yaml

from tests.conftest import REPO

# what govkit check does not read: CI files, scripts, prose, the example's MLflow project
# tooling, the mkdocs config and sample data
NOT_INPUTS = re.compile(r"^examples/(ci/|data/|mlflow_churn/(train\.py|run\.sh|README\.md|"
                        r"\.gitignore|mkdocs\.yml)$|run\.sh$|templates/README\.md$)")


def test_hook_pattern_covers_every_input_file_of_the_example() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files = re.compile(hook["files"])
    listed = subprocess.run(["git", "ls-files", "examples"], cwd=REPO, capture_output=True,
                            text=True, check=True).stdout.split()
    inputs = [p for p in listed if not NOT_INPUTS.search(p)]
    assert len(inputs) >= 17
    missed = [p for p in inputs if not files.search(p)]
    assert not missed, f"the hook ignores: {missed}"
    for path in ("models/churn/waivers.yaml", "waivers.yaml", "datasets/customers.yml"):
        assert files.search(path), path
    for path in ("README.md", "site/models/churn/index.md", "docs/datasets/x.md",
                 "models/churn/card.yaml.bak"):
        assert not files.search(path), path
