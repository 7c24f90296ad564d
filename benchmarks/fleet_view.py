"""The home page of a fleet, as a reader sees it in Chromium: 60 and 500 models.

Generates N models with tests/fleet.py (the fleet the tests build; here every fifth model
fails a documented range, owners from 4 teams, tags from 5, values from a fixed seed).
Builds the site (govkit, then `mkdocs build --strict`) and measures in Debian's headless
Chromium at 1280 x 1000: the home page's height (px) and bytes, the failure box's height,
where the last failing model is listed in it (px from the top, and in screens), and the
seconds for a script to read every failing model off the page (from the failure box, and
through the dashboard's status filter). Prints a Markdown table and the load average.

`--shots DIR` also saves screenshots (PNG, palette-compressed when Pillow is installed): the
home page at each size, at 1280 and 390 px, and from the example project's site the churn
card, its monitoring page and a chart at 390 px.

    PYTHONPATH=. .venv/bin/python benchmarks/fleet_view.py [--sizes 60,500] [--shots DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from govkit.commands.build import build  # noqa: E402
from tests.browser import chromium  # noqa: E402
from tests.fleet import make_fleet  # noqa: E402

FAIL_EVERY = 5
SHOT_LIMIT = 400_000  # bytes per screenshot


def save_png(data: bytes, path: Path) -> int:
    """A screenshot, reduced to a 256-colour palette when Pillow is there; its size."""
    try:
        from PIL import Image
    except ImportError:
        path.write_bytes(data)
    else:
        with Image.open(io.BytesIO(data)) as image:
            image.convert("RGB").quantize(colors=256).save(path, optimize=True)
    size = path.stat().st_size
    if size > SHOT_LIMIT:
        raise SystemExit(f"{path}: {size} bytes, over {SHOT_LIMIT}: take a smaller screen")
    return size


def page_shot(chrome: Any, url: str, width: int, height: int, path: Path) -> None:
    chrome.set_window_size(width, height)
    chrome.get(url)
    save_png(chrome.get_screenshot_as_png(), path)
    print(f"  {path.relative_to(REPO) if path.is_relative_to(REPO) else path}", flush=True)


def measure(chrome: Any, site: Path, failing: list[str], models: int) -> dict[str, Any]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    home = site / "index.html"
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
        'article table tbody tr:not([hidden]) td:nth-child(4) a')].map(a =>
        a.getAttribute('href').split('/')[1])""")
    filter_s = time.perf_counter() - start
    names = [n for n, _ in listed]
    assert sorted(names) == sorted(failing) == sorted(shown), (names, shown)
    last = max(y for _, y in listed)
    return {"models": models, "failing": len(failing), "found_box": len(names),
            "found_filter": len(shown), "height_px": height, "bytes": home.stat().st_size,
            "failure_box_px": box, "last_failing_px": last,
            "screens_to_last_failing": round(last / 1000, 1),
            "read_box_s": round(box_s, 3), "filter_s": round(filter_s, 3)}


def example_shots(chrome: Any, shots: Path, work: Path) -> None:
    """The example project's churn card, monitoring page and a chart (the history page's
    first, a metric over the versions) at 390 px."""
    project = work / "example"
    shutil.copytree(REPO / "examples", project / "examples",
                    ignore=shutil.ignore_patterns("*.db", "mlruns", "__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    build(project / "examples", html=True)
    site = project / "build/site-html"
    card = (site / "models/churn/index.html").as_uri()
    monitoring = (site / "models/churn/monitoring/2024-02-01.html").as_uri()
    page_shot(chrome, card, 1280, 1600, shots / "card-1280.png")
    page_shot(chrome, monitoring, 1280, 1600, shots / "monitoring-1280.png")
    page_shot(chrome, card, 390, 1400, shots / "card-390.png")
    from selenium.webdriver.common.by import By

    chrome.set_window_size(390, 1000)
    chrome.get((site / "models/churn/history.html").as_uri())
    chart = chrome.find_element(By.CSS_SELECTOR, "article img.gk-chart")
    chrome.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    path = shots / "chart-390.png"
    save_png(chart.screenshot_as_png, path)
    print(f"  {path}", flush=True)


def table(rows: list[dict[str, Any]]) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"Load average (1, 5, 15 min): {load} on {os.cpu_count()} cores", "",
             "| Models | Failing | Home height (px) | Home bytes | Failure box (px) "
             "| Last failing model at (px) | Found in box | Found by filter "
             "| Read box (s) | Filter (s) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['models']} | {r['failing']} | {r['height_px']:,} | {r['bytes']:,} "
                     f"| {r['failure_box_px']:,} | {r['last_failing_px']:,} "
                     f"({r['screens_to_last_failing']} screens) | {r['found_box']} "
                     f"| {r['found_filter']} | {r['read_box_s']} | {r['filter_s']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="60,500")
    parser.add_argument("--shots", type=Path, default=None,
                        help="save screenshots here (e.g. docs/screenshots)")
    args = parser.parse_args()
    (REPO / "build").mkdir(exist_ok=True)
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(dir=REPO / "build", prefix="fleet-") as tmp, \
            chromium(Path(tmp) / "chrome", "--hide-scrollbars") as chrome:
        for n in (int(s) for s in args.sizes.split(",")):
            root = Path(tmp) / f"fleet-{n}"
            failing = make_fleet(root, n, fail_every=FAIL_EVERY, varied=True)
            start = time.perf_counter()
            build(root, html=True)
            print(f"built {n} models in {time.perf_counter() - start:.0f} s", flush=True)
            site = root / "build/site-html"
            rows.append(measure(chrome, site, failing, n))
            if args.shots:
                home = (site / "index.html").as_uri()
                page_shot(chrome, home, 1280, 1800, args.shots / f"home-{n}-1280.png")
                page_shot(chrome, home, 390, 1400, args.shots / f"home-{n}-390.png")
        if args.shots:
            example_shots(chrome, args.shots, Path(tmp))
        print(table(rows), flush=True)  # before the fleets' folders are removed


if __name__ == "__main__":
    main()
