"""Scale benchmark: 2 windows x 1,000,000 rows, 20 numeric + 5 categorical columns.

Times govkit's full drift computation (exact path: every numeric column sorted once, KS, PSI,
z-score, null rate; chi-square, Cramér's V, category PSI, new categories) against the floor
"numpy sorts every numeric column of both windows once", in the same run, and reports peak
memory. Compares with Evidently only if ``import evidently`` works.

    PYTHONPATH=. python benchmarks/monitor_scale.py [--rows N]
    PYTHONPATH=. python benchmarks/monitor_scale.py --e2e [--rows N] [--repeat 3]

`--e2e` writes both windows as Parquet files and times the CLI end to end
(`python -m govkit.cli monitor`, a fresh process: start-up, imports, reading, statistics,
writing the result) against the floor "pyarrow reads both files and sorts every numeric
column once", measured in the same run, and reports the CLI's peak RSS against the two
windows' in-memory size (targets: within 2x of the floor, RSS under 2x the windows).

Evidently needs pandas < 3, so it gets its own environment:

    python3 -m venv /tmp/evenv && /tmp/evenv/bin/pip install evidently 'pandas<3' pyarrow \
        scipy pydantic tqdm pyyaml jinja2
    PYTHONPATH=. /tmp/evenv/bin/python benchmarks/monitor_scale.py
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc

import numpy as np
import pyarrow as pa

from govkit.monitoring.engine import compute_result, drift_workers
from govkit.monitoring.request import MonitoringRequest

N_NUMERIC, N_CATEGORICAL = 20, 5


def make_window(rows: int, seed: int, shift: float) -> pa.Table:
    rng = np.random.default_rng(seed)
    cols: dict[str, pa.Array] = {}
    for i in range(N_NUMERIC):
        cols[f"num_{i:02d}"] = pa.array(rng.normal(shift * (i % 3), 1.0 + 0.1 * i, rows))
    levels = np.array([f"level_{j}" for j in range(12)])
    for i in range(N_CATEGORICAL):
        p = np.linspace(1.0, 2.0 + shift * i, 12)
        cols[f"cat_{i}"] = pa.array(rng.choice(levels, rows, p=p / p.sum()))
    return pa.table(cols)


def _rss_status() -> dict[str, int]:
    """VmRSS / VmHWM in bytes from /proc (empty where unavailable)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            rows = [line.split() for line in f if line.startswith(("VmRSS", "VmHWM"))]
    except OSError:
        return {}
    return {r[0].rstrip(":"): int(r[1]) * 1024 for r in rows}


