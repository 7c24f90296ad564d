"""Cold start: the CI commands import only what they use (issue 26).

Each case runs a fresh interpreter under ``python -X importtime`` and reads the modules it
imported from stderr, so nothing imported by the test process itself can hide a regression.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_example

#: Arrays, statistics, dataframe, Parquet, MLflow and Spark: ~2 s of CPU that check/build/diff/
#: schema/alerts/--help do not need on a project without reference data (numpy alone ~0.07 s:
#: 2x `import yaml`).
HEAVY = ("numpy", "scipy", "pandas", "pyarrow", "mlflow", "pyspark")
COMMANDS = ("cli", "commands.check", "commands.build", "commands.diff", "commands.schema",
            "commands.alerts")
_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$")


def _imported(args: list[str], cwd: Path | None = None, full: bool = False
              ) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """The modules a fresh `python -X importtime ARGS` imports: top-level names, or with
    `full` the dotted names."""
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)
    names = {m.group(1) for line in done.stderr.splitlines() if (m := _LINE.match(line))}
    return (names if full else {name.split(".")[0] for name in names}), done



def warm_check_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str], full: bool = False) -> set[str]:
    """The top-level modules a second `govkit check` of the example imports: the first runs
    in this process (its imports are paid already) and fills a user cache of the test's own;
    the second is a new process, whose output must equal the first's."""
    from govkit.cli import main

    root = copy_example(tmp_path)
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    assert main(["check"]) == 1, capsys.readouterr().err[-2000:]  # documented checks fail
    first = capsys.readouterr().out
    tops, done = _imported(["-m", "govkit", "check"], cwd=root, full=full)
    assert done.stdout == first
    return tops

