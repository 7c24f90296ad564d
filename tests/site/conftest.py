"""A generated fleet, built once per session with `build --html`, for the fleet-scale pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODELS = 30  # more than one navigation group (site/nav.py GROUP)


def make_fleet(root: Path, models: int = MODELS) -> list[str]:
    """`models` models from the churn card; models 0, 3, 6, ... fail AUC-ROC in their release
    (the even ones precision@10 too). Returns the failing models' names."""
    from govkit.commands.init import init_project

    init_project(root, "Fleet")
    shutil.rmtree(root / "models/example")
    names = [f"model-{i:02d}" for i in range(models)]
    config = (root / "govkit.yaml").read_text()
    (root / "govkit.yaml").write_text(config.replace(
        "models:\n  - name: example\n", "models:\n" + "".join(f"  - name: {n}\n" for n in names)))
    card = (REPO / "examples/churn/card.yaml").read_text()
    failing = []
    for i, name in enumerate(names):
        folder = root / "models" / name
        (folder / "releases").mkdir(parents=True)
        (folder / "card.yaml").write_text(card.replace("Churn Prediction", f"Model {name}"))
        fails = i % 3 == 0
        if fails:
            failing.append(name)
        auc = 0.80 if fails else 0.90
        precision = 0.35 if fails and i % 2 == 0 else 0.50
        (folder / "releases/1.0.0.yaml").write_text(
            f'version: "1.0.0"\ndate: 2024-06-15\nstage: production\nmetrics:\n'
            f"  auc_roc: {{value: {auc}}}\n  precision_at_10: {{value: {precision}}}\n"
            f"  recall_at_10: {{value: 0.6}}\n")
    return failing


@pytest.fixture(scope="session")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The built fleet's site-html folder and its failing models, in the dashboard's order.
    Read it only."""
    from govkit.commands.build import build

    root = tmp_path_factory.mktemp("fleet")
    failing = make_fleet(root)
    build(root, html=True)
    return root / "build/site-html", failing
