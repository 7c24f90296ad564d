"""`govkit serve` for real: a subprocess on a free port of 127.0.0.1, a card YAML changed on
disk, the served page changing over http, bad input reported while the last good page stays
up, and a clean stop (SIGTERM) that removes the preview and the temporary mkdocs config."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO

from tests.conftest import REPO

MAIN = "import sys; from govkit.cli import main; sys.exit(main())"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def _until(check: Callable[[], bool], seconds: float = 90) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_a_card_changes(example: Path, tmp_path: Path) -> None:
    port = _free_port()
    page = f"http://127.0.0.1:{port}/models/churn/index.html"
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN, "-C", str(example), "serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
        env=dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1"))
    card = example / "churn/card.yaml"
    try:
        assert _until(lambda: "<title>Churn Prediction - " in _get(page)), log_text(log)
        card.write_text(card.read_text().replace("title: Churn Prediction",
                                                 "title: Churn Forecast"))
        assert _until(lambda: "<title>Churn Forecast - " in _get(page)), log_text(log)
        card.write_text(card.read_text().replace("title: Churn Forecast", "title: [oops"))
        assert _until(lambda: "still serving the last good pages" in log_text(log))
        assert "churn/card.yaml:" in log_text(log)  # FILE:LINE of the problem
        assert "<title>Churn Forecast - " in _get(page)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    assert code == 0, log_text(log)
    assert "stopping" in log_text(log)
    assert not list(example.parent.glob(".govkit-mkdocs-*.yml"))  # temporary config removed
    preview = re.search(r"govkit-serve-\w+", log_text(log))
    assert preview and not (Path(tempfile.gettempdir()) / preview.group()).exists()
    assert _get(page) == ""  # nothing listens any more


def log_text(log: IO[str]) -> str:
    log.seek(0)
    return log.read()


def test_untrusted_serve_never_reads_mkdocs_yml(example: Path, tmp_path: Path) -> None:
    """GOVKIT_UNTRUSTED=1: the preview runs on govkit's own config, so a theme override that
    a merge key hides in mkdocs.yml never runs (issue 21)."""
    marker = tmp_path / "pwned"
    overrides = example.parent / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text(
        '{% extends "base.html" %}{% block extrahead %}{{ self.__init__.__globals__.'
        f"__builtins__.__import__('os').system('touch {marker}') }}}}{{% endblock %}}\n")
    config = example.parent / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "theme:\n  name: material\n",
        "extra:\n  t: &t {custom_dir: overrides}\ntheme:\n  <<: *t\n  name: material\n"))
    port = _free_port()
    page = f"http://127.0.0.1:{port}/models/churn/index.html"
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN, "-C", str(example), "serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
        env=dict(os.environ, PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", GOVKIT_UNTRUSTED="1"))
    try:
        assert _until(lambda: "<title>Churn Prediction - " in _get(page)), log_text(log)
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    assert code == 0, log_text(log)
    assert not marker.exists()
