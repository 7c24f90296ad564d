"""A monitoring result is pinned to the model version it scored (finding 4)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from govkit.cli import main
from govkit.commands.build import build
from govkit.commands.monitor import window_period
from tests.conftest import snapshot

NEWER = """version: "2.4.0"
date: 2024-03-01
stage: production
metrics:
  auc_roc:
    value: 0.91
"""


@pytest.fixture
def newer(example: Path, churn_windows: Path) -> Path:
    data = churn_windows
    (example / "churn/releases/2.4.0.yaml").write_text(NEWER)
    return data


def _monitor(example: Path, data: Path, *args: str) -> int:
    return main(["-C", str(example), "monitor", "churn", *args,
                 "--reference", str(data / "churn_reference.parquet"),
                 "--current", str(data / "churn_2024-02-01.parquet")])


@pytest.mark.parametrize(("label", "period"), [
    ("2024-02-01", (dt.date(2024, 2, 1), dt.date(2024, 2, 1))),
    ("2024-W05", (dt.date(2024, 1, 29), dt.date(2024, 2, 4))),
    ("2024-02", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
    ("2024-13", None), ("nightly", None), ("2024-02-01-eu", None),
])
def test_window_period(label: str, period: tuple[dt.date, dt.date] | None) -> None:
    assert window_period(label) == period


def test_window_is_pinned_to_the_release_serving_at_its_date(
    example: Path, newer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example.joinpath("churn/monitoring/2024-02-01.json").unlink()
    assert _monitor(example, newer, "--window", "2024-02-01") == 0
    result = json.loads((example / "churn/monitoring/2024-02-01.json").read_text())
    assert result["model_version"] == "2.3.0"  # 2.4.0 is dated 2024-03-01, after the window
    assert result["version_basis"] == "latest release dated on or before 2024-02-01"
    auc = next(m for m in result["performance"] if m["name"] == "roc_auc" and not m["segment"])
    assert auc["baseline"] == 0.87  # 2.3.0's value, not 2.4.0's 0.91
    capsys.readouterr()
    assert main(["-C", str(example), "check", "--format", "json"]) == 1
    live = [r for r in json.loads(capsys.readouterr().out)["results"] if r["kind"] == "monitoring"]
    assert {r["version"] for r in live} == {"2.3.0"}
    build(example)
    site = example.parent / "site"
    card = (site / "models/churn/index.md").read_text()
    assert "Model version:** 2.4.0" in card
    assert ("The last window scored version 2.3.0, not 2.4.0: what follows is checked against "
            "2.3.0's documented values, not this card's.") in card
    assert "out of range in production for version 2.3.0." in card
    assert "this card no longer holds" not in card
    page = (site / "models/churn/monitoring/2024-02-01.md").read_text()
    assert ("- **Model version scored:** 2.3.0 (latest release dated on or before 2024-02-01)"
            in page)
    assert "churn/releases/2.3.0.yaml" in page.splitlines()[3]  # the pinned release
    assert "2.4.0.yaml" not in page.splitlines()[3]
    assert ('out of range in production for version 2.3.0, which scored this window"\n'
            "    Checked against version 2.3.0's documented values; the model's page now "
            "shows version 2.4.0 (stage production), which this window does not judge.") in page
    assert "no longer holds" not in page
    assert "| [2024-02-01](2024-02-01.md) | 2.3.0 | 20000 | P1 | 1 | 0 | 0 | 3 |" in page
    home = (site / "index.md").read_text()
    # the home banner names the version the window judged (2.3.0), linked to its row
    assert ("[2.3.0 **AUC-ROC** (user\\_segment=New Users)](models/churn/monitoring/2024-02-01.md#"
            "churn/live/2024-02-01/segment/user-segment-new-users/auc_roc)") in home


def test_version_flag_and_bad_versions(
    example: Path, newer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _monitor(example, newer, "--window", "old", "--version", "2.2.0") == 0
    result = json.loads((example / "churn/monitoring/old.json").read_text())
    assert (result["model_version"], result["version_basis"]) == ("2.2.0", "--version")
    auc = next(m for m in result["performance"] if m["name"] == "roc_auc" and not m["segment"])
    assert auc["baseline"] == 0.86
    before = snapshot(example)
    assert _monitor(example, newer, "--window", "x", "--version", "9.9.9") == 2
    assert ("--version: model churn has no release '9.9.9' (released versions: 2.2.0, 2.3.0, "
            "2.4.0)") in capsys.readouterr().err
    assert _monitor(example, newer, "--window", "2023-01-01") == 2
    assert ("no release of churn is dated on or before 2023-01-01 (the first, 2.2.0, is dated "
            "2023-10-02)") in capsys.readouterr().err
    assert snapshot(example) == before


def _registry(aliases: list[str], *spans: tuple[str, str | None]) -> str:
    history = "".join(f"      - {{alias: champion, since: '{since}'"
                      + (f", until: '{until}'" if until else "") + "}\n"
                      for since, until in spans)
    return (f"training:\n  source: mlflow\n  registry:\n    aliases: {aliases}\n"
            f"    alias_history:\n{history}")


def test_window_is_pinned_by_the_alias_interval_ingest_observed(
    example: Path, newer: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2.3.0 was released 2024-01-15 but govkit saw champion move to it only on 2024-03-01:
    the 2024-02-01 window was scored by 2.2.0, which the date rule alone would miss."""
    releases = example / "churn/releases"
    for version, registry in (
        ("2.2.0", _registry([], ("2023-10-02T09:00:00Z", "2024-03-01T09:00:00Z"))),
        ("2.3.0", _registry(["champion"], ("2024-03-01T09:00:00Z", None))),
    ):
        path = releases / f"{version}.yaml"
        path.write_text(path.read_text() + registry)
    example.joinpath("churn/monitoring/2024-02-01.json").unlink()
    assert _monitor(example, newer, "--window", "2024-02-01") == 0
    result = json.loads((example / "churn/monitoring/2024-02-01.json").read_text())
    assert result["model_version"] == "2.2.0"
    assert result["version_basis"] == "alias champion on 2024-02-01, as govkit ingest observed it"
    auc = next(m for m in result["performance"] if m["name"] == "roc_auc" and not m["segment"])
    assert auc["baseline"] == 0.86  # 2.2.0's documented value
    build(example)
    site = example.parent / "site"
    page = (site / "models/churn/monitoring/2024-02-01.md").read_text()
    assert ("- **Model version scored:** 2.2.0 (alias champion on 2024-02-01, as govkit ingest "
            "observed it)") in page
    assert "no longer holds" not in page
    card = (site / "models/churn/index.md").read_text()
    assert '!!! info "Serving version: 2.3.0 (alias champion)"' in card  # alias beats stage
    assert "| [2.4.0](versions/2.4.0.md) | 2024-03-01 | – | production | not serving |" in card
