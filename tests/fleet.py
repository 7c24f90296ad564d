"""A generated fleet of models from the churn card, for the fleet-scale tests (tests/site/
conftest.py) and the fleet benchmark (benchmarks/fleet_view.py): one generator for both."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEAMS = ("Growth ML", "Risk ML", "Search ML", "Platform ML")
TAGS = ("retention", "payments", "search", "fraud", "pricing")


def make_fleet(root: Path, models: int, *, fail_every: int = 3, varied: bool = False,
               seed: int = 7) -> list[str]:
    """A project of `models` models, one release each; every `fail_every`-th model (0, 3, 6,
    ...) fails AUC-ROC in its release, the even ones precision@10 too. `varied`: owners from
    4 teams, 2 tags from 5 and metric values drawn (fixed `seed`) on the same side of their
    ranges; else one owner, the card's tags and fixed values. Returns the failing models'
    names, in the dashboard's order."""
    from govkit.commands.init import init_project

    rng = random.Random(seed)
    init_project(root, "Fleet")
    shutil.rmtree(root / "models/example")
    width = max(2, len(str(models - 1)))
    names = [f"model-{i:0{width}d}" for i in range(models)]
    config = (root / "govkit.yaml").read_text()
    (root / "govkit.yaml").write_text(config.replace(
        "models:\n  - name: example\n", "models:\n" + "".join(f"  - name: {n}\n" for n in names)))
    card = (REPO / "examples/churn/card.yaml").read_text()
    failing = []
    for i, name in enumerate(names):
        folder = root / "models" / name
        (folder / "releases").mkdir(parents=True)
        text = card.replace("Churn Prediction", f"Model {name}")
        if varied:
            tags = sorted({TAGS[i % len(TAGS)], TAGS[(i * 3 + 1) % len(TAGS)]})
            text = text.replace("ML Team", TEAMS[i % len(TEAMS)]).replace(
                "[retention, subscriptions]", "[" + ", ".join(tags) + "]")
        (folder / "card.yaml").write_text(text)
        fails = i % fail_every == 0
        if fails:
            failing.append(name)
        low = fails and i % 2 == 0  # precision@10 fails too

        def value(fixed: float, lo: float, hi: float) -> str:
            return f"{rng.uniform(lo, hi):.3f}" if varied else f"{fixed:.2f}"

        auc = value(0.80, 0.70, 0.84) if fails else value(0.90, 0.86, 0.95)
        precision = value(0.35, 0.30, 0.39) if low else value(0.50, 0.41, 0.60)
        recall = value(0.60, 0.51, 0.70)
        (folder / "releases/1.0.0.yaml").write_text(
            f'version: "1.0.0"\ndate: 2024-06-15\nstage: production\nmetrics:\n'
            f"  auc_roc: {{value: {auc}}}\n  precision_at_10: {{value: {precision}}}\n"
            f"  recall_at_10: {{value: {recall}}}\n")
    return failing
