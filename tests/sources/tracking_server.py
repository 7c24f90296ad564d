"""A real `mlflow server` (the full `mlflow` package, a test extra) on 127.0.0.1 with a
sqlite backend in a temp folder. It starts in the background as soon as collection shows
a test that needs it (MLflow's server takes tens of seconds to start on a busy machine),
and its request log (uvicorn's access log) tells which REST calls a client made."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 240
_REQUEST = re.compile(r'"(GET|POST|PATCH|DELETE|PUT) (\S+) HTTP/[\d.]+" (\d{3})')


@dataclass
class TrackingServer:
    url: str
    root: Path
    log: Path
    process: subprocess.Popen[bytes]

    def mark(self) -> int:
        """A position in the request log; `requests_since` lists what came after it."""
        return self.log.stat().st_size

    def requests_since(self, mark: int) -> list[str]:
        """'METHOD /path?query' of every request logged after `mark`."""
        with self.log.open("rb") as f:
            f.seek(mark)
            text = f.read().decode("utf-8", "replace")
        return [f"{m[1]} {m[2]}" for m in _REQUEST.finditer(text)]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"mlflow server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"mlflow server not up in {START_TIMEOUT_S} s")

    def stop(self) -> None:
        """Stop the server and its uvicorn worker (its own process group)."""
        for sig in (signal.SIGTERM, signal.SIGKILL):  # the second for a lingering worker
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> TrackingServer:
    root = Path(tempfile.mkdtemp(prefix="govkit-mlflow-server-"))
    port = free_port()
    log = root / "server.log"
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}
    for key in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"):
        env.pop(key, None)
    command = [
        sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1", "--backend-store-uri", f"sqlite:///{root / 'mlflow.db'}",
        "--artifacts-destination", str(root / "artifacts"),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=root, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    return TrackingServer(f"http://127.0.0.1:{port}", root, log, process)
