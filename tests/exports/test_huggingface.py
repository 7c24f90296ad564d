"""`govkit export huggingface`: read back with huggingface_hub's own ModelCard, offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govkit.cli import main
from tests.exports.projects import project

os.environ["HF_HUB_OFFLINE"] = "1"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _export(root: Path, out: Path, *args: str) -> str:
    assert main(["-C", str(root), "export", "huggingface", "fraud", "--out", str(out),
                 *args]) == 0
    return (out / "README.md").read_text(encoding="utf-8")


def test_every_metric_and_segment_round_trips_through_eval_results(tmp_path: Path) -> None:
    from huggingface_hub import ModelCard
    from huggingface_hub.repocard_data import model_index_to_eval_results

    text = _export(project(tmp_path / "p"), tmp_path / "hf")
    card = ModelCard(text)
    data = card.data
    assert data.license == "apache-2.0"
    assert data.tags == ["fraud"]
    assert data.datasets == ["payments"]
    name, results = model_index_to_eval_results(data.to_dict()["model-index"])
    assert name == "fraud 1.2.0"
    got = {(r.metric_type, r.dataset_config): r.metric_value for r in results}
    assert got == {("auc", None): 0.91, ("recall", None): 0.7, ("auc", "EU"): 0.88,
                   ("auc", "US"): 0.79}
    assert {r.task_name for r in results} == {"Rank payments for manual review"}
    assert data.eval_results is not None and len(data.eval_results) == 4
    body = card.text
    for section in ("## Model Details", "## Uses", "### Out-of-Scope Use",
                    "## Bias, Risks, and Limitations", "## Evaluation", "### Results"):
        assert section in body
    assert "| AUC | US | 0.79 | — | ≥ 0.80 | fail |" in body
    assert "| AUC | EU | 0.88 | 0.85 – 0.91 | ≥ 0.80 | pass |" in body
    assert "https://cards.example.org/models/fraud/versions/1.2.0.html" in body


def test_a_fact_the_card_lacks_is_left_out_not_invented(tmp_path: Path) -> None:
    from huggingface_hub import ModelCard

    text = _export(project(tmp_path / "p", bare=True, site_url=False), tmp_path / "hf")
    data = ModelCard(text).data.to_dict()
    assert "license" not in data and "tags" not in data and "datasets" not in data
    assert "[More Information Needed]" in text
    assert "governed card" not in text


def test_the_export_is_byte_identical_twice_and_names_the_version(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    first = _export(root, tmp_path / "a", "--version", "1.1.0")
    assert _export(root, tmp_path / "b", "--version", "1.1.0") == first
    assert "name: fraud 1.1.0" in first


def test_an_unknown_version_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    root = project(tmp_path / "p")
    assert main(["-C", str(root), "export", "huggingface", "fraud", "--version", "9.9",
                 "--out", str(tmp_path / "hf")]) == 2
    assert "released versions: 1.1.0, 1.2.0" in capsys.readouterr().err
    assert not (tmp_path / "hf").exists()


def test_the_example_churn_card_exports(tmp_path: Path) -> None:
    from huggingface_hub import ModelCard

    assert main(["-C", str(EXAMPLES), "export", "huggingface", "churn", "--out",
                 str(tmp_path)]) == 0
    data = ModelCard((tmp_path / "README.md").read_text(encoding="utf-8")).data
    assert [(r.metric_type, r.metric_value) for r in data.eval_results] == [
        ("auc_roc", 0.87), ("precision_at_10", 0.45), ("recall_at_10", 0.62)]


def test_the_cards_task_is_the_hubs_pipeline_tag_and_task_type(tmp_path: Path) -> None:
    from huggingface_hub import ModelCard
    from huggingface_hub.repocard_data import model_index_to_eval_results

    root = project(tmp_path / "p")
    card = root / "models" / "fraud" / "card.yaml"
    card.write_text(card.read_text().replace(
        "model_details: {", "model_details: {task: tabular-classification, "))
    data = ModelCard(_export(root, tmp_path / "hf")).data
    assert data.pipeline_tag == "tabular-classification"
    _, results = model_index_to_eval_results(data.to_dict()["model-index"])
    assert {r.task_type for r in results} == {"tabular-classification"}


def test_without_a_task_the_model_index_says_unknown(tmp_path: Path) -> None:
    from huggingface_hub import ModelCard
    from huggingface_hub.repocard_data import model_index_to_eval_results

    data = ModelCard(_export(project(tmp_path / "p"), tmp_path / "hf")).data
    assert data.pipeline_tag is None
    _, results = model_index_to_eval_results(data.to_dict()["model-index"])
    assert {r.task_type for r in results} == {"unknown"}


def test_a_task_that_is_not_a_hub_id_is_bad_input(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "p")
    card = root / "models" / "fraud" / "card.yaml"
    card.write_text(card.read_text().replace(
        "model_details: {", "model_details: {task: Tabular Classification, "))
    assert main(["-C", str(root), "export", "huggingface", "fraud", "--out",
                 str(tmp_path / "hf")]) == 2
    err = capsys.readouterr().err
    assert "card.yaml:3" in err and "model_details.task" in err
    assert not (tmp_path / "hf").exists()
