"""The home page of a fleet, as a reader sees it in Chromium: 60 and 500 models.

Generates N models (one release each, fixed seed): every fifth model fails a documented
range (one or two metrics), owners from 4 teams, tags from 5. Builds the site (govkit, then
`mkdocs build --strict`) and measures in Debian's headless Chromium at 1280 x 1000: the home
page's height (px) and bytes, the failure box's height, where the last failing model is listed
in it (px from the top, and in screens), and the seconds for a script to read every failing
model off the page (from the failure box, and through the dashboard's status filter).

    PYTHONPATH=. .venv/bin/python benchmarks/fleet_view.py [--sizes 60,500] [--shots DIR]
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

from govkit.commands.build import build  # noqa: E402
from govkit.commands.init import init_project  # noqa: E402

TEAMS = ("Growth ML", "Risk ML", "Search ML", "Platform ML")
TAGS = ("retention", "payments", "search", "fraud", "pricing")


def generate(root: Path, models: int, seed: int = 7) -> list[str]:
    """The project; returns the names of the models made to fail."""
    rng = random.Random(seed)
    init_project(root, "Fleet view")
    shutil.rmtree(root / "models/example")
    names = [f"model-{i:03d}" for i in range(models)]
    config = (root / "govkit.yaml").read_text()
    (root / "govkit.yaml").write_text(config.replace(
        "models:\n  - name: example\n", "models:\n" + "".join(f"  - name: {n}\n" for n in names)))
    card = (REPO / "examples/churn/card.yaml").read_text()
    failing = []
    for i, name in enumerate(names):
        folder = root / "models" / name
        (folder / "releases").mkdir(parents=True)
        team = TEAMS[i % len(TEAMS)]
        tags = sorted({TAGS[i % len(TAGS)], TAGS[(i * 3 + 1) % len(TAGS)]})
        text = card.replace("Churn Prediction", f"Model {name}").replace(
            "ML Team", team).replace("[retention, subscriptions]", "[" + ", ".join(tags) + "]")
        (folder / "card.yaml").write_text(text)
        fails = i % 5 == 0
        if fails:
            failing.append(name)
        auc = rng.uniform(0.70, 0.84) if fails else rng.uniform(0.86, 0.95)
        precision = rng.uniform(0.30, 0.39) if fails and i % 2 else rng.uniform(0.41, 0.6)
        (folder / "releases/1.0.0.yaml").write_text(
            f'version: "1.0.0"\ndate: 2024-06-15\nstage: production\nmetrics:\n'
            f"  auc_roc: {{value: {auc:.3f}}}\n  precision_at_10: {{value: {precision:.3f}}}\n"
            f"  recall_at_10: {{value: {rng.uniform(0.51, 0.7):.3f}}}\n")
    return failing


def measure(site: Path, failing: list[str], shots: Path | None, models: int) -> dict[str, float]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.browser import chromium

    home = site / "index.html"
    with tempfile.TemporaryDirectory() as profile, chromium(Path(profile)) as chrome:
        chrome.set_window_size(1280, 1000)
        chrome.get(home.as_uri())
        height = chrome.execute_script("return document.documentElement.scrollHeight")
        start = time.perf_counter()
        # the open list of a few failing models, or a large fleet's folded lines
        listed = chrome.execute_script("""return [...document.querySelectorAll(
            `article .admonition.failure > ul > li > strong > a,
             article .admonition.failure details > summary a`)].map(a => [
            a.getAttribute('href').split('/')[1],
            Math.round(a.getBoundingClientRect().bottom + scrollY)])""")
        box_s = time.perf_counter() - start
        box = chrome.execute_script("return document.querySelector("
                                    "'article .admonition.failure').offsetHeight")
        start = time.perf_counter()
        Select(chrome.find_element(By.CSS_SELECTOR, ".gk-fleet-filters select")) \
            .select_by_value("fail")
        shown = chrome.execute_script("""return [...document.querySelectorAll(
            'article table tbody tr:not([hidden]) td:nth-child(3) a')].map(a =>
            a.getAttribute('href').split('/')[1])""")
        filter_s = time.perf_counter() - start
        if shots:
            chrome.get(home.as_uri())
            chrome.set_window_size(1280, min(height, 6000))
            chrome.save_screenshot(str(shots / f"s24-home-{models}.png"))
    names = [n for n, _ in listed]
    assert sorted(names) == sorted(failing) == sorted(shown), (names, shown)
    last = max(y for _, y in listed)
    return {"models": models, "failing": len(failing), "height_px": height,
            "bytes": home.stat().st_size, "failure_box_px": box, "last_failing_px": last,
            "screens_to_last_failing": round(last / 1000, 1),
            "read_box_s": round(box_s, 3), "filter_s": round(filter_s, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="60,500")
    parser.add_argument("--shots", type=Path, default=None)
    args = parser.parse_args()
    (REPO / "build").mkdir(exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=REPO / "build", prefix="fleet-") as tmp:
            root = Path(tmp)
            failing = generate(root, n)
            build(root, html=True)
            print(measure(root / "build/site-html", failing, args.shots, n), flush=True)


if __name__ == "__main__":
    main()
