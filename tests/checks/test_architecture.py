"""Architecture pages: maturity evidence against the claimed level, the diagram, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.cli import main
from govkit.commands.build import build
from govkit.schemas.architecture import System
from govkit.site.diagram import flow_svg
from govkit.sources.project import load_project

CONFIG = "project: Architecture test\nmodels:\n  - name: risk\nsystems:\n  - name: core\n"
RELEASE = 'version: "1.0.0"\ndate: 2024-01-15\nmetrics:\n  auc:\n    value: 0.9\n'
GUIDE = "pipeline:\n  name: p\n  stages:\n    - name: train\n"
SYSTEM = """\
title: Core
owner: {name: Platform, role: Tech Lead}
models: [risk]
components:
  - {name: lake, kind: data-source}
  - {name: airflow, kind: orchestration, tool: Airflow}
  - {name: serving, kind: serving}
flows:
  - {from: lake, to: airflow, data: features}
  - {from: airflow, to: serving}
  - {from: serving, to: airflow, data: trigger}
maturity:
  claimed: 1
"""


def window(day: str) -> str:
    return json.dumps({"model": "risk", "window": day, "reference": {}, "current": {},
                       "psi_method": "x", "recommended_action": {"action": "none"}})


def write(root: Path, **files: str) -> Path:
    defaults = {"govkit.yaml": CONFIG, "models/risk/card.yaml": "title: Risk\n",
                "models/risk/releases/1.0.0.yaml": RELEASE, "systems/core.yaml": SYSTEM}
    for rel, text in (defaults | files).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def checks(root: Path) -> dict[str, tuple[str, str, int | None]]:
    return {r.id: (r.status, r.message, r.line) for r in check_project(load_project(root))
            if r.kind == "architecture"}


def full_evidence(root: Path) -> Path:
    """Ingested runs, a pipeline, govkit check in CI, weekly windows since the release."""
    return write(root, **{
        "models/risk/releases/1.0.0.yaml": RELEASE + "training: {source: mlflow}\n",
        "models/risk/training.yaml": GUIDE,
        "ci.yml": "steps:\n  # govkit check (commented out)\n  - run: govkit -C . check --strict\n",
        "models/risk/monitoring/2024-01-20.json": window("2024-01-20"),
        "models/risk/monitoring/2024-01-27.json": window("2024-01-27"),
        "systems/core.yaml": SYSTEM.replace("claimed: 1", "claimed: 3\n  ci_config: [../ci.yml]"),
    })


def test_hand_written_releases_are_level_0(tmp_path: Path) -> None:
    status, message, line = checks(write(tmp_path))["system/core/maturity"]
    assert (status, line) == ("warn", 13)
    assert message == ("claims Level 1 (Scripts), but govkit sees evidence for Level 0 (Manual) "
                       "only. Missing: scripted training: risk: releases are hand-written (no "
                       "`govkit ingest`)")


def test_a_claim_at_or_below_the_evidence_passes(tmp_path: Path) -> None:
    write(tmp_path, **{"systems/core.yaml": SYSTEM.replace("claimed: 1", "claimed: 0")})
    assert checks(tmp_path)["system/core/maturity"][:2] == (
        "pass", "claims Level 0 (Manual); govkit sees evidence for Level 0 (Manual)")


def test_every_rung_govkit_can_see(tmp_path: Path) -> None:
    project = load_project(full_evidence(tmp_path))
    system = project.systems[0]
    assert {e.name: e.holds for e in system.evidence} == {
        "scripted training": True, "pipelines": True, "automated checks": True,
        "continuous monitoring": True, "auto-remediation": False}
    assert system.evidence[2].detail == "`govkit check` runs in CI (../ci.yml:3)"
    assert system.evidence_level == 3
    assert checks(tmp_path)["system/core/maturity"][0] == "pass"


def test_level_4_is_never_seen(tmp_path: Path) -> None:
    full_evidence(tmp_path)
    text = (tmp_path / "systems/core.yaml").read_text().replace("claimed: 3", "claimed: 4")
    (tmp_path / "systems/core.yaml").write_text(text)
    status, message, _ = checks(tmp_path)["system/core/maturity"]
    assert status == "warn" and message.endswith(
        "Missing: auto-remediation: self-healing (auto-rollback, auto-remediation) is not "
        "visible to govkit")


@pytest.mark.parametrize(("windows", "detail"), [
    (["2024-01-20"], "risk: 1 monitoring window(s); continuous monitoring needs a series"),
    (["2024-01-20", "2024-02-20"], "risk: a 31-day gap between windows (cadence 7 days)"),
    (["2024-01-01", "2024-01-05"], "risk: no window since release 1.0.0 (2024-01-15)"),
])
def test_monitoring_must_be_a_series_within_the_cadence(
    tmp_path: Path, windows: list[str], detail: str
) -> None:
    full_evidence(tmp_path)
    for old in (tmp_path / "models/risk/monitoring").glob("*.json"):
        old.unlink()
    for day in windows:
        (tmp_path / f"models/risk/monitoring/{day}.json").write_text(window(day))
    system = load_project(tmp_path).systems[0]
    assert system.evidence[3].detail == detail and system.evidence_level == 2


def test_without_owner_warns_and_the_page_says_what_it_sees(tmp_path: Path) -> None:
    write(tmp_path, **{"systems/core.yaml": SYSTEM.replace(
        "owner: {name: Platform, role: Tech Lead}\n", "")})
    assert checks(tmp_path)["system/core/owner"][0] == "warn"
    build(tmp_path)
    page = (tmp_path / "docs/systems/core.md").read_text(encoding="utf-8")
    assert '!!! warning "2 architecture warnings"' in page
    assert "![Data flow of Core](core.svg)" in page
    assert "| 1 | scripted training | no | risk: releases are hand-written" in page
    assert "The team claims **Level 1 (Scripts)**" in page
    assert "govkit sees evidence for **Level 0 (Manual)**" in page
    assert (tmp_path / "docs/systems/core.svg").read_bytes().startswith(b"<svg ")


def test_diagram_is_deterministic_escaped_and_survives_cycles() -> None:
    system = System.model_validate({
        "title": "t", "components": [
            {"name": "a", "kind": "data-source", "tool": "<script>alert(1)</script> & co"},
            {"name": "b", "kind": "serving"}, {"name": "c", "kind": "monitoring"}],
        "flows": [{"from": "a", "to": "b", "data": '"quoted" <b>'}, {"from": "b", "to": "c"},
                  {"from": "c", "to": "b"}]})
    svg = flow_svg(system).decode()
    assert svg == flow_svg(system).decode()
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in svg
    assert '"quoted" &lt;b&gt;' in svg
    assert svg.count("<rect ") == 3 and svg.count("marker-end") == 3


@pytest.mark.parametrize(("rel", "text", "expected"), [
    pytest.param("systems/core.yaml", SYSTEM.replace("{from: lake, to: airflow",
                                                     "{from: lake, to: spark"),
                 "systems/core.yaml:9: flows[0].to: unknown component 'spark' (components: "
                 "lake, airflow, serving)", id="unknown-component"),
    pytest.param("systems/core.yaml", SYSTEM.replace("{name: serving, kind: serving}",
                                                     "{name: lake, kind: serving}"),
                 "systems/core.yaml:7: components[2].name: component 'lake' is listed twice",
                 id="duplicate-component"),
    pytest.param("systems/core.yaml", SYSTEM.replace("models: [risk]", "models: [fraud]"),
                 "systems/core.yaml:3: models[0]: unknown model 'fraud'", id="unknown-model"),
    pytest.param("systems/core.yaml", SYSTEM.replace("claimed: 1", "claimed: 5"),
                 "systems/core.yaml:13: maturity.claimed: Input should be 0, 1, 2, 3 or 4",
                 id="level-5"),
    pytest.param("systems/core.yaml", SYSTEM.replace("claimed: 1",
                                                     "claimed: 1\n  ci_config: [nope.yml]"),
                 "systems/core.yaml:14: maturity.ci_config[0]: ", id="missing-ci-file"),
    pytest.param("systems/core.yaml", SYSTEM.replace("kind: serving", "kind: servng"),
                 "systems/core.yaml:7: components[2].kind: Input should be", id="unknown-kind"),
    pytest.param("govkit.yaml", CONFIG + "  - name: edge\n",
                 "govkit.yaml:6: systems[1]: system 'edge' has no architecture file",
                 id="missing-file"),
])
def test_bad_architecture_exits_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rel: str, text: str, expected: str
) -> None:
    write(tmp_path, **{rel: text})
    for command in (["build"], ["check"]):
        assert main(["-C", str(tmp_path), *command]) == 2
        err = capsys.readouterr().err
        assert expected in err, err
    assert not (tmp_path / "docs").exists()


def test_a_hostile_ci_file_line_is_read_in_linear_time() -> None:
    """`maturity.ci_config` files come from the pull request: a line of 400,000 'govkit' words
    took minutes (each backtracked to the end of the line). Run apart with a 60 s bound."""
    import subprocess
    import sys

    script = ("from govkit.sources.systems import runs_govkit_check\n"
              "assert not runs_govkit_check('govkit ' * 400_000)\n"
              "assert runs_govkit_check('  run: govkit -C examples check --strict')\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_a_ci_file_that_is_not_utf_8_is_exit_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, **{"systems/core.yaml": SYSTEM.replace(
        "claimed: 1", "claimed: 3\n  ci_config: [../ci.yml]")})
    (tmp_path / "ci.yml").write_bytes("run: govkit check # caf\xe9\n".encode("latin-1"))
    assert main(["-C", str(tmp_path), "check"]) == 2
    err = capsys.readouterr().err
    assert "maturity.ci_config[0]: " in err and "ci.yml is not UTF-8 text" in err, err
