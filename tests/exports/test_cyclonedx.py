"""`govkit export cyclonedx`: valid under cyclonedx-python-lib's strict 1.6 JSON schema
(bundled, offline), every documented value read back equal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from govkit.cli import main
from tests.exports.projects import project

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _validate(text: str) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text, all_errors=True)
    assert errors is None, [str(e) for e in errors]  # type: ignore[union-attr]


def _export(root: Path, out: Path, *models: str) -> dict[str, Any]:
    assert main(["-C", str(root), "export", "cyclonedx", *models, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    _validate(text)
    return json.loads(text)  # type: ignore[no-any-return]


def test_every_metric_segment_and_interval_is_in_the_bom(tmp_path: Path) -> None:
    bom = _export(project(tmp_path / "p"), tmp_path / "bom.json")
    models = {c["bom-ref"]: c for c in bom["components"]
              if c["type"] == "machine-learning-model"}
    assert sorted(models) == ["model:fraud@1.1.0", "model:fraud@1.2.0"]
    card = models["model:fraud@1.2.0"]["modelCard"]
    metrics = {(m["type"], m.get("slice")): m for m in
               card["quantitativeAnalysis"]["performanceMetrics"]}
    assert {k: float(m["value"]) for k, m in metrics.items()} == {
        ("AUC", None): 0.91, ("recall", None): 0.7, ("AUC", "EU"): 0.88, ("AUC", "US"): 0.79}
    assert metrics[("AUC", None)]["confidenceInterval"] == {"lowerBound": "0.89",
                                                           "upperBound": "0.93"}
    assert metrics[("AUC", "EU")]["confidenceInterval"] == {"lowerBound": "0.85",
                                                          "upperBound": "0.91"}
    assert "confidenceInterval" not in metrics[("AUC", "US")]
    params = card["modelParameters"]
    assert params["task"] == "Rank payments for manual review"
    assert params["architectureFamily"] == "Logistic regression"
    assert params["datasets"] == [{"ref": "data:payments"}]
    assert card["considerations"] == {
        "users": ["Fraud analysts"], "useCases": ["Rank payments for manual review"],
        "technicalLimitations": ["Unreliable for merchants with under 50 payments",
                                 "Out of scope: Credit decisions"],
        "ethicalConsiderations": [{"name": "Fairness",
                                   "mitigationStrategy": "Recall compared across card regions"}]}
    props = {p["name"]: p["value"] for p in models["model:fraud@1.2.0"]["properties"]}
    assert props["govkit:check:auc[US]"] == "fail" and props["govkit:failing"] == "1"
    assert props["govkit:range:recall"] == "0.50 – 0.99"
    assert models["model:fraud@1.2.0"]["externalReferences"][0] == {
        "type": "model-card", "url": "https://cards.example.org/models/fraud/versions/1.2.0.html",
        "comment": "the governed card (govkit site)"}
    data = next(c for c in bom["components"] if c["type"] == "data")
    assert data["bom-ref"] == "data:payments"
    fields = data["data"][0]["contents"]["properties"]
    assert fields == [{"name": "field:amount", "value": "float; unit EUR; Payment amount"},
                      {"name": "field:country", "value": "string; Card country"}]


def test_a_bare_card_invents_nothing(tmp_path: Path) -> None:
    bom = _export(project(tmp_path / "p", bare=True, site_url=False), tmp_path / "bom.json")
    (model,) = bom["components"]
    assert "licenses" not in model and "externalReferences" not in model
    assert model["modelCard"] == {"quantitativeAnalysis": {"performanceMetrics": [
        {"type": "auc", "value": "0.7"}]}}


def test_same_input_same_bytes_and_the_serial_follows_the_content(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    _export(root, tmp_path / "a.json")
    _export(root, tmp_path / "b.json")
    first = (tmp_path / "a.json").read_bytes()
    assert (tmp_path / "b.json").read_bytes() == first
    release = root / "models" / "fraud" / "releases" / "1.1.0.yaml"
    release.write_text(release.read_text().replace("0.85", "0.86"))
    changed = _export(root, tmp_path / "c.json")
    assert changed["serialNumber"] != json.loads(first)["serialNumber"]


def test_the_validator_rejects_a_broken_bom() -> None:
    """The validation the tests rely on can fail: a metric without its required shape."""
    bad = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
        {"type": "machine-learning-model", "name": "m", "modelCard": {
            "quantitativeAnalysis": {"performanceMetrics": [{"value": 0.9}]}}}]}
    with pytest.raises(AssertionError):
        _validate(json.dumps(bad))


def test_an_unknown_model_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    root = project(tmp_path / "p")
    assert main(["-C", str(root), "export", "cyclonedx", "nope", "--out",
                 str(tmp_path / "bom.json")]) == 2
    assert "no model 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "bom.json").exists()


def test_the_example_bom_covers_the_churn_versions(tmp_path: Path) -> None:
    bom = _export(EXAMPLES, tmp_path / "bom.json", "churn")
    refs = [c["bom-ref"] for c in bom["components"]]
    assert refs == ["model:churn@2.2.0", "model:churn@2.3.0", "data:churn-training"]


def test_the_cards_task_is_the_boms_task(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    card = root / "models" / "fraud" / "card.yaml"
    card.write_text(card.read_text().replace(
        "model_details: {", "model_details: {task: tabular-classification, "))
    bom = _export(root, tmp_path / "bom.json")
    tasks = {c["modelCard"]["modelParameters"]["task"] for c in bom["components"]
             if c["type"] == "machine-learning-model"}
    assert tasks == {"tabular-classification"}
