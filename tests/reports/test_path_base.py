"""Every report of `govkit check` names a file from one base: the repository root (the
folder of govkit.yaml outside git), whatever the working directory; the table lists
failures first and names its totals as `build` does."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from govkit.cli import main
from tests.conftest import copy_example

FAILED_ID = "upsell/1.1.0/segment/new-users/accuracy"


def _reports(project: Path, cwd: Path, out: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """Where each report places the failing check's card, run from `cwd`."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    assert main(["-C", str(project), "check", "--all-versions", "--junit", str(out / "j.xml"),
                 "--json", str(out / "r.json"), "--sarif", str(out / "r.sarif"),
                 "--step-summary", str(out / "summary.md")]) == 1
    table = capsys.readouterr()
    assert main(["-C", str(project), "check", "--all-versions", "--format", "github"]) == 1
    github = capsys.readouterr().out
    found = {}
    found["console"] = next(line for line in table.err.splitlines()
                            if f": {FAILED_ID}:" in line).split(":")[0]
    case = next(c for c in ET.parse(out / "j.xml").iter("testcase")
                if c.get("name") == FAILED_ID)
    failure = case.find("failure")
    assert failure is not None
    found["junit"] = (failure.get("message") or "").split(":")[0]
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    found["json"] = next(r["source"] for r in report["results"] if r["id"] == FAILED_ID)
    sarif = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    found["sarif"] = next(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif["runs"][0]["results"] if r["properties"]["checkId"] == FAILED_ID)
    found["github"] = next(line for line in github.splitlines()
                           if f"title={FAILED_ID}" in line).split("file=")[1].split(",")[0]
    row = next(line for line in (out / "summary.md").read_text(encoding="utf-8").splitlines()
               if FAILED_ID in line.replace("\\", ""))
    found["step summary"] = row.rstrip(" |").split("| ")[-1].replace("\\", "").split(":")[0]
    return found


@pytest.mark.parametrize("in_git", [True, False], ids=["in git", "outside git"])
def test_every_report_names_files_from_one_base(
        tmp_path: Path, in_git: bool, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    project = copy_example(repo)
    if in_git:
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    elsewhere = project / "churn"  # a working directory below the project
    out = tmp_path / "out"
    out.mkdir()
    found = _reports(project, elsewhere, out, monkeypatch, capsys)
    expected = "examples/upsell/card.yaml" if in_git else "upsell/card.yaml"
    assert found == dict.fromkeys(found, expected)


def test_the_table_lists_failures_first_and_names_its_totals(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(example), "check"]) == 1
    out = capsys.readouterr().out.splitlines()
    rows = out[1:out.index("")]
    statuses = [row.split()[-1] for row in rows]
    fails = statuses.count("FAIL")
    assert fails and statuses[:fails] == ["FAIL"] * fails
    assert statuses[fails:fails + statuses.count("WARN")] == ["WARN"] * statuses.count("WARN")
    assert any(line.endswith(" (serving versions)") and " checks: " in line for line in out)
    assert main(["-C", str(example), "check", "--all-versions"]) == 1
    assert any(line.endswith(" (all versions)") and " checks: " in line
               for line in capsys.readouterr().out.splitlines())


def test_the_release_gate_json_names_files_from_the_same_base(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    repo = tmp_path / "repo"
    project = copy_example(repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (project / "upsell/releases/1.2.0.yaml").write_text(
        'version: "1.2.0"\ndate: 2024-09-01\nstage: staging\nmetrics:\n'
        "  accuracy: {value: 0.93}\n  auc_roc: {value: 0.82}\n", encoding="utf-8")
    monkeypatch.chdir(project / "churn")
    capsys.readouterr()
    main(["-C", str(project), "check", "--release", "upsell@1.2.0", "--format", "json"])
    ranges = json.loads(capsys.readouterr().out)["ranges"]
    assert ranges and {r["source"] for r in ranges} == {"examples/upsell/card.yaml"}
