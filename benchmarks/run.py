"""Every govkit benchmark in one run, each baseline measured next to what it is compared with.

Each case is a fresh process, as a user runs it (start-up and imports included). Cases of a
section run interleaved (A B A B ..., `--rounds`, at least 3) so machine load hits both
sides alike. Reported per case: CPU (user + system of the process and the children it
waited for; the main figure) and wall time, min and median over the rounds, and peak RSS
(ru_maxrss, the largest over the rounds). Nothing is typed in: a peer that is not installed
is reported as "not measured" with the line that installs it.

    PYTHONPATH=. .venv/bin/python benchmarks/run.py --quick          # a few minutes
    PYTHONPATH=. .venv/bin/python benchmarks/run.py                  # issue 26's sizes
    PYTHONPATH=. .venv/bin/python benchmarks/run.py --only cold,drift --drift-rows 1e7

Byte code is compiled once (as pip does on install) and govkit's user cache (compiled
templates, sample profiles; GOVKIT_CACHE_DIR) is this run's own: filled by a warm-up run in
the cold section, where the same commands also run with the cache off.

Sections: cold (example check/build vs `import yaml`, with and without the cache), drift
(the `monitor` CLI vs reading both Parquet windows and sorting each numeric column,
Evidently, whylogs), site (`govkit build` then `mkdocs build --strict`, two processes),
ingest (full, unchanged, one changed vs the batched MlflowClient calls a careful user
writes), spark (at each of --spark-rows, default 1M and 10M: JVM start, reference pass and
current pass timed inside one process, CPU with the JVM's counted in, next to the local engine
on the same files; --spark-rounds when 10M x 3 rounds is too long).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
HERE = [PY, str(Path(__file__).resolve())]
GOVKIT = [PY, "-m", "govkit"]
INSTALL = {
    "evidently": "python3 -m venv /tmp/evenv && /tmp/evenv/bin/pip install evidently "
                 "'pandas<3' pyarrow  # then --peer-python /tmp/evenv/bin/python",
    "whylogs": "python3 -m venv /tmp/wlenv && /tmp/wlenv/bin/pip install whylogs pyarrow "
               "# then --peer-python /tmp/wlenv/bin/python",
}


@dataclass
class Case:
    name: str
    argv: Callable[[], list[str]]  # called before each round (untimed set-up)
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    rss: int = 0
    out: str = ""
    note: str = ""


def _always(argv: list[str]) -> Callable[[], list[str]]:
    return lambda: argv


#: Each case runs under this small launcher: on Linux a child's ru_maxrss starts at the RSS
#: of the process that forked it, so forking from this script (which holds MLflow, windows)
#: would inflate every peak RSS. The launcher (-I -S, ~10 MiB) spawns, waits and reports.
_LAUNCHER = """import json, os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, u = os.wait4(pid, 0)
wall = time.perf_counter() - t
with open(out, "w") as f:
    json.dump([wall, u.ru_utime + u.ru_stime, u.ru_maxrss, os.waitstatus_to_exitcode(status)], f)
