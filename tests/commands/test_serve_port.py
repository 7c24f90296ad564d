"""`govkit serve` takes its port before it prints a URL: a busy port is bad usage (exit 2),
never a traceback under a URL another server answers."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from govkit.cli import main


def test_busy_port_exits_2_before_building(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    assert main(["init", str(project)]) == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        capsys.readouterr()
        assert main(["-C", str(project), "serve", "--port", str(port)]) == 2
    out = capsys.readouterr()
    assert f"127.0.0.1:{port} is in use" in out.err
    assert "--port" in out.err
    assert "serving http" not in out.out + out.err
    assert "Traceback" not in out.err
    assert not (project / "docs").exists()  # nothing built for a server that cannot start
