from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govkit.cli import main


def test_check_exit_1_and_says_why(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(example), "check"]) == 1
    out, err = capsys.readouterr()
    assert ("churn/incidents.yaml:18: churn/governance/postmortem-due/"
            "2024-02-02-new-users-auc: no postmortem 7 days after the incident of 2024-02-02 "
            "(due 2024-02-09)") in err
    assert re.search(r"\nupsell +1\.1\.0 +Accuracy \[New Users\] +0\.70 ", out)
    # 14 documented metrics (12 pass), 14 governance checks of alerts, runbooks and incidents
    # (1 fails: the overdue postmortem), 16 checks of the churn training data dictionary
    # (pass), 3 of the churn training guide: the chapter's pipeline gates on auc 0.90 (the
    # card documents > 0.85) and on accuracy (not on the card); 2 of the churn system's
    # architecture: its claimed maturity (Level 2) is above what govkit sees (Level 0); the
    # owners and freshness of the documents: 2 per card (pass), the experiment log's 2
    # (pass), the training guide's (not evaluated: no release names its training commit) and
    # the architecture's (last reviewed 2024-01-15, more than a quarter ago: warn)
    # and 68 governance-profile checks (3 shipped profiles, 34 requirements, 2 models; 19
    # evidenced, 49 warn: examples/govkit.yaml opts in to show the gaps); the churn exports
    # govkit.yaml lists: the BOM is valid, the Hub card has no license (warn); the churn window's
    # other two layers: P99 latency and error rate pass, 30-day retention's change fails;
    # the two SLOs' default alerts have an action (2 more governance checks, pass)
    assert "132 checks: 73 pass, 5 fail, 53 warn, 1 insufficient data" in out
    assert ("churn/training.yaml:39: churn/training/model-evaluation/auc: the "
            "pipeline's gate ≥ 0.90 (churn/training.yaml:39) disagrees with the documented "
            "range > 0.85 (churn/card.yaml:48): make them the same") in err
    assert "churn/training.yaml:38: churn/training/model-evaluation/accuracy" in \
        err.split("Failed checks:")[0]  # listed as a warning
    assert ("upsell/card.yaml:35: upsell/1.1.0/segment/new-users/accuracy: "
            "0.70 is below the allowed range ≥ 0.80") in err
    # live AUC of the churn model's latest window: passes in aggregate, fails for New Users
    assert "churn/live/2024-02-01/auc_roc" not in err
    assert ("churn/card.yaml:48: churn/live/2024-02-01/segment/"
            "user-segment-new-users/auc_roc: live 0.6032 is below the allowed range > 0.85") in err


def test_check_exit_0_when_all_pass(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = example / "upsell/card.yaml"
    card.write_text(card.read_text().replace("min: 0.80", "min: 0.60"))
    (example / "churn/monitoring/2024-02-01.json").unlink()
    incidents = example / "churn/incidents.yaml"
    incidents.write_text(incidents.read_text() + "    postmortem: https://wiki.example.com/pm\n")
    guide = example / "churn/training.yaml"
    guide.write_text(guide.read_text().replace("auc: 0.90", "auc: 0.85"))
    assert main(["-C", str(example), "check"]) == 0  # accuracy gate, maturity, review: warn
    out = capsys.readouterr().out
    assert "FAIL" not in out and "124 checks: 74 pass, 49 warn" in out  # 45 of profiles


def test_check_json(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(example), "check", "--format", "json", "--all-versions"]) == 1
    data = json.loads(capsys.readouterr().out)
    # 22 metric checks (14 release, 5 live, 3 of the service and business layers), 16
    # governance (2 of the SLOs' default alerts), 16 dictionary, 4 training guide, 3 architecture, 6 documents (2 per card, 2
    # of the experiment log); failures: upsell's New Users, churn's live New Users AUC,
    # churn's 30-day retention change, the overdue postmortem, the pipeline gate that
    # disagrees with the card
    # and 68 governance-profile checks (49 warn); 4 export checks (churn's 2 versions x the
    # Hub card, which warns without a license, and the ML-BOM)
    assert data["failed"] == 5 and data["warnings"] == 54
    ids = [r["id"] for r in data["results"]]
    assert "churn/2.2.0/auc_roc" in ids and len(ids) == len(set(ids)) == \
        22 + 16 + 16 + 4 + 3 + 6 + 68 + 4
    governance = [r for r in data["results"] if r["kind"] == "governance"
                  and "/governance/profile/" not in r["id"]]
    assert len(governance) == 16 and sum(r["status"] == "fail" for r in governance) == 1
    live = [r for r in data["results"] if r["kind"] == "monitoring"]
    assert {r["window"] for r in live} == {"2024-02-01"} and len(live) == 8


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert main(["-C", str(tmp_path), "check"]) == 2
    assert "no govkit.yaml here" in capsys.readouterr().err


def test_init_build_check_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "proj"
    assert main(["init", str(target), "--name", "Team X"]) == 0
    for rel in ("govkit.yaml", "mkdocs.yml", ".gitignore", "models/example/card.yaml",
                "models/example/releases/1.0.0.yaml", "schemas/card.schema.json"):
        assert (target / rel).is_file(), rel
    assert main(["-C", str(target), "build", "--html"]) == 0
    assert (target / "docs/models/example/index.md").is_file()
    assert (target / "build/site-html/models/example/index.html").is_file()
    assert main(["-C", str(target), "check"]) == 0
    # init never overwrites
    assert main(["init", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_schema_command_writes_json_schema(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    schema = json.loads((tmp_path / "release.schema.json").read_text())
    metric = schema["$defs"]["MetricValue"]
    assert metric["additionalProperties"] is False
    assert "Lowest allowed value" in metric["properties"]["min"]["description"]
    assert set(json.loads((tmp_path / "card.schema.json").read_text())["properties"]) >= {
        "intended_use", "limitations", "ethical_considerations", "owners", "escalation"}
    # other systems can write monitoring results govkit reads
    result = json.loads((tmp_path / "monitoring-result.schema.json").read_text())
    assert {"model", "window", "features", "performance"} <= set(result["required"]) | set(
        result["properties"])


def test_console_script_help_is_fast_and_lazy() -> None:
    code = ("import sys, govkit.cli; "
            "print(sorted(m for m in ('mlflow', 'scipy', 'mkdocs') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_committed_schemas_are_up_to_date() -> None:
    """schemas/ backs the `$schema` modelines of the example YAML: regenerate with
    `govkit schema --out schemas`."""
    from govkit.schemas.export import schema_files

    repo = Path(__file__).resolve().parent.parent
    for name, data in schema_files().items():
        assert (repo / "schemas" / name).read_bytes() == data, name