"""


def _run(case: Case) -> None:
    argv = case.argv()
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1",
           "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false", **case.env}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # byte code cached, as in an installed package
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "usage.json"
        done = subprocess.run([PY, "-I", "-S", "-c", _LAUNCHER, str(report), *argv],
                              cwd=case.cwd, env=env, capture_output=True, text=True)
        if done.returncode != 0 or not report.exists():
            raise SystemExit(f"{case.name}: launcher failed:\n{done.stderr[-3000:]}")
        wall, cpu, maxrss, code = json.loads(report.read_text())
    case.wall.append(wall)
    case.cpu.append(cpu)
    case.rss = max(case.rss, maxrss * 1024)
    if code not in (0, 1):  # 1: a documented check failed
        raise SystemExit(f"{case.name} failed ({' '.join(argv)}):\n{done.stderr[-3000:]}")
    case.out = done.stdout


def interleave(cases: list[Case], rounds: int) -> list[Case]:
    for _ in range(rounds):
        for case in cases:
            _run(case)
    return cases


def table(title: str, cases: list[Case], base: str | None, unit: str = "") -> None:
    print(f"\n### {title}\n")
    print("| case | CPU min | CPU median | wall min | wall median | peak RSS | CPU min / "
          f"{base or 'base'} |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    ref = next((min(c.cpu) for c in cases if c.name == base and c.cpu), None)
    for c in cases:
        if not c.cpu:
            print(f"| {c.name} | not measured | | | | | {c.note} |")
            continue
        ratio = f"{min(c.cpu) / ref:.2f}x" if ref else ""
        print(f"| {c.name}{c.note and ' ' + c.note} | {min(c.cpu):.3f} s | "
              f"{statistics.median(c.cpu):.3f} s | {min(c.wall):.3f} s | "
              f"{statistics.median(c.wall):.3f} s | {c.rss / 2**20:,.0f} MiB | {ratio} |")
    print(f"\nLoad average (1, 5, 15 min) when the table was done: {_load()} on "
          f"{os.cpu_count()} CPUs.")


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


# --- cold start --------------------------------------------------------------------------


def cold(tmp: Path, rounds: int, before: str | None = None) -> None:
    root = tmp / "cold"
    shutil.copytree(REPO / "examples", root / "examples",
                    ignore=shutil.ignore_patterns("*.db", "mlruns", "__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    ex = root / "examples"
    off = {"GOVKIT_CACHE_DIR": "off"}
    check = Case("govkit check (example)", lambda: [*GOVKIT, "-C", str(ex), "check"])
    build = Case("govkit build (example, Markdown)", lambda: [*GOVKIT, "-C", str(ex), "build"])
    cases = [check, build, Case("govkit check (example), no cache", check.argv, env=off),
             Case("govkit build (example, Markdown), no cache", build.argv, env=off)]
    if before:  # the same commands from another checkout, each next to this one's
        old = {"PYTHONPATH": str(Path(before).resolve()),
               "GOVKIT_CACHE_DIR": str(tmp / "user-cache-before")}
        subprocess.run([PY, "-m", "compileall", "-q", str(Path(before) / "govkit")], check=True)
        cases = [case for c in cases  # cwd: `-m govkit` would import ./govkit first
                 for case in (Case(f"{c.name}, before", c.argv, tmp, {**old, **c.env}), c)]
    for warm_up in [c for c in cases if c.env.get("GOVKIT_CACHE_DIR") != "off"]:
        _run(warm_up)  # fills its user cache (sample profile, compiled templates, verdicts)
        warm_up.cpu, warm_up.wall, warm_up.rss = [], [], 0
    cases = interleave([
        Case("python -c 'import yaml'", lambda: [PY, "-c", "import yaml"]),
        Case("govkit --help", lambda: [*GOVKIT, "--help"]),
        *cases,
    ], rounds)
    table("Cold start on examples/ (fresh process each)", cases, "python -c 'import yaml'")


# --- drift ---------------------------------------------------------------------------------


def _peer(python: str, module: str, name: str, argv: list[str]) -> Case:
    ok = subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0
    case = Case(name, _always(argv))
    if not ok:
        case.note = f"not installed: `{INSTALL[module]}`"
    return case


def drift(tmp: Path, rows: int, rounds: int, peer_python: str) -> None:
    root = tmp / "drift"
    (root / "models" / "bench").mkdir(parents=True)
    (root / "govkit.yaml").write_text("project: Bench\nmodels:\n  - name: bench\n")
    (root / "models" / "bench" / "card.yaml").write_text("title: Bench\n")
    scale = [PY, str(REPO / "benchmarks" / "monitor_scale.py")]
    subprocess.run([*scale, "--write-windows", str(root), "--rows", str(rows)], check=True,
                   env=dict(os.environ, PYTHONPATH=str(REPO)))
    ref, cur = str(root / "reference.parquet"), str(root / "current.parquet")
    cases = [
        Case("floor: pyarrow reads both files, np.sort each numeric column",
             _always([*HERE, "--child", "sortfloor", ref, cur])),
        Case("govkit monitor (CLI, Parquet in, JSON out)",
             lambda: [*GOVKIT, "-C", str(root), "monitor", "bench", "--reference", ref,
                      "--current", cur, "--window", "bench"]),
        _peer(peer_python, "evidently", "Evidently DataDriftPreset (reads Parquet, pandas)",
              [peer_python, *HERE[1:], "--child", "evidently", ref, cur]),
        _peer(peer_python, "whylogs", "whylogs profiles of both windows",
              [peer_python, *HERE[1:], "--child", "whylogs", ref, cur]),
    ]
    measured = interleave([c for c in cases if not c.note], rounds)
    table(f"Drift, {rows:,} rows x 25 columns per window (20 numeric, 5 categorical)",
          measured + [c for c in cases if c.note], measured[0].name)


def _sort_floor(ref: str, cur: str) -> None:
    """What any drift tool must do at least: read both files, sort each numeric column once
    (imports numpy and pyarrow only)."""
    import numpy as np
    import pyarrow.parquet as pq

    for path in (ref, cur):
        table = pq.read_table(path)
        for name in table.column_names:
            if name.startswith("num_"):
                np.sort(table.column(name).to_numpy())


def _evidently(ref: str, cur: str) -> None:
    import pyarrow.parquet as pq

    r, c = pq.read_table(ref).to_pandas(), pq.read_table(cur).to_pandas()
    try:
        from evidently import Report
        from evidently.presets import DataDriftPreset

        Report([DataDriftPreset()]).run(current_data=c, reference_data=r)
    except ImportError:
        from evidently.metric_preset import DataDriftPreset
        from evidently.report import Report

        Report(metrics=[DataDriftPreset()]).run(reference_data=r, current_data=c)


def _whylogs(ref: str, cur: str) -> None:
    import pyarrow.parquet as pq
    import whylogs

    for path in (ref, cur):
        whylogs.log(pq.read_table(path).to_pandas()).view()


# --- site ------------------------------------------------------------------------------------


def site(tmp: Path, sizes: list[int], versions: int, rounds: int) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from build_scale import generate

    for models in sizes:
        root = tmp / f"site-{models}"
        generate(root, models, versions)
        cases = interleave([
            Case("govkit build", _always([*GOVKIT, "-C", str(root), "build"])),
            Case("mkdocs build --strict", _always([PY, "-m", "mkdocs", "build", "--strict",
                                                   "-q"]), cwd=root),
        ], rounds)
        pages = sum(1 for _ in (root / "docs").rglob("*.md"))
        table(f"Site: {models} models x {versions} versions, {pages} Markdown pages "
              "(two processes, as a user runs them)", cases, "mkdocs build --strict")


# --- ingest ------------------------------------------------------------------------------------


def ingest(tmp: Path, versions: int, rounds: int) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import logging
    import warnings

    from ingest_scale import MODEL, build_store
    from mlflow import MlflowClient

    logging.getLogger("mlflow").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore")

    uri = build_store(Path(tempfile.gettempdir()) / f"govkit-bench-ingest-{versions}", versions)
    project = tmp / "ingest"
    (project / "models" / MODEL).mkdir(parents=True)
    (project / "govkit.yaml").write_text(f"project: Bench\nmodels:\n  - name: {MODEL}\n")
    (project / "models" / MODEL / "card.yaml").write_text("title: Bench\n")
    command = [*GOVKIT, "-C", str(project), "ingest", MODEL, "--tracking-uri", uri, "--all"]
    releases = project / "models" / MODEL / "releases"
    counter = iter(range(10**6))

    def full() -> list[str]:
        shutil.rmtree(releases, ignore_errors=True)
        return command

    def changed() -> list[str]:
        MlflowClient(uri, uri).update_model_version(MODEL, "1",
                                                    description=f"round {next(counter)}")
        return [*command, "--update"]

    cases = interleave([
        Case("floor: batched MlflowClient calls", lambda: [*HERE, "--child", "floor", uri]),
        Case("govkit ingest, full (empty folder)", full),
        Case("govkit ingest --update, nothing changed", lambda: [*command, "--update"]),
        Case("govkit ingest --update, one version changed", changed),
    ], rounds)
    table(f"Ingest, {versions} registered versions (sqlite store)", cases, cases[0].name)
    print("\nThe floor: get_registered_model (aliases), search_model_versions (paged) and "
          "search_runs for 100 runs a call; it reads no metric history or artifact, which "
          "govkit's full ingest does.")


def _floor(uri: str) -> None:
    from mlflow import MlflowClient

    sys.path.insert(0, str(REPO / "benchmarks"))
    from ingest_scale import registry_and_runs

    versions, runs = registry_and_runs(MlflowClient(uri, uri))
    assert len(runs) == len({v.run_id for v in versions}), (len(runs), len(versions))


# --- spark --------------------------------------------------------------------------------------


def spark(tmp: Path, sizes: list[int], rounds: int) -> None:
    """Per size: the local engine and Spark interleaved, Spark's CPU with its JVM's counted
    in (read from /proc by the child: py4j does not reap the JVM, so rusage misses it)."""
    sys.path.insert(0, str(REPO))
    from benchmarks.monitor_spark import write_window

    for rows in sizes:
        ref, cur = tmp / f"spark-{rows}" / "reference", tmp / f"spark-{rows}" / "current"
        write_window(ref, rows, 1, 0.0)
        write_window(cur, rows, 2, 0.3)
        local = Case("local engine: read both folders + exact drift",
                     _always([*HERE, "--child", "local", str(ref), str(cur)]))
        engine = Case(f"Spark local[{os.cpu_count()}]: JVM start + reference pass + current "
                      "pass, CPU incl. the JVM's",
                      _always([*HERE, "--child", "spark", str(ref), str(cur)]))
        phases = []
        for _ in range(rounds):
            _run(local)
            _run(engine)
            p = json.loads(next(line for line in engine.out.splitlines()[::-1]
                                if line.startswith("{")))
            engine.cpu[-1] += p["jvm_cpu"]  # the JVM's utime + stime: a child not waited for
            phases.append(p)
        table(f"Spark, {rows:,} rows per window (partitioned Parquet), {rounds} interleaved "
              f"round{'s' if rounds > 1 else ''}", [local, engine], local.name)
        _spark_phases(rows, phases, min(engine.cpu), min(local.cpu), min(local.wall))
        shutil.rmtree(tmp / f"spark-{rows}")


def _spark_phases(rows: int, phases: list[dict[str, float]], total: float, local_cpu: float,
                  local_wall: float) -> None:
    """Spark's three phases, CPU (Python + JVM) and wall, min over the rounds, per core."""
    cores = int(phases[0]["cores"])
    print(f"\n| Spark phase (local[{cores}], min over rounds) | CPU incl. JVM | wall | "
          "rows/s per core (CPU) |")
    print("|---|---:|---:|---:|")
    for key, label in (("start", "JVM start"), ("reference", "reference pass"),
                       ("current", "current pass + comparison")):
        cpu, wall = min(p[f"{key}_cpu"] for p in phases), min(p[key] for p in phases)
        rate = f"{rows / cpu:,.0f}" if key != "start" else ""
        print(f"| {label} | {cpu:.1f} s | {wall:.1f} s | {rate} |")
    passes = min(p["reference_cpu"] + p["current_cpu"] for p in phases)
    walls = min(p["start"] + p["reference"] + p["current"] for p in phases)
    print(f"\nPer core = rows of both windows per CPU-second (CPU is summed over cores): "
          f"local engine {2 * rows / local_cpu:,.0f}, Spark {2 * rows / total:,.0f} with the "
          f"JVM start, {2 * rows / passes:,.0f} without. **Spark's CPU incl. the JVM = "
          f"{total / local_cpu:.1f}x the local engine's** (the table's CPU min: with Python's "
          f"imports and the session's stop, which the phases leave out; "
          f"{passes / local_cpu:.1f}x for the two passes alone); wall "
          f"{walls / local_wall:.1f}x (the phases' sum).")


