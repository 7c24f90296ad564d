"""Debian's headless Chromium and a local static server, for the browser tests."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
# never a downloaded browser; no connection leaves the machine
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def require_chromium() -> None:
    """Skip the module without Debian's chromium and chromium-driver (fail under CI)."""
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium and chromium-driver", pytrace=False)
        pytest.skip("Debian chromium/chromium-driver not installed", allow_module_level=True)


@contextmanager
def chromium(user_data: Path, *flags: str,
             capabilities: dict[str, Any] | None = None) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, *flags, f"--user-data-dir={user_data}"):
        options.add_argument(flag)
    for name, value in (capabilities or {}).items():
        options.set_capability(name, value)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """`folder` over http on 127.0.0.1; yields the root URL without a trailing slash."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_page(driver: Any, url: str, width: int = 1280, dark: bool = False) -> None:
    """`url` at `width` px in the light or dark scheme, as the reader's system prefers it
    (Material's remembered palette forgotten), with empty console and network logs."""
    driver.set_window_size(width, 1000)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [
        {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})
    driver.get(url)
    driver.execute_script("localStorage.clear()")
    driver.refresh()


def site_chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A module's Chromium (use as a fixture body: `yield from site_chrome(...)`)."""
    with chromium(tmp_path_factory.mktemp("chrome"), "--hide-scrollbars") as driver:
        yield driver


# WCAG 2 contrast in the page: parse(css colour), over(top, below) composites an alpha colour,
# behind(el) is the opaque colour behind an element, ratio(a, b) the contrast ratio.
CONTRAST_JS = """
const parse = c => { const m = c.match(/[\\d.]+/g).map(Number);
  return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3]));
const behind = el => { const layers = [];
  for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
  let colour = [255, 255, 255];
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour; };
const lum = c => { const l = c.slice(0, 3).map(v => { v /= 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05); };
"""
