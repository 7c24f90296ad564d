"""The release gate: `govkit check --release MODEL@VERSION [--against ALIAS]` passes a good
candidate, fails one outside a documented range, fails a significant regression against the
serving version and passes an insignificant one."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from govkit.checks.gate import Z_95, compare_metric
from govkit.cli import main
from govkit.sources.project import load_project


def candidate(example: Path, accuracy: str, auc: str, version: str = "1.2.0") -> None:
    (example / f"upsell/releases/{version}.yaml").write_text(
        f'version: "{version}"\ndate: 2024-09-01\nstage: staging\nmetrics:\n'
        f"  accuracy: {accuracy}\n  auc_roc: {auc}\n", encoding="utf-8")


def with_margin(example: Path, margin: float) -> None:
    card = example / "upsell/card.yaml"
    card.write_text(card.read_text().replace(
        "    label: AUC-ROC\n", f"    label: AUC-ROC\n    margin: {margin}\n"))


def gate(example: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(example), "check", "--release", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_good_candidate_passes_against_production(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    candidate(example, "{value: 0.93, sample_size: 30000}",
              "{value: 0.82, ci: [0.80, 0.84], sample_size: 30000}")
    code, out = gate(example, capsys, "upsell@1.2.0")
    assert code == 0, out
    assert out.startswith("release gate: upsell 1.2.0 against 1.1.0 (stage production)")
    assert "verdict: PASS" in out and "documented ranges: 2 checks: 2 pass" in out
    row = next(line for line in out.splitlines() if line.startswith("AUC-ROC"))
    assert row.split()[:6] == ["AUC-ROC", "(all)", "0.82", "0.81", "+0.01", "0"]


def test_a_candidate_outside_a_documented_range_fails(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    candidate(example, "{value: 0.79}", "{value: 0.81}")
    code, out = gate(example, capsys, "upsell@1.2.0")
    assert code == 1 and "documented ranges: 2 checks: 1 pass, 1 fail" in out
    assert "verdict: FAIL" in out


def test_significant_regression_fails_and_insignificant_one_passes(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with_margin(example, 0.01)
    # drop 0.03 > margin 0.01; narrow intervals: z = (0.03 - 0.01) / se ≈ 2.77 > 1.645
    candidate(example, "{value: 0.92}", "{value: 0.78, ci: [0.77, 0.79]}")
    code, out = gate(example, capsys, "upsell@1.2.0", "--format", "json")
    assert code == 1
    auc = next(m for m in json.loads(out)["metrics"] if m["metric"] == "auc_roc")
    se = math.hypot(0.02 / (2 * Z_95), 0.04 / (2 * Z_95))
    assert auc["verdict"] == "regression"
    assert auc["z"] == pytest.approx((0.03 - 0.01) / se)
    assert auc["difference"] == pytest.approx(-0.03)
    # the same drop measured with a wide interval is not significant
    candidate(example, "{value: 0.92}", "{value: 0.78, ci: [0.70, 0.86]}")
    code, out = gate(example, capsys, "upsell@1.2.0")
    assert code == 0, out
    row = next(line for line in out.splitlines() if line.startswith("AUC-ROC"))
    wide = math.hypot(0.16 / (2 * Z_95), 0.04 / (2 * Z_95))
    assert re.search(r"\bpass +unpaired: no row-level predictions configured", row)
    assert "one-sided z-test, SEs from the recorded 95% intervals" in row
    assert f"{0.5 * math.erfc(0.02 / wide / math.sqrt(2)):.3f}" in row
    assert "−0.03" in row and "0.01" in row


def test_against_an_alias_and_input_errors(example: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    release = example / "upsell/releases/1.0.0.yaml"
    release.write_text(release.read_text() + "training:\n  registry:\n    aliases: [champion]\n")
    candidate(example, "{value: 0.91}", "{value: 0.80}")
    code, out = gate(example, capsys, "upsell@1.2.0", "--against", "champion")
    assert code == 0 and "against 1.0.0 (alias champion)" in out
    # point estimates only (no interval, no size): a drop beyond the margin fails
    row = next(line for line in out.splitlines() if line.startswith("AUC-ROC"))
    assert re.search(r"\bpass +unpaired: no row-level predictions configured", row)
    assert "point estimates only (no interval on both sides)" in row
    assert gate(example, capsys, "upsell@9.9")[0] == 2
    assert gate(example, capsys, "upsell@1.2.0", "--against", "nope")[0] == 2
    assert main(["-C", str(example), "check", "--against", "champion"]) == 2


def test_proportions_use_sample_sizes(example: Path) -> None:
    model = load_project(example).model("upsell")
    assert model is not None
    from govkit.schemas.release import MetricValue

    new = MetricValue(value=0.90, sample_size=2000)
    old = MetricValue(value=0.92, sample_size=30000)
    result = compare_metric(model, "accuracy", new, old)
    se = math.hypot(math.sqrt(0.9 * 0.1 / 2000), math.sqrt(0.92 * 0.08 / 30000))
    assert result.stderr == pytest.approx(se)
    assert result.verdict == "regression" and result.z == pytest.approx(0.02 / se)
    small = compare_metric(model, "accuracy", MetricValue(value=0.90, sample_size=100), old)
    assert small.verdict == "pass"  # 100 rows cannot show a 2-point drop


def test_an_auc_is_never_given_a_proportions_standard_error(example: Path) -> None:
    # issue 23 item 3: the old gate used sqrt(p(1-p)/n) over all rows for an AUC
    model = load_project(example).model("upsell")
    assert model is not None
    from govkit.schemas.release import MetricValue

    old = MetricValue(value=0.9585, sample_size=4000)
    result = compare_metric(model, "roc_auc", MetricValue(value=0.9485, sample_size=4000), old)
    assert result.stderr is None and result.p_value is None
    assert "point estimates only (no interval or row counts on both sides)" in result.basis
    accuracy = compare_metric(model, "accuracy", MetricValue(value=0.95, sample_size=4000),
                              MetricValue(value=0.96, sample_size=4000))
    assert accuracy.test == "z-test" and accuracy.stderr is not None  # a proportion's SE


def test_an_ambiguous_metric_kind_is_refused(example: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    config = example / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "  - name: upsell\n",
        "  - name: upsell\n    monitoring:\n      metrics: {roc_auc: auc_roc, accuracy: auc_roc}\n"))
    candidate(example, "{value: 0.91}", "{value: 0.80}")
    code, out = gate(example, capsys, "upsell@1.2.0")
    assert code == 2, out
    assert "card metric 'auc_roc' is the target of accuracy and roc_auc" in out
    card = example / "upsell/card.yaml"
    card.write_text(card.read_text().replace("    label: AUC-ROC\n",
                                             "    label: AUC-ROC\n    kind: accuracy\n"))
    config.write_text(config.read_text().replace("roc_auc: auc_roc, accuracy: auc_roc",
                                                 "roc_auc: auc_roc"))
    code, out = gate(example, capsys, "upsell@1.2.0")
    assert code == 2 and "kind 'accuracy' disagrees with govkit.yaml" in out


def test_a_segment_without_a_serving_value_is_a_visible_row(
        example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = example / "upsell/releases/1.1.0.yaml"
    text = release.read_text().replace("stage: staging", "stage: production")
    release.write_text(text)
    (example / "upsell/releases/1.2.0.yaml").write_text(
        'version: "1.2.0"\ndate: 2024-09-01\nstage: staging\nmetrics:\n  accuracy: {value: 0.93}\n'
        "segments:\n  - name: Tablet Users\n    metrics:\n      accuracy: {value: 0.5}\n")
    _, out = gate(example, capsys, "upsell@1.2.0", "--format", "json")
    tablet = next(m for m in json.loads(out)["metrics"] if m["segment"] == "Tablet Users")
    assert tablet["verdict"] == "not_compared"
    assert tablet["basis"] == "not compared (serving has no segment 'Tablet Users')"