def _cpu_now(jvm: int) -> tuple[float, float]:
    """CPU seconds so far of this process and of the JVM (utime + stime from /proc)."""
    with open(f"/proc/{jvm}/stat", encoding="ascii") as f:
        ticks = sum(int(x) for x in f.read().rsplit(")", 1)[1].split()[11:13])
    t = os.times()
    return t.user + t.system, ticks / os.sysconf("SC_CLK_TCK")


def _spark_child(ref: str, cur: str) -> None:
    from pyspark.sql import SparkSession

    from benchmarks.monitor_spark import ROLES
    from govkit.monitoring.compare_profiles import compare
    from govkit.monitoring.spark import profile

    t0 = time.perf_counter()
    c0 = os.times().user + os.times().system
    session = (SparkSession.builder.master("local[*]").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "8").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    jvm = session.sparkContext._gateway.proc.pid  # type: ignore[union-attr]
    t1, c1 = time.perf_counter(), _cpu_now(jvm)
    r = profile(session.read.parquet(ref), **ROLES)  # type: ignore[arg-type]
    t2, c2 = time.perf_counter(), _cpu_now(jvm)
    c = profile(session.read.parquet(cur), reference=r, **ROLES)  # type: ignore[arg-type]
    compare(r, c, model="m", window="w", baseline={"roc_auc": 0.8})
    t3, c3 = time.perf_counter(), _cpu_now(jvm)
    cores = session.sparkContext.defaultParallelism
    session.stop()
    print(json.dumps({"start": t1 - t0, "reference": t2 - t1, "current": t3 - t2,
                      "start_cpu": sum(c1) - c0, "jvm_cpu": c3[1], "py_cpu": c3[0],
                      "reference_cpu": sum(c2) - sum(c1), "current_cpu": sum(c3) - sum(c2),
                      "cores": cores}))


