"""One edit to any input of the example project gives exit 0, 1 or 2 with a message, never a
crash: hypothesis corrupts one file (a stray byte or token, a line dropped, doubled or
indented, the file cut short) and runs `check`, `build` and `observe` on it."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govkit.cli import main
from tests.conftest import REPO, examples

EXAMPLE = REPO / "examples"
INPUTS = sorted(
    str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*")
    if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".csv", ".om")
    and p.parts[len(EXAMPLE.parts)] not in ("site", "mlflow_churn", "docs"))
TOKENS = [b"\xff", b"\x00", "\u202e".encode(), b"[", b"{", b"null", b"1e999", b"-1", b"''",
          b"*a", b"&a x", b"!!python/object:os.system", b"nan", b"- ", b": :", b"\t", b"\r",
          b"~", b"9" * 400, b"2024-13-45", b'"', b"<script>", b"%", b"`", b".inf", b"{}"]
COMMANDS = (["check"], ["build"], ["observe", "churn", "--window", "2024-02-01"])


def _mutate(data: bytes, kind: int, where: float, token: bytes) -> bytes:
    lines = data.split(b"\n")
    at, line = int(where * len(data)), int(where * len(lines))
    if kind == 0:
        return data[:at] + token + data[at:]
    if kind == 1:
        return b"\n".join(lines[:line] + lines[line + 1:])
    if kind == 2:
        return b"\n".join(lines[:line + 1] + lines[line:])
    if kind == 3:
        indented = [b"  " + text for text in lines[line:line + 1]]
        return b"\n".join([*lines[:line], *indented, *lines[line + 1:]])
    return data[:at]


def _runs_cleanly(name: str, kind: int, where: float, token: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "examples"
        shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(
            "*.db", "mlruns", "__pycache__", "site", "docs", "*.parquet"))
        (root / name).write_bytes(_mutate((root / name).read_bytes(), kind, where, token))
        for command in COMMANDS:
            err = io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                code = main(["-C", str(root), *command])
            assert code in (0, 1, 2), (name, command, err.getvalue())
            assert "internal error" not in err.getvalue(), (name, command, err.getvalue())
            if code == 2:
                assert err.getvalue().startswith("error: "), (name, command, err.getvalue())


@pytest.mark.slow
@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize(("kind", "token"), [(0, b"\xff"), (4, b"")], ids=["latin-1", "cut"])
def test_every_input_with_a_stray_byte_or_cut_short(name: str, kind: int, token: bytes) -> None:
    _runs_cleanly(name, kind, 0.6, token)


@pytest.mark.slow
@settings(max_examples=examples(30), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(INPUTS), kind=st.integers(0, 4),
       where=st.floats(0, 1, exclude_max=True), token=st.sampled_from(TOKENS))
def test_no_edit_to_an_input_crashes_govkit(
    name: str, kind: int, where: float, token: bytes
) -> None:
    _runs_cleanly(name, kind, where, token)


def test_every_kind_of_input_is_corrupted() -> None:
    kinds = {Path(n).suffix for n in INPUTS}
    assert kinds == {".yaml", ".yml", ".json", ".csv", ".om"}
    assert "govkit.yaml" in INPUTS and "churn/card.yaml" in INPUTS
