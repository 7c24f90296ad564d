"""The user guide (docs/, mkdocs.guide.yml): it builds strictly, its generated reference is
complete, and its getting-started commands run as written and print what it shows."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO

GUIDE = REPO / "docs"
BLOCK = re.compile(r'^```(\w+)(?: title="([^"]+)")?\n(.*?)^```$', re.M | re.S)


def hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("guide_reference",
                                                  GUIDE / "_hooks/reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_input_field_has_a_description() -> None:
    missing = hook().undescribed()
    assert not missing, f"{len(missing)} fields without a description:\n" + "\n".join(missing)


def test_reference_lists_every_command_rule_and_exit_code() -> None:
    from govkit import errors
    from govkit.cli import cli
    from govkit.reports.sarif import RULES

    pages = hook().pages()
    for name, command in cli.commands.items():
        assert f"## govkit {name}" in pages["reference/cli.md"]
        for param in command.params:
            for opt in param.opts if param.param_type_name == "option" else []:
                assert f"`{opt}`" in pages["reference/cli.md"], (name, opt)
    for rule_id, *_ in RULES.values():
        assert f"| {rule_id} |" in pages["reference/sarif.md"]
    for value in (errors.EXIT_OK, errors.EXIT_CHECK_FAILED, errors.EXIT_INPUT,
                  errors.EXIT_INTERNAL):
        assert f"| {value} |" in pages["reference/exit-codes.md"]
    # YAML keys, not Python names
    assert "| `for` |" in pages["reference/alerts.md"]
    assert "for_" not in pages["reference/alerts.md"]


@pytest.mark.mkdocs
def test_guide_builds_strict(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
         str(REPO / "mkdocs.guide.yml"), "-d", str(tmp_path / "html")],
        capture_output=True, text=True, env=env, cwd=REPO)
    assert run.returncode == 0, run.stderr
    html = tmp_path / "html"
    for page in ("getting-started", "reference/cli", "reference/card", "reference/sarif",
                 "how-to/gitlab-ci", "concepts/monitoring"):
        assert (html / page / "index.html").is_file(), page
    assert "GK006" in (html / "reference/sarif/index.html").read_text(encoding="utf-8")


def getting_started_script(text: str) -> tuple[str, list[str]]:
    """The guide's commands as one bash script with a marker before each block, and the
    output shown after each command block ('' when none is shown)."""
    script, shown = [], []
    for lang, title, body in BLOCK.findall(text):
        if lang == "python" and title == "train.py":
            script.append(f"cat > train.py <<'PYEOF'\n{body}PYEOF")
        elif lang == "bash" and title == "getting-started":
            script.append(f"echo '@@block {len(shown)}'\n{body}")
            shown.append("")
        elif lang == "text" and title == "output":
            assert shown and not shown[-1], "an output block must follow a command block"
            shown[-1] = body
    return "\n".join(script), shown


@pytest.mark.mlflow
@pytest.mark.mkdocs
@pytest.mark.slow
def test_getting_started_runs_as_written(tmp_path: Path) -> None:
    script, shown = getting_started_script(
        (GUIDE / "getting-started.md").read_text(encoding="utf-8"))
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1",
           "PATH": bindir + os.pathsep + os.environ["PATH"]}
    for key in [k for k in env if k.startswith("MLFLOW_")]:  # another test's store, not ours
        del env[key]
    start = time.monotonic()
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.monotonic() - start
    assert run.returncode == 0, run.stdout
    outputs = run.stdout.replace(str(tmp_path / "my-models"), "/home/you/my-models")
    parts = re.split(r"^@@block \d+\n", outputs, flags=re.M)[1:]
    assert len(parts) == len(shown)
    for expected, actual in zip(shown, parts, strict=True):
        for line in expected.splitlines():
            assert line in actual.splitlines(), f"{line!r} not printed:\n{actual}"
    assert (tmp_path / "my-models/build/site-html/models/churn/index.html").is_file()
    print(f"getting started: {elapsed:.1f} s of commands")


def test_readme_is_a_front_door() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) <= 20_000
    # the two commands stay exactly as they are
    assert ("python3 -m venv .venv && .venv/bin/pip install -e '.[examples]' && "
            "bash examples/run.sh") in readme
    assert ("python3 -m venv .venv && .venv/bin/pip install -e '.[test,spark]' && "
            ".venv/bin/pytest -q -n auto --dist loadfile") in readme
    for heading in ("## Release gate", "## Performance", "## Security"):
        assert re.search(rf"^#{{2,3}} {heading[3:]}", readme, re.M), heading