def _local_child(ref: str, cur: str) -> None:
    import pyarrow.parquet as pq

    from govkit.monitoring.engine import compute_result
    from govkit.monitoring.request import MonitoringRequest
    from govkit.monitoring.roles import Roles

    r = pq.read_table(ref).drop_columns(["day"])
    c = pq.read_table(cur).drop_columns(["day"])
    roles = Roles(predictions="score", labels="label", segments=("cat_0",))
    compute_result(r, c, MonitoringRequest("m", "w", roles=roles, baseline={"roc_auc": 0.8}))


# --- main ---------------------------------------------------------------------------------------


def _machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{platform.system()} {platform.machine()}, {model}, {os.cpu_count()} CPUs, "
            f"load average {_load()} at start; Python {platform.python_version()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: a few minutes")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", default="cold,drift,site,ingest,spark")
    ap.add_argument("--drift-rows", type=float, default=None)
    ap.add_argument("--site-models", default=None, help="comma-separated, e.g. 50,200")
    ap.add_argument("--site-versions", type=int, default=8)
    ap.add_argument("--ingest-versions", type=int, default=None)
    ap.add_argument("--spark-rows", default=None,
                    help="rows per window, comma-separated (default 1e6,1e7; --quick 1e5)")
    ap.add_argument("--spark-rounds", type=int, default=None,
                    help="rounds of the spark section (default --rounds; one 10M round is "
                    "about 6 minutes of an idle 2-core machine); printed in its tables")
    ap.add_argument("--peer-python", default=PY, help="interpreter with Evidently / whylogs")
    ap.add_argument("--before", metavar="FOLDER",
                    help="cold section: also time the govkit/ in FOLDER (another checkout, e.g. "
                    "`git archive REV govkit templates | tar -x -C FOLDER`), interleaved")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        children: dict[str, Callable[..., None]] = {
            "evidently": _evidently, "whylogs": _whylogs, "floor": _floor,
            "sortfloor": _sort_floor,
            "spark": _spark_child, "local": _local_child}
        children[kind](*rest)
        return
    if args.rounds < 3:
        ap.error("--rounds must be at least 3 (A B A B A B)")
    q = args.quick
    drift_rows = int(args.drift_rows or (100_000 if q else 1_000_000))
    site_models = [int(s) for s in (args.site_models or ("5,20" if q else "50,200")).split(",")]
    ingest_versions = args.ingest_versions or (10 if q else 100)
    spark_rows = [int(float(s)) for s in (args.spark_rows or ("1e5" if q else "1e6,1e7"))
                  .split(",")]
    spark_rounds = args.spark_rounds or args.rounds
    print(f"govkit benchmarks, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; "
          f"{_machine()}; {args.rounds} interleaved rounds{' (--quick)' if q else ''}"
          f"{f', {spark_rounds} in the spark section' if spark_rounds != args.rounds else ''}.")
    print("CPU = user + system time of the process and its children; wall = elapsed.")
    only = set(args.only.split(","))
    # govkit's byte code compiled once, as pip does on install (site-packages already is)
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "govkit")], check=True)
    with tempfile.TemporaryDirectory(prefix="govkit-bench-") as name:
        tmp = Path(name)
        # govkit's user cache (compiled templates, sample profiles): this run's own, empty at
        # start; "no cache" cases turn it off
        os.environ["GOVKIT_CACHE_DIR"] = str(tmp / "user-cache")
        if "cold" in only:
            cold(tmp, args.rounds, args.before)
        if "drift" in only:
            drift(tmp, drift_rows, args.rounds, args.peer_python)
        if "site" in only:
            site(tmp, site_models, args.site_versions, args.rounds)
        if "ingest" in only:
            ingest(tmp, ingest_versions, args.rounds)
        if "spark" in only:
            spark(tmp, spark_rows, spark_rounds)


if __name__ == "__main__":
    main()