@pytest.mark.parametrize("module", COMMANDS)
def test_importing_a_ci_command_imports_no_heavy_library(module: str) -> None:
    tops, done = _imported(["-c", f"import govkit.{module}"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(tops & set(HEAVY)) == []


def test_help_imports_no_heavy_library() -> None:
    tops, done = _imported(["-m", "govkit", "--help"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(tops & set(HEAVY)) == []


@pytest.fixture
def no_reference(tmp_path: Path) -> Path:
    """The example project with its dictionary's `reference_data` line removed."""
    root = copy_example(tmp_path)
    for path in (root / "datasets").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text("".join(line for line in text.splitlines(keepends=True)
                                if not line.startswith("reference_data:")), encoding="utf-8")
    return root


@pytest.mark.parametrize("command", [["check"], ["build"], ["diff", "dir:.", "dir:."], ["alerts"]])
def test_commands_without_reference_data_import_no_heavy_library(
    no_reference: Path, command: list[str]
) -> None:
    tops, done = _imported(["-m", "govkit", *command], cwd=no_reference)
    assert done.returncode in (0, 1, 2), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert sorted(tops & set(HEAVY)) == []


def test_example_build_reads_its_sample_without_pandas_or_scipy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example's dictionary has a CSV sample: profiling it needs pyarrow and numpy,
    not pyarrow.dataset (which imports pandas), scipy, MLflow or Spark."""
    monkeypatch.setenv("GOVKIT_CACHE_DIR", "off")  # profiled, not read from the user's cache
    root = copy_example(tmp_path)
    tops, done = _imported(["-m", "govkit", "build"], cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pyarrow" in tops  # the sample was read
    assert sorted(tops & {"scipy", "pandas", "mlflow", "pyspark"}) == []


def test_example_check_without_a_cache_builds_no_iri_grammar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the kept verdicts, the ML-BOM is validated: jsonschema is imported, but not
    rfc3987_syntax, whose lark grammar cost ~1 s (its URLs are plain: exports/iri_format.py)."""
    monkeypatch.setenv("GOVKIT_CACHE_DIR", "off")
    root = copy_example(tmp_path)
    tops, done = _imported(["-m", "govkit", "check"], cwd=root)
    assert done.returncode == 1, done.stderr[-2000:]  # the example has failing checks
    assert "jsonschema" in tops and "cyclonedx" in tops
    assert "lark" not in tops  # importtime lists the refused rfc3987_syntax, never lark


@pytest.mark.parametrize("start, stop", [(0, 70), (3, 70), (9, 17), (64, 70), (5, 5)])
def test_numeric_values_read_from_buffers_match_to_numpy(start: int, stop: int) -> None:
    """`numeric_array` reads Arrow buffers (no pandas): same values as `to_numpy`, nulls as
    NaN, for sliced arrays whose offset is not a multiple of 8 and for integer columns."""
    import numpy as np
    import pyarrow as pa

    from govkit.monitoring.columns import numeric_array

    values = [None if i % 7 == 3 else i * 0.5 for i in range(70)]
    for array in (pa.array(values, pa.float64()), pa.array([None if v is None else int(v)
                                                            for v in values], pa.int32())):
        table = pa.table({"x": pa.chunked_array([array.slice(start, stop - start),
                                                 array.slice(0, 2)])})
        got = numeric_array(table, "x", "t.csv")
        want = table.column("x").cast(pa.float64()).to_numpy(zero_copy_only=False)
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("setting, loaded", [(None, False), ("", True)])
def test_cli_looks_up_no_pydantic_plugin_unless_the_user_asks(
    tmp_path: Path, setting: str | None, loaded: bool
) -> None:
    """pydantic scans every installed distribution for plugins when it builds its first
    validator (~7 ms, issue 26); the CLI turns that off with pydantic's documented
    PYDANTIC_DISABLE_PLUGINS, unless the user set the variable (empty: load them all)."""
    site = tmp_path / "site"
    info = site / "spyplugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: spyplugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spyplugin:plugin\n")
    marker = tmp_path / "loaded"
    (site / "spyplugin.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('yes')\n"
        "class _Plugin:\n    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\nplugin = _Plugin()\n")
    root = copy_example(tmp_path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(site)]),
               NO_MKDOCS_2_WARNING="1", GOVKIT_CACHE_DIR="off")
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run([sys.executable, "-m", "govkit", "check"], capture_output=True,
                          text=True, cwd=root, env=env, timeout=300)
    assert done.returncode == 1, done.stderr[-2000:]  # the example has failing checks
    assert marker.exists() is loaded


def test_example_build_from_the_cache_imports_no_network_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build fetches nothing: the SVG diagrams escape their text without
    xml.sax.saxutils, which imports urllib.request, http.client and ssl (~15 ms, issue 26).
    Nor does it unzip: templates and profiles are read from their folders, not through
    importlib.resources, whose file reader imports zipfile."""
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "cache"))
    root = copy_example(tmp_path)
    for _ in range(2):  # the first fills the user cache (the sample's profile)
        tops, done = _imported(["-m", "govkit", "build"], cwd=root)
        assert done.returncode == 0, done.stderr[-2000:]
    assert "jinja2" in tops  # pages were rendered
    assert sorted(tops & {"ssl", "http", "xml", "zipfile"}) == []


def test_cli_collects_cycles_every_100000_objects_not_700() -> None:
    """Python's default (a collection every 700 new objects, re-walking what lives) cost
    the example's check and build ~20-40 ms (issue 26); a threshold set higher is kept."""
    code = ("import gc, sys\nfrom govkit.cli import main\n"
            "gc.set_threshold(int(sys.argv[1]))\nmain(['--help'])\n"
            "print(gc.get_threshold()[0], gc.isenabled())")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for before, after in (("700", "100000"), ("250000", "250000")):
        done = subprocess.run([sys.executable, "-c", code, before], capture_output=True,
                              text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.splitlines()[-1] == f"{after} True"


def test_example_check_imports_no_package_metadata_or_zip_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With pydantic's plugins off, its plugin loader still imported importlib.metadata,
    which imports email (and zipfile, csv): ~14 ms of the example's check; the shipped
    profiles, read through importlib.resources, imported zipfile: ~3 ms (issue 26)."""
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    tops = warm_check_imports(tmp_path, monkeypatch, capsys)
    assert "pydantic" in tops  # files were validated
    assert sorted(tops & {"email", "zipfile"}) == []


def test_the_stand_in_plugin_loader_hands_over_to_pydantic_s(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names pydantic's loader has and the stand-in does not, and plugins turned on after
    start, come from the real loader, which then replaces the stand-in."""
    from govkit import cli

    for setting, name in (("__all__", "PYDANTIC_ENTRY_POINT_GROUP"), ("", "get_plugins")):
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
        monkeypatch.delitem(sys.modules, cli.PLUGIN_LOADER, raising=False)
        cli._plugins_off_without_metadata()
        stand_in = sys.modules[cli.PLUGIN_LOADER]
        assert list(stand_in.get_plugins()) == []
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", setting)
        if name == "get_plugins":
            stand_in.get_plugins()
        else:
            assert getattr(stand_in, name) == "pydantic"
        assert sys.modules[cli.PLUGIN_LOADER] is not stand_in
        assert hasattr(sys.modules[cli.PLUGIN_LOADER], "entry_points")


#: govkit modules the example's `check` (table) never runs: imported where they are used.
UNUSED_BY_EXAMPLE_CHECK = ("govkit.reports.json", "govkit.reports.github", "govkit.reports.gate",
                           "govkit.schemas.report", "govkit.sources.uri_redaction")


def test_example_check_imports_no_module_it_does_not_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    names = warm_check_imports(tmp_path, monkeypatch, capsys, full=True)
    assert "govkit.commands.check" in names
    assert sorted(set(UNUSED_BY_EXAMPLE_CHECK) & names) == []


#: Schemas whose own validator/serializer the example's check does not need: defaults of
#: parts its files leave out come from `default_of`; the sample cache key dumps Limits and
#: the features through their validated parents (~7 ms of the example's check together).
UNWRITTEN = ("config.MlflowDefaults", "config.Freshness", "site.SiteOptions",
             "alerting.Severities", "alerting.IncidentTargets", "rules.SeverityConfig",
             "card.Factors", "card.DataDescription", "config.MonitoringConfig",
             "config.Limits", "dictionary.Feature")


def test_example_check_builds_no_validator_for_a_default(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    code = ("import contextlib, importlib, io\n"
            "from govkit.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            "    assert main(['check']) == 1\n"
            f"for name in {UNWRITTEN!r}:\n"
            "    module, cls = name.split('.')\n"
            "    model = getattr(importlib.import_module('govkit.schemas.' + module), cls)\n"
            "    print(name, model.__dict__.get('__pydantic_complete__', False))\n")
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1",
               GOVKIT_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=root, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [w for name in UNWRITTEN for w in (name, "False")]
