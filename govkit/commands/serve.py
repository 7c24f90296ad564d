"""`govkit serve [--port 8000]`: a live preview of the site on 127.0.0.1.

Builds the pages as `govkit build` does, mirrors docs_dir into a preview folder and runs
MkDocs' own `mkdocs serve` on it (its watcher rebuilds the HTML and reloads the browser).
govkit polls the project's inputs (card, release, monitoring, alert YAML and JSON, templates);
when one changes it builds again and mirrors what changed. Bad input is printed and the last
good pages stay served. Ctrl-C (or SIGTERM) stops both and removes the preview.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from govkit.commands.build import build
from govkit.errors import InputError, SiteBuildFailed
from govkit.formatting import display_path
from govkit.output.files import temporary_folder
from govkit.output.writer import mirror
from govkit.site.mkdocs import private_config, temp_config
from govkit.sources.mkdocs_config import untrusted_env, vet_mkdocs_config
from govkit.sources.mkdocs_owned import dump_config, owned_config
from govkit.sources.watch import signature

HOST = "127.0.0.1"  # the preview never listens beyond this machine


def serve(start: Path, *, port: int, interval: float = 0.5,
          echo: Callable[..., None] = print) -> int:
    _port_free(port)  # before building: a server that cannot start builds nothing
    result = build(start)
    project = result.project
    config = project.path(project.config.mkdocs_config)
    untrusted = untrusted_env()  # then mkdocs.yml is not read: govkit writes the config
    if not untrusted and not config.is_file():
        raise InputError.single(project.config_doc.path, f"mkdocs config "
                                f"{display_path(config)} not found", field="mkdocs_config",
                                hint="set mkdocs_config in govkit.yaml or run `govkit init`")
    if not untrusted:  # mkdocs serve imports what mkdocs.yml names: the same vetting
        vet_mkdocs_config(project, untrusted=False)
    outputs = [project.docs_dir, project.path(project.config.html_dir)]
    seen = signature(project.root, outputs)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    with temporary_folder("govkit-serve-") as preview, \
            (private_config(dump_config(owned_config(project)), preview) if untrusted
             else temp_config(config, preview)) as mkdocs_yml:
        mirror(project.docs_dir, preview)
        cmd = [sys.executable, "-P", "-m", "mkdocs", "serve", "--config-file", str(mkdocs_yml),
               "--dev-addr", f"{HOST}:{port}"]
        proc = subprocess.Popen(cmd, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        try:
            _wait_listening(proc, port)  # the URL is printed once mkdocs answers on it
            if proc.poll() is None:
                echo(f"serving http://{HOST}:{port}/ (Ctrl-C stops); watching {len(seen)} "
                     f"input files under {display_path(project.root)}")
            while proc.poll() is None:
                time.sleep(interval)
                now = signature(project.root, outputs)
                if now != seen:
                    seen = now
                    _rebuild(start, project.docs_dir, preview, echo)
        except KeyboardInterrupt:
            echo("stopping")
        finally:
            signal.signal(signal.SIGTERM, previous)
            code = _stop(proc)
    if code not in (0, None, -signal.SIGTERM):
        raise SiteBuildFailed(f"mkdocs serve stopped with exit code {code} (see its output "
                              "above; is the port in use? try --port)")
    return 0


def _port_free(port: int) -> None:
    """Bad usage (exit 2) when HOST:port is taken, bound as mkdocs' server binds it."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise InputError.single("--port", f"{HOST}:{port} is in use ({exc.strerror})",
                                    hint="choose a free port with --port, or stop the server "
                                    "using it") from None


def _wait_listening(proc: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def _rebuild(start: Path, docs: Path, preview: Path, echo: Callable[..., None]) -> None:
    try:
        build(start)
    except InputError as exc:
        echo("error: the input changed but has problems; still serving the last good "
             "pages:", err=True)
        for problem in exc.problems:
            echo(f"  {problem}", err=True)
        return
    echo(f"rebuilt: {mirror(docs, preview)} files changed")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _stop(proc: subprocess.Popen[bytes]) -> int | None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return 0
    return proc.returncode
