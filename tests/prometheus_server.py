"""A real Prometheus server for the tests: a generated OpenMetrics file backfilled with
`promtool tsdb create-blocks-from openmetrics`, served on a free port (nothing scrapes)."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest

DAY = dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
STEP = 300  # one sample per 5 minutes: 288 a day


def openmetrics() -> str:
    """One day (2024-02-01) of series with known averages, plus a NaN gauge and one that
    steps 100, 110, 120, 130 ms hour by hour (hourly points: max 130, mean 115)."""
    start = int(DAY.timestamp())
    lines = ["# TYPE cpu_usage_ratio gauge", "# TYPE p99_latency_ms gauge",
             "# TYPE error_ratio gauge", "# TYPE broken_ratio gauge",
             "# TYPE hourly_latency_ms gauge"]
    body = []
    for t in range(start, start + 86400, STEP):
        hour = (t - start) // 3600
        body += [f'hourly_latency_ms{{job="churn-api"}} {100 + 10 * (hour % 4)} {t}',
                 f'cpu_usage_ratio{{job="churn-api"}} 0.5 {t}',
                 f'cpu_usage_ratio{{job="other-api"}} 0.95 {t}',
                 f'p99_latency_ms{{job="churn-api"}} 150 {t}',
                 f'error_ratio{{job="churn-api"}} 0.0005 {t}',
                 f'broken_ratio{{job="churn-api"}} NaN {t}']
    return "\n".join(_grouped(lines, body)) + "\n# EOF\n"


def _grouped(types: list[str], body: list[str]) -> list[str]:
    """OpenMetrics wants each metric family's samples together, after its TYPE line."""
    out = []
    for header in types:
        name = header.split()[2]
        out.append(header)
        out += [line for line in body if line.startswith(name + "{")]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary, promtool = shutil.which("prometheus"), shutil.which("promtool")
    if binary is None or promtool is None:
        pytest.skip("the prometheus and promtool binaries are not installed "
                    "(Debian: apt-get install prometheus)")
    root = tmp_path_factory.mktemp("prometheus")
    data, source = root / "data", root / "metrics.om"
    source.write_text(openmetrics(), encoding="utf-8")
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(source),
                    str(data)], check=True, capture_output=True)
    (root / "prometheus.yml").write_text("global: {}\n", encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (root / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [binary, f"--storage.tsdb.path={data}", f"--config.file={root / 'prometheus.yml'}",
         f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=100y"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((root / "prometheus.log").read_text()[-2000:])
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
