"""The three monitoring layers where readers look first: a line per layer in the card's
monitoring box (site/monitoring.py) and in the home dashboard's live check (site/fleet.py;
a column per layer made the table 832 px wide in the 720 px the theme gives it at 1280 px),
only for cards that document a service or business layer."""

from __future__ import annotations

import json
from pathlib import Path

from govkit.commands.build import build
from tests.conftest import without_layers


def _pages(example: Path) -> tuple[str, str, dict[str, object]]:
    build(example)
    site = example.parent / "site"
    status = json.loads((site / "status.json").read_text(encoding="utf-8"))
    return ((site / "models/churn/index.md").read_text(encoding="utf-8"),
            (site / "index.md").read_text(encoding="utf-8"),
            {m["name"]: m["layers"] for m in status["models"]})


def test_card_box_and_dashboard_show_each_layer(example: Path) -> None:
    card, home, layers = _pages(example)
    box = card[card.index('!!! failure "Monitoring status'):card.index("See the [monitoring")]
    assert ("    The three layers in this window:\n\n"
            "    - **infrastructure** (2 checks): pass\n"
            "    - **model** (5 checks): FAIL: AUC-ROC (user\\_segment=New Users) 0.6032\n"
            "    - **business** (1 check): FAIL: 30-day retention change -7.9% against the "
            "baseline: investigate, [what to do](monitoring/2024-02-01.md#what-to-do-business)"
            "\n") in box
    assert "| Release check | Live check | Governance and training | Model |" in home
    churn = next(line for line in home.splitlines()
                 if line.startswith("| ") and "[Churn Prediction]" in line)
    cells = [c.strip() for c in churn.strip("|").split(" | ")]
    assert [line.split(" ", 1)[0] + " " + line.rsplit(" ", 1)[-1]
            for line in cells[1].split("<br>")] == [
        "model **FAIL**", "infrastructure pass", "business **FAIL**"]
    upsell = next(line for line in home.splitlines()
                  if line.startswith("| ") and "[Upsell Propensity]" in line)
    assert upsell.count("| not monitored ") == 1
    assert layers == {"churn": {"infrastructure": "pass", "model": "fail", "business": "fail"},
                      "upsell": None}


def test_without_documented_layers_nothing_changes(example: Path) -> None:
    result = example / "churn/monitoring/2024-02-01.json"
    data = json.loads(result.read_text(encoding="utf-8"))
    del data["layers"]  # never observed
    result.write_text(json.dumps(data), encoding="utf-8")
    card, home, layers = _pages(without_layers(example))
    assert "three layers" not in card.lower()
    assert "| Release check | Live check | Governance and training | Model |" in home and "infrastructure" not in home
    assert layers == {"churn": None, "upsell": None}


def test_a_layer_not_evaluated_is_said_never_pass(example: Path) -> None:
    result = example / "churn/monitoring/2024-02-01.json"
    data = json.loads(result.read_text(encoding="utf-8"))
    latency = next(v for v in data["layers"]["service"] if v["name"] == "p99_latency")
    latency.update(value=None, status="not_evaluated", reason="the query matched no series")
    result.write_text(json.dumps(data), encoding="utf-8")
    card, _, layers = _pages(example)
    assert ("- **infrastructure** (2 checks): insufficient data: P99 latency not evaluated\n"
            in card)
    assert layers["churn"]["infrastructure"] == "insufficient_data"  # type: ignore[index]
    # its trend chart has no point: the alt text says so instead of stating a verdict
    history = (example.parent / "site/models/churn/history.md").read_text(encoding="utf-8")
    assert "![P99 latency: no value measured in window 2024-02-01.](" in history
    assert "*No value measured (allowed range ≤ 200, of version 2.3.0).*" in history