def _reset_peak_rss() -> None:
    """Reset VmHWM (and ru_maxrss) to the current RSS (Linux): the govkit peak on its own."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


def end_to_end(rows: int, repeat: int) -> None:
    """The CLI on Parquet files against the read + sort floor, and its peak RSS.

    The windows are written and the floor measured in child processes: a child forked
    from a parent that holds the windows would count the parent's pages in its peak RSS.
    """
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    here = [sys.executable, __file__]
    with tempfile.TemporaryDirectory(prefix="govkit-bench-monitor-") as tmp:
        root = Path(tmp)
        (root / "models" / "bench").mkdir(parents=True)
        (root / "govkit.yaml").write_text("project: Bench\nmodels:\n  - name: bench\n")
        (root / "models" / "bench" / "card.yaml").write_text("title: Bench\n")
        subprocess.run([*here, "--write-windows", tmp, "--rows", str(rows)], check=True)
        ref, cur = root / "reference.parquet", root / "current.parquet"
        command = [sys.executable, "-m", "govkit.cli", "-C", tmp, "monitor", "bench",
                   "--reference", str(ref), "--current", str(cur), "--window", "bench"]
        floors, clis, peaks = [], [], []
        window_bytes = 0
        for _ in range(repeat):
            out = subprocess.run([*here, "--floor", tmp], check=True, capture_output=True,
                                 text=True).stdout.split()
            floors.append(float(out[0]))
            window_bytes = int(out[1])
            t0 = time.perf_counter()
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
            _, status, usage = os.wait4(process.pid, 0)
            clis.append(time.perf_counter() - t0)
            peaks.append(usage.ru_maxrss * 1024)
            err = process.stderr.read().decode() if process.stderr else ""
            if os.waitstatus_to_exitcode(status) not in (0, 1):
                raise SystemExit(f"govkit monitor failed: {err}")
        floor, cli, peak = min(floors), min(clis), max(peaks)
        print(f"rows per window          {rows:,}  ({repeat} rounds, best time, worst RSS)")
        print(f"windows in memory        {window_bytes / 2**20:8.1f} MiB")
        print(f"floor: read + 40 sorts   {floor:8.2f} s  (pyarrow.parquet.read_table, np.sort)")
        print(f"govkit monitor (CLI)     {cli:8.2f} s  (fresh process, end to end)")
        print(f"ratio CLI / floor        {cli / floor:8.2f} x  (target < 2)")
        print(f"CLI peak RSS             {peak / 2**20:8.1f} MiB  "
              f"({peak / window_bytes:.2f} x windows; target < 2)")


def _write_windows(folder: str, rows: int) -> None:
    import pyarrow.parquet as pq

    for name, seed, shift in (("reference", 1, 0.0), ("current", 2, 0.05)):
        pq.write_table(make_window(rows, seed, shift), f"{folder}/{name}.parquet")


def _floor(folder: str) -> None:
    """Prints seconds to read both files and sort every numeric column, and their size."""
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    tables = [pq.read_table(f"{folder}/{n}.parquet") for n in ("reference", "current")]
    for table in tables:
        for name in table.column_names:
            if name.startswith("num_"):
                np.sort(table.column(name).to_numpy())
    print(time.perf_counter() - t0, sum(t.nbytes for t in tables))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--e2e", action="store_true", help="time the CLI on Parquet files")
    ap.add_argument("--repeat", type=int, default=3, help="rounds for --e2e")
    ap.add_argument("--write-windows", help=argparse.SUPPRESS)
    ap.add_argument("--floor", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write_windows:
        _write_windows(args.write_windows, args.rows)
        return
    if args.floor:
        _floor(args.floor)
        return
    if args.e2e:
        end_to_end(args.rows, args.repeat)
        return
    ref = make_window(args.rows, 1, 0.0)
    cur = make_window(args.rows, 2, 0.05)
    window_bytes = ref.nbytes + cur.nbytes
    names = [n for n in ref.column_names if n.startswith("num_")]
    arrays = [t.column(n).to_numpy() for t in (ref, cur) for n in names]

    t0 = time.perf_counter()
    for a in arrays:
        np.sort(a)
    floor = time.perf_counter() - t0

    before = _rss_status()
    _reset_peak_rss()
    c0, t0 = time.process_time(), time.perf_counter()
    result = compute_result(ref, cur, MonitoringRequest("bench", "bench", progress=False))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    during = _rss_status()
    # a second run under tracemalloc: tracing slows allocation, so it is not the timed run
    tracemalloc.start()
    t0 = time.perf_counter()
    compute_result(ref, cur, MonitoringRequest("bench", "bench", progress=False))
    traced_elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # whole process: resetting VmHWM also resets ru_maxrss, so keep the earlier peak too
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, before.get("VmHWM", 0))

    drifted = len(result.drifted_features)
    print(f"rows per window          {args.rows:,}")
    print(f"windows size             {window_bytes / 2**20:8.1f} MiB")
    print(f"sort floor (40 sorts)    {floor:8.2f} s  (one np.sort per column, single thread)")
    print(
        f"govkit full drift        {elapsed:8.2f} s  ({len(result.features)} findings, "
        f"{drifted} drifted features; first call in the process)"
    )
    print(
        f"govkit CPU time          {cpu:8.2f} s  (all threads; columns run in a pool of "
        f"{drift_workers()} threads on {os.cpu_count()} CPUs)"
    )
    print(
        f"ratio to sort floor      {elapsed / floor:8.2f} x  (target <= 3; CPU time / floor "
        f"{cpu / floor:.2f} x)"
    )
    print(
        f"peak traced alloc        {peak / 2**20:8.1f} MiB  "
        f"({peak / window_bytes:.2f} x windows; second run, {traced_elapsed:.2f} s under tracing)"
    )
    print(
        f"process max RSS          {rss / 2**20:8.1f} MiB  ({rss / window_bytes:.2f} x windows; "
        "target < 2)"
    )
    if before and during:
        print(
            f"  RSS before govkit      {before['VmRSS'] / 2**20:8.1f} MiB  (imports + windows); "
            f"peak during govkit {during['VmHWM'] / 2**20:.1f} MiB "
            f"(+{(during['VmHWM'] - before['VmRSS']) / 2**20:.1f})"
        )
    try:
        import evidently  # noqa: F401
    except ImportError:
        print("evidently not installed: skipped live comparison")
        return
    _run_evidently(ref, cur, elapsed)


def _run_evidently(ref: pa.Table, cur: pa.Table, ours: float) -> None:
    """Evidently's data-drift preset on the same windows (0.7 API, or the legacy one)."""
    ref_df, cur_df = ref.to_pandas(), cur.to_pandas()
    t0 = time.perf_counter()
    try:
        from evidently import Report
        from evidently.presets import DataDriftPreset

        Report([DataDriftPreset()]).run(current_data=cur_df, reference_data=ref_df)
    except ImportError:
        from evidently.metric_preset import DataDriftPreset
        from evidently.report import Report

        Report(metrics=[DataDriftPreset()]).run(reference_data=ref_df, current_data=cur_df)
    ev = time.perf_counter() - t0
    print(f"evidently (measured)     {ev:8.2f} s  -> govkit {ev / ours:.1f} x faster")


if __name__ == "__main__":
    main()
