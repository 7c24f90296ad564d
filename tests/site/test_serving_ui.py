"""The MLflow UI base of the site's links (site/serving.py): `;params` never reach a link,
and a port that is not a port is bad input (exit 2, file and field named), not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main
from tests.site.test_serving_links import _mlflow_release, _page


def test_params_of_the_ui_url_are_dropped(example: Path) -> None:
    config = example / "govkit.yaml"
    config.write_text(config.read_text() + "mlflow:\n  ui_url: "
                      "'https://ui.example.com/mlflow;jsessionid=s3cret'\n")
    _mlflow_release(example)
    page = _page(example)
    assert "(https://ui.example.com/mlflow/#/experiments/7/runs/" in page
    assert "jsessionid" not in page and "s3cret" not in page


@pytest.mark.parametrize("field, url", [
    ("ui_url", "https://ui.example.com:99999/"),
    ("ui_url", "https://ui.example.com:8o80/"),
    ("tracking_uri", "https://mlflow.example.com:-1/"),
])
def test_a_port_that_is_not_a_port_is_bad_input(
    example: Path, capsys: pytest.CaptureFixture[str], field: str, url: str
) -> None:
    config = example / "govkit.yaml"
    lines = config.read_text().count("\n")
    config.write_text(config.read_text() + f"mlflow:\n  {field}: '{url}'\n")
    _mlflow_release(example)
    assert main(["-C", str(example), "build"]) == 2
    err = capsys.readouterr().err
    assert f"govkit.yaml:{lines + 2}: mlflow.{field}:" in err, err
    assert "port" in err.lower() and "not a usable URL" in err, err
