"""The built site at 20, 200 and 2,000 Markdown pages: time and size per page.

Generates projects of N models x M versions (fixed seed, as `build_scale.py`), runs govkit's
build (load -> check -> render -> write, charts included) and the real `mkdocs build --strict`
with the scaffold's mkdocs.yml, and prints per page: govkit time, mkdocs time, HTML bytes,
search-index bytes and all bytes of the built site, each as a ratio to the smallest size
measured in the same run, and what each added page costs between two sizes. Target: every
ratio near 1 (flat per page).

    .venv/bin/python benchmarks/site_scale.py [--versions 8] [--sizes 20,200,2000]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from build_scale import generate, timed_build  # noqa: E402

from govkit.site.mkdocs import build_site  # noqa: E402


def _size(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def measure(root: Path, models: int, versions: int) -> dict[str, float]:
    generate(root, models, versions)
    steps = timed_build(root)
    markdown = sum(1 for _ in (root / "docs").rglob("*.md"))
    start = time.perf_counter()
    build_site(root / "mkdocs.yml", root / "docs", root / "build/site-html",
               docs_dir=root / "docs")
    mkdocs_s = time.perf_counter() - start
    site = root / "build/site-html"
    return {"models": models, "pages": markdown, "govkit_s": steps["total"],
            "render_s": steps["render"], "mkdocs_s": mkdocs_s,
            "html": _size(site, "*.html"), "search": _size(site / "search"),
            "site": _size(site)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", type=int, default=8)
    parser.add_argument("--sizes", default="20,200,2000", help="Markdown pages per project")
    args = parser.parse_args()
    per_model = args.versions + 3  # card, history, compare and one page per version
    (REPO / "build").mkdir(exist_ok=True)
    rows = []
    for target in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=REPO / "build", prefix="site-") as tmp:
            rows.append(measure(Path(tmp), max(1, target // per_model), args.versions))
    per_page = [{"govkit ms": 1000 * r["govkit_s"] / r["pages"],
                 "render ms": 1000 * r["render_s"] / r["pages"],
                 "mkdocs ms": 1000 * r["mkdocs_s"] / r["pages"],
                 "HTML KB": r["html"] / r["pages"] / 1024,
                 "search KB": r["search"] / r["pages"] / 1024,
                 "site KB": r["site"] / r["pages"] / 1024} for r in rows]
    print(f"{'pages':>6} {'models':>6} " + " ".join(f"{k:>17}" for k in per_page[0]))
    for row, page in zip(rows, per_page, strict=True):
        cells = [f"{v:8.2f} (x{v / per_page[0][k]:4.2f})" for k, v in page.items()]
        print(f"{int(row['pages']):6d} {int(row['models']):6d} " + " ".join(cells))
    print("(per Markdown page; x = ratio to the first size, measured in the same run)")
    # a build has a fixed cost (imports, template compilation, mkdocs' theme and search
    # setup) that a small site divides among few pages; the cost of each added page is the
    # slope between two sizes
    for a, b in itertools.pairwise(rows):
        added = b["pages"] - a["pages"]
        print(f"{int(a['pages'])} -> {int(b['pages'])} pages, each added page: govkit "
              f"{1000 * (b['govkit_s'] - a['govkit_s']) / added:.2f} ms, mkdocs "
              f"{1000 * (b['mkdocs_s'] - a['mkdocs_s']) / added:.2f} ms, HTML "
              f"{(b['html'] - a['html']) / added / 1024:.2f} KB")


if __name__ == "__main__":
    main()
