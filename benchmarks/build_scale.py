"""govkit's own build time against the mkdocs build it feeds, at scale.

Generates a project of N models x M versions (fixed seed), then in one run times
govkit's load + check + render + write and the real `mkdocs build --strict`, and
prints each per page and govkit's share of the total. Target: govkit < 5 %.
Also times rebuilds into the existing docs folder: nothing changed, and one card changed
(the docs tree is replaced as a whole, unchanged pages hard-linked into it).

    .venv/bin/python benchmarks/build_scale.py [--models 200] [--versions 10]
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from govkit.checks.project import check_project  # noqa: E402
from govkit.commands.init import init_project  # noqa: E402
from govkit.output.writer import write_tree  # noqa: E402
from govkit.site.jinja import forget_compiled  # noqa: E402
from govkit.site.mkdocs import build_site, check_site  # noqa: E402
from govkit.site.pages import build_pages  # noqa: E402
from govkit.sources.project import load_project  # noqa: E402

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


def disk_floor(target: Path, docs: Path) -> float:
    """Seconds to write the files govkit wrote with plain open/write: what the disk costs."""
    files = [(p.relative_to(docs), p.read_bytes()) for p in sorted(docs.rglob("*"))
             if p.is_file()]
    start = time.perf_counter()
    for rel, data in files:
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    return time.perf_counter() - start


def timed_build(root: Path) -> dict[str, float]:
    """The stages of `govkit build` (load -> check -> render -> write), each timed, with
    templates compiled again as in a new process."""
    forget_compiled()
    marks = [time.perf_counter()]
    project = load_project(root)
    marks.append(time.perf_counter())
    results = check_project(project, "all")
    marks.append(time.perf_counter())
    pages = build_pages(project, results)
    files = {p.path: p.content.encode() if isinstance(p.content, str) else p.content
             for p in pages}
    marks.append(time.perf_counter())
    write_tree(project.docs_dir, files)
    marks.append(time.perf_counter())
    steps = dict(zip(("load", "check", "render", "write"),
                     (b - a for a, b in itertools.pairwise(marks)), strict=True))
    return steps | {"total": marks[-1] - marks[0], "pages": float(len(files))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="govkit runs (median reported)")
    args = parser.parse_args()
    # on the project's own disk (build/ is git-ignored); /tmp here is much slower for metadata
    (REPO / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=REPO / "build", prefix="bench-") as tmp:
        root = Path(tmp)
        generate(root, args.models, args.versions)
        runs: list[dict[str, float]] = []
        config = (root / "govkit.yaml").read_text()
        # each run writes every page into a new folder (deleting thousands of files between
        # runs slows this machine's disk for the next run); mkdocs builds the first one
        for i in reversed(range(args.repeat)):
            docs = "docs" if i == 0 else f"docs-run{i}"
            (root / "govkit.yaml").write_text(config + f"docs_dir: {docs}\n")
            runs.append(timed_build(root))
        pages = int(runs[-1]["pages"])
        floor_s = disk_floor(root / "floor", root / "docs")
        govkit_s = statistics.median(r["total"] for r in runs)
        rebuilds = {"nothing changed": timed_build(root)}
        card = root / "models/model-000/card.yaml"
        card.write_text(card.read_text().replace("Model model-000", "Model zero"))
        rebuilds["one card changed"] = timed_build(root)
        start = time.perf_counter()
        build_site(root / "mkdocs.yml", root / "docs", root / "build/site-html",
                   docs_dir=root / "docs")
        mkdocs_s = time.perf_counter() - start
        start = time.perf_counter()
        check_site(root / "build/site-html")  # what the next `build --html` checks first
        check_s = time.perf_counter() - start
    total = govkit_s + mkdocs_s
    print(f"pages: {pages} ({args.models} models x {args.versions} versions); govkit runs: "
          + ", ".join(f"{r['total']:.2f} s" for r in runs) + " (median below)")
    for phase in ("load", "check", "render", "write"):
        print(f"  {phase:6s} median {statistics.median(r[phase] for r in runs):6.2f} s")
    print(f"  (disk floor: plain open/write of the same {pages} files {floor_s:.2f} s, "
          "measured just after)")
    for name, secs in (("govkit load+check+render+write", govkit_s),
                       ("mkdocs build --strict", mkdocs_s)):
        print(f"{name:31s} {secs:8.2f} s  {1000 * secs / pages:7.2f} ms/page")
    print(f"govkit share of total: {100 * govkit_s / total:.1f} % (target < 5 %); "
          f"ratio govkit/mkdocs = {govkit_s / mkdocs_s:.3f}")
    for name, run in rebuilds.items():
        print(f"rebuild, {name + ':':17s} {run['total']:5.2f} s (write {run['write']:.2f} s)")
    print(f"html_dir check (every file's SHA-256 against the manifest): {check_s:.2f} s")
    cpu_s = govkit_s - statistics.median(r["write"] for r in runs)
    print(f"without the disk (load+check+render): {100 * cpu_s / (cpu_s + mkdocs_s):.1f} %")


if __name__ == "__main__":
    main()
