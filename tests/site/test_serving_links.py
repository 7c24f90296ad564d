"""Links into the MLflow UI are built by govkit from hostile parts (a registered model
name, a run id, a tracking URI with credentials): percent-encoded, http(s) only, with no
credentials, query or fragment of the tracking URI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from govkit.checks.project import check_project
from govkit.cli import main
from govkit.site.pages import build_pages
from govkit.sources.project import load_project

HOSTILE = 'a b)"<x>[y](javascript:alert(1))'


def _mlflow_release(example: Path) -> None:
    path = example / "churn/releases/2.3.0.yaml"
    release = yaml.safe_load(path.read_text())
    release["training"] = {
        "source": "mlflow", "registered_model": HOSTILE,
        "registry": {"version": "2.3.0", "aliases": ["champion"]},
        "run": {"id": "r1](javascript:x) {onclick=y}", "experiment_id": "7"},
    }
    path.write_text(yaml.safe_dump(release))


def _page(example: Path) -> str:
    project = load_project(example)
    pages = {p.path: p.content for p in build_pages(project, check_project(project))}
    page = pages["models/churn/index.md"]
    assert isinstance(page, str)
    return page


def test_links_from_a_tracking_uri_drop_credentials_and_encode_parts(example: Path) -> None:
    config = example / "govkit.yaml"
    config.write_text(config.read_text() + "mlflow:\n  tracking_uri: "
                      "'https://user:secret@mlflow.example.com/base/?token=t1#f'\n")
    _mlflow_release(example)
    page = _page(example)
    assert ("[Open this version in the MLflow UI](https://mlflow.example.com/base/#/models/"
            "a%20b%29%22%3Cx%3E%5By%5D%28javascript%3Aalert%281%29%29/versions/2.3.0)") in page
    assert ("| Run | [r1\\](javascript:x) &#123;onclick=y&#125;](https://mlflow.example.com/"
            "base/#/experiments/7/runs/r1%5D%28javascript%3Ax%29%20%7Bonclick%3Dy%7D) |") in page
    assert "secret" not in page
    links = re.findall(r"\]\((https://mlflow[^)]*)\)", page)
    assert len(links) == 2 and not [u for u in links if "user" in u or "t1" in u]


def test_ui_url_overrides_and_must_be_http(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = example / "govkit.yaml"
    original = config.read_text()
    config.write_text(original + "mlflow:\n  ui_url: https://ui.example.com\n")
    _mlflow_release(example)
    assert "(https://ui.example.com/#/experiments/7/runs/" in _page(example)
    config.write_text(original + "mlflow:\n  ui_url: 'javascript:alert(1)'\n")
    assert main(["-C", str(example), "check"]) == 2
    assert "mlflow.ui_url" in capsys.readouterr().err
