"""govkit's own build time against the mkdocs build it feeds, at scale.

Generates a project of N models x M versions (fixed seed), then in one run times
govkit's load + check + render + write and the real `mkdocs build --strict`, and
prints each per page and govkit's share of the total. Target: govkit < 5 %.

    .venv/bin/python benchmarks/build_scale.py [--models 200] [--versions 10]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from govkit.build import build  # noqa: E402
from govkit.scaffold import init_project  # noqa: E402
from govkit.site import build_html  # noqa: E402

METRICS = ("auc_roc", "precision_at_10", "recall_at_10", "accuracy")


def generate(root: Path, models: int, versions: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    init_project(root, "Scale benchmark")
    shutil.rmtree(root / "models/example")
    names = [f"model-{i:03d}" for i in range(models)]
    (root / "govkit.yaml").write_text(
        "project: Scale benchmark\nmodels:\n" + "".join(f"  - name: {n}\n" for n in names))
    card = (REPO / "examples/churn/card.yaml").read_text()
    for name in names:
        folder = root / "models" / name
        (folder / "releases").mkdir(parents=True)
        (folder / "card.yaml").write_text(card.replace("Churn Prediction", f"Model {name}"))
        for v in range(versions):
            lines = [f'version: "1.{v}.0"', f"date: 2024-{1 + v % 12:02d}-15", "metrics:"]
            for key in METRICS:
                lines += [f"  {key}:", f"    value: {rng.uniform(0.4, 0.95):.3f}"]
            lines += ["segments:", "  - name: New Users", "    metrics:",
                      f"      accuracy: {{value: {rng.uniform(0.6, 0.95):.3f}}}"]
            (folder / f"releases/1.{v}.0.yaml").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--versions", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.models, args.versions)
        start = time.perf_counter()
        result = build(root)
        govkit_s = time.perf_counter() - start
        pages = len(result.report.written)
        start = time.perf_counter()
        build_html(root / "mkdocs.yml", root / "build/site-html")
        mkdocs_s = time.perf_counter() - start
    total = govkit_s + mkdocs_s
    print(f"pages: {pages} ({args.models} models x {args.versions} versions)")
    for name, secs in (("govkit load+check+render+write", govkit_s),
                       ("mkdocs build --strict", mkdocs_s)):
        print(f"{name:31s} {secs:8.2f} s  {1000 * secs / pages:7.2f} ms/page")
    print(f"govkit share of total: {100 * govkit_s / total:.1f} % (target < 5 %); "
          f"ratio govkit/mkdocs = {govkit_s / mkdocs_s:.3f}")


if __name__ == "__main__":
    main()
