"""Spark engine benchmark: rows per second and peak driver memory at growing sizes, next to
the local exact engine at the sizes it can hold, measured in the same run.

Each size writes two windows (reference, current) of N rows as partitioned Parquet (one
folder per 1M-row "day"), 20 numeric + 5 categorical columns (as benchmarks/monitor_scale.py)
plus a score, a 0/1 label and cat_0 as the segment. Timed for Spark: profiling both windows and
computing the result (the JVM start is timed once, apart). Timed for the local engine: reading
both folders with pyarrow and the exact computation. Rows per second count both windows.

    PYTHONPATH=. python benchmarks/monitor_spark.py                     # 1M and 10M rows
    PYTHONPATH=. python benchmarks/monitor_spark.py --sizes 1e6,1e7,1e8 --local-max 1e7

Peak memory: the Python driver's VmHWM, and the driver JVM's (in local mode the executors run
inside it, so it also holds the tasks' working memory), both reset before each size.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.monitor_scale import make_window

CHUNK = 1_000_000
ROLES = {"predictions": "score", "labels": "label", "segments": ["cat_0"]}


def _chunk(rows: int, seed: int, shift: float) -> pa.Table:
    rng = np.random.default_rng(seed + 10_000)
    label = (rng.random(rows) < 0.2).astype(np.int64)
    score = 1.0 / (1.0 + np.exp(-(1.5 * label + rng.normal(size=rows) - 1.5 - shift)))
    return make_window(rows, seed, shift).append_column("score", pa.array(score)) \
        .append_column("label", pa.array(label))


def write_window(folder: Path, rows: int, seed: int, shift: float) -> None:
    for i, start in enumerate(range(0, rows, CHUNK)):
        part = folder / f"day={i:03d}"
        part.mkdir(parents=True)
        pq.write_table(_chunk(min(CHUNK, rows - start), seed * 1000 + i, shift),
                       part / "part-0.parquet")


def _hwm(pid: str = "self") -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmHWM"))


def _reset(pid: str = "self") -> None:
    try:
        with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


def run_spark(spark: Any, ref: Path, cur: Path, jvm: str) -> tuple[float, int, int]:
    from govkit.monitoring.compare_profiles import compare
    from govkit.monitoring.spark import profile

    _reset()
    _reset(jvm)
    start = time.perf_counter()
    r = profile(spark.read.parquet(str(ref)), **ROLES)  # type: ignore[arg-type]
    c = profile(spark.read.parquet(str(cur)), reference=r, **ROLES)  # type: ignore[arg-type]
    compare(r, c, model="m", window="w", baseline={"roc_auc": 0.8})
    return time.perf_counter() - start, _hwm(), _hwm(jvm)


def run_local(ref: Path, cur: Path) -> tuple[float, int]:
    from govkit.monitoring.engine import compute_result
    from govkit.monitoring.request import MonitoringRequest
    from govkit.monitoring.roles import Roles

    _reset()
    start = time.perf_counter()
    r = pq.read_table(ref).drop_columns(["day"])
    c = pq.read_table(cur).drop_columns(["day"])
    roles = Roles(predictions="score", labels="label", segments=("cat_0",))
    compute_result(r, c, MonitoringRequest("m", "w", roles=roles, baseline={"roc_auc": 0.8}))
    seconds = time.perf_counter() - start
    del r, c
    return seconds, _hwm()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1e6,1e7", help="rows per window, comma-separated")
    parser.add_argument("--local-max", type=float, default=1e7,
                        help="largest size the local engine is run at (it holds both windows)")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the data")
    args = parser.parse_args()
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    from pyspark.sql import SparkSession

    start = time.perf_counter()
    spark = (SparkSession.builder.master(args.master).config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "8")
             .config("spark.driver.memory", "2g").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    jvm = str(spark.sparkContext._gateway.proc.pid)  # type: ignore[union-attr]
    cores = spark.sparkContext.defaultParallelism
    print(f"JVM start: {time.perf_counter() - start:.1f} s; Spark {spark.version}, "
          f"{args.master} ({cores} cores); driver memory 2g")
    root = args.dir or Path(tempfile.mkdtemp(prefix="govkit-spark-bench-"))
    print("| rows/window | engine | seconds | rows/s (both windows) | rows/s per core | "
          "peak Python driver | peak JVM |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for n in sizes:
        ref, cur = root / f"{n}/reference", root / f"{n}/current"
        t0 = time.perf_counter()
        write_window(ref, n, 1, 0.0)
        write_window(cur, n, 2, 0.3)
        print(f"<!-- wrote {n:,} + {n:,} rows in {time.perf_counter() - t0:.0f} s -->")
        seconds, py, java = run_spark(spark, ref, cur, jvm)
        rate = 2 * n / seconds
        print(f"| {n:,} | spark {args.master} | {seconds:.1f} | {rate:,.0f} | "
              f"{rate / cores:,.0f} | {py / 2**20:,.0f} MiB | {java / 2**20:,.0f} MiB |")
        if n <= args.local_max:
            seconds, py = run_local(ref, cur)
            local = 2 * n / seconds
            print(f"| {n:,} | local exact ({cores} threads) | {seconds:.1f} | {local:,.0f} | "
                  f"{local / cores:,.0f} | {py / 2**20:,.0f} MiB | – |")
            print(f"<!-- local / spark throughput per core at {n:,}: {local / rate:.2f}x -->")
        shutil.rmtree(root / str(n))
    spark.stop()


if __name__ == "__main__":
    main()
