"""Each kind of bad input: a clear `FILE:LINE: field: message (fix)`, exit 2, output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main
from tests.conftest import snapshot


def _build_then_break(example: Path, capsys: pytest.CaptureFixture[str], rel: str,
                      text: str) -> tuple[int, str, dict[str, bytes], dict[str, bytes]]:
    assert main(["-C", str(example), "build"]) == 0
    site = example.parent / "site"
    before = snapshot(site)
    path = example / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    code = main(["-C", str(example), "build"])
    err = capsys.readouterr().err
    return code, err, before, snapshot(site)


RELEASE = (Path(__file__).parents[2] / "examples/churn/releases/2.3.0.yaml").read_text()
WINDOW = (Path(__file__).parents[2] / "examples/churn/monitoring/2024-02-01.json").read_text()


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param(
            "churn/releases/2.3.0.yaml", RELEASE.replace("value: 0.87", "value: [0.87"),
            "churn/releases/2.3.0.yaml:", id="malformed-yaml"),
        pytest.param(
            "churn/releases/2.3.0.yaml", RELEASE.replace("  auc_roc:\n", "  auc_roc:\n    mn: 0.8\n"),
            "churn/releases/2.3.0.yaml:12: metrics.auc_roc.mn: unknown field (did you mean 'min'?)",
            id="unknown-field"),
        pytest.param(
            "churn/releases/2.3.0.yaml", RELEASE.replace("value: 0.87", "value: high"),
            "churn/releases/2.3.0.yaml:12: metrics.auc_roc.value: Input should be a valid number, "
            "got 'high' (write a number, e.g. 0.85)",
            id="wrong-type"),
        pytest.param(
            "churn/releases/2.3.0.yaml", RELEASE.replace("value: 0.87", "value: .nan"),
            "churn/releases/2.3.0.yaml:12: metrics.auc_roc.value: Input should be a finite number",
            id="nan"),
        pytest.param(
            "churn/releases/2.3.0.yaml", RELEASE.replace("value: 0.87", "value: .inf"),
            "(NaN and infinity are not allowed: write a finite number)", id="inf"),
        pytest.param(
            "churn/releases/2.5.0.yaml", RELEASE.replace("2.3.0", "2.4.0"),
            "churn/releases/2.5.0.yaml:2: version: version 2.4.0 does not match the file name "
            "2.5.0.yaml (rename the file to 2.4.0.yaml)", id="version-file-mismatch"),
        pytest.param(
            "churn/releases/2.3.0.yml", RELEASE,
            "churn/releases/2.3.0.yml:2: version: duplicate version 2.3.0 (also in "
            "examples/churn/releases/2.3.0.yaml) (remove one of the files)", id="duplicate-version"),
        pytest.param(
            "fraud/releases/1.0.0.yaml", RELEASE.replace('"2.3.0"', '"1.0.0"'),
            "examples/fraud: release for undeclared model 'fraud' (add '- name: fraud' under "
            "models: in govkit.yaml)", id="undeclared-model"),
        pytest.param(
            "govkit.yaml",
            (Path(__file__).parents[2] / "examples/govkit.yaml").read_text().replace(
                "  - name: upsell\n", "  - name: upsell\n  - name: ../../etc\n"),
            "examples/govkit.yaml:35: models[2].name: '../../etc' is not a safe name", id="path-escape"),
        pytest.param(
            "churn/card.yaml", "title: [\n", "churn/card.yaml:", id="malformed-card"),
        pytest.param(
            "churn/releases/2.3.0.yaml", RELEASE.replace('version: "2.3.0"', "version: 2.3"),
            "2.3.0.yaml:2: version: version 2.3 was read as a number: quote it, e.g. '2.3'", id="float-version"),
        pytest.param(
            "churn/monitoring/2024-02-01.json", WINDOW.replace('"model": "churn"', '"model": "upsell"'),
            ": model: result is for model 'upsell', not 'churn' (move it to the folder of model "
            "'upsell')", id="monitoring-wrong-model"),
        pytest.param(
            "churn/monitoring/2024-02-01.json", WINDOW.replace('"max_severity"', '"max_severty"'),
            ": max_severty: unknown field (did you mean 'max_severity'?)",
            id="monitoring-unknown-field"),
        pytest.param(
            "churn/monitoring/2024-02-01.json", WINDOW[:200],
            "churn/monitoring/2024-02-01.json:11: malformed JSON: Expecting", id="monitoring-malformed-json"),
    ],
)
def test_bad_input(example: Path, capsys: pytest.CaptureFixture[str], rel: str, text: str,
                   expected: str) -> None:
    code, err, before, after = _build_then_break(example, capsys, rel, text)
    assert code == 2, err
    assert "nothing was written" in err
    assert expected in err, err
    assert before == after


def test_every_problem_is_reported_in_one_run(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (RELEASE.replace("value: 0.87", "value: high")
              .replace("value: 0.45", "value: .nan").replace("stage: production", "stag: x"))
    code, err, before, after = _build_then_break(example, capsys, "churn/releases/2.3.0.yaml",
                                                 broken)
    assert code == 2
    assert "error: 3 problems in the input" in err
    lines = [line for line in err.splitlines() if line.startswith("  ")]
    assert [line.split(": ")[1] for line in lines] == [
        "stag", "metrics.auc_roc.value", "metrics.precision_at_10.value"]
    assert before == after


def test_min_above_max_is_reported(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = RELEASE.replace("value: 0.87", "value: 0.87\n    min: 0.9\n    max: 0.8")
    code, err, _, _ = _build_then_break(example, capsys, "churn/releases/2.3.0.yaml", broken)
    assert code == 2
    assert "metrics.auc_roc: min (0.9) is greater than max (0.8)" in err
