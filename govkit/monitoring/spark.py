"""Window profiles computed on Apache Spark with DataFrame aggregations only.

No row reaches the driver and no Python function runs over rows: numeric columns are one
``agg`` (count, mean, variance, min, max, counts in the reference's bins, and Spark's
``kll_sketch_agg_double``, the Apache DataSketches KLL sketch, read here with the
``datasketches`` package); categorical columns are one ``groupBy`` over all of them, of which
only the top categories come back; performance is one ``groupBy`` of (segment, score bin,
label) counts. For a notebook or a job on a cluster::

    from govkit.monitoring.spark import profile
    from govkit.monitoring.compare_profiles import compare
    ref = profile(spark.table("preds").where("day < '2024-02-01'"), predictions="score")
    cur = profile(spark.table("preds").where("day = '2024-02-01'"), predictions="score",
                  labels="label", segments=["region"], reference=ref)
    result = compare(ref, cur, model="churn", window="2024-02-01")
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import accumulate, pairwise
from typing import TYPE_CHECKING, Any

from govkit.errors import MonitoringInputError
from govkit.monitoring import kinds
from govkit.monitoring import window_profile as wp
from govkit.monitoring.categorical import OTHER, top_k
from govkit.monitoring.kinds import StringTraits, TypeClass
from govkit.schemas.rules import FeatureKind, Rules
from govkit.schemas.window_profile import (
    CategoricalColumn,
    NullColumn,
    NumericColumn,
    PerformanceProfile,
    SliceProfile,
    TimeColumn,
    WindowProfile,
)

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

KLL_K = 1000  # normalized rank error 0.36% (double-sided, 99%); about 20 KB per sketch
SCORE_BINS = 1000
KS_GRID = 2000  # reference quantiles at which a current window's values are counted for KS
MAX_CATEGORIES = 10_000  # categories kept per current-window column; the rest: __other__
_MAX_FIELDS = "spark.sql.codegen.maxFields"


@contextmanager
def _wide_aggregations(df: DataFrame) -> Iterator[None]:
    """One aggregation of many columns keeps whole-stage code generation (Spark falls back to
    interpreting plans wider than ``spark.sql.codegen.maxFields``, 100): twice as fast here.
    The session's own setting is restored afterwards."""
    conf = df.sparkSession.conf
    before = conf.get(_MAX_FIELDS, None)
    conf.set(_MAX_FIELDS, "100000")
    try:
        yield
    finally:
        if before is None:
            conf.unset(_MAX_FIELDS)
        else:
            conf.set(_MAX_FIELDS, before)


def type_class(t: Any) -> TypeClass:
    """A Spark SQL type as the class the shared kind rule reads (:mod:`..kinds`)."""
    from pyspark.sql import types as T

    if isinstance(t, T.NumericType):
        return "numeric"
    if isinstance(t, T.StringType | T.VarcharType | T.CharType):
        return "string"
    if isinstance(t, T.BooleanType):
        return "bool"
    if isinstance(t, T.ArrayType):
        return "list"
    if isinstance(t, T.DateType | T.TimestampType | T.TimestampNTZType):
        return "time"
    return "null" if isinstance(t, T.NullType) else "other"


def _string_traits(df: DataFrame, names: Sequence[str]) -> dict[str, StringTraits]:
    """The shared rule's traits of text columns, over every value: one job, the regular
    expressions run once per distinct value, weighted by its count."""
    from pyspark.sql import functions as F

    if not names:
        return {}
    pairs = F.explode(F.array(*[F.struct(F.lit(i).alias("c"), F.col(n).cast("string").alias("v"))
                                for i, n in enumerate(names)]))
    grouped = (df.select(pairs.alias("p")).select("p.c", "p.v").where(F.col("v").isNotNull())
               .groupBy("c", "v").count())
    v, n = F.col("v"), F.col("count")
    rows = grouped.groupBy("c").agg(
        F.sum(n).alias("n"), F.sum(F.when(v.rlike(kinds.ISO_8601), n)).alias("t"),
        F.sum(F.size(F.split(v, r"(?U)\s+")) * n).alias("w"),
        F.sum(F.length(v) * n).alias("ch")).collect()
    got = {int(r["c"]): r for r in rows}  # a column of only nulls has no row
    out = {name: StringTraits(0, 0, 0.0, 0.0) for name in names}
    for i, r in got.items():
        total = int(r["n"])
        out[names[i]] = StringTraits(total, int(r["t"] or 0), int(r["w"]) / total,
                                     int(r["ch"]) / total)
    return out


_COMPUTED = {FeatureKind.NUMERIC: "numeric", FeatureKind.CATEGORICAL: "categorical",
             FeatureKind.HIGH_CARDINALITY: "categorical", FeatureKind.TIMESTAMP: "timestamp"}


def _kinds(df: DataFrame, wanted: Sequence[str] | None, exclude: set[str], rules: Rules,
           where: str, timestamp: str | None = None) -> dict[str, str]:
    """Column -> "numeric", "categorical" or "timestamp" by the rule both engines share
    (:func:`kinds.column_kind`); text and embeddings are the local engine's (refused here,
    as a listed column of a type neither engine reads; others are left out, as locally). The
    ``timestamp`` role column is always profiled, as a time range (as locally)."""
    types = {f.name: f.dataType for f in df.schema.fields}
    names = list(wanted) if wanted is not None else [n for n in types if n not in exclude]
    if timestamp:
        names = [*[n for n in names if n != timestamp], timestamp]
    for name in names:
        if name not in types:
            raise MonitoringInputError("column not in the window", path=where, column=name,
                                       hint=f"columns: {', '.join(sorted(types))}")

    def declared(name: str) -> FeatureKind | None:
        if name == timestamp:
            return FeatureKind.TIMESTAMP
        rule = rules.features.get(name)
        return FeatureKind(rule.kind) if rule and rule.kind else None

    texts = [n for n in names if type_class(types[n]) == "string" and declared(n) is None]
    traits = _string_traits(df, texts)
    out: dict[str, str] = {}
    for name in names:
        tc, decl = type_class(types[name]), declared(name)
        kind = kinds.column_kind(tc, decl, partial(traits.__getitem__, name))
        computed = _COMPUTED.get(kind) if kind else None
        if computed == "timestamp" and tc not in ("time", "string"):
            computed = None
        if computed is not None:
            out[name] = computed
        elif wanted is not None or decl is not None or kind is not None:
            # a kind the local engine computes (text, embeddings) is refused, never left out
            raise MonitoringInputError(
                f"the profile engine computes numeric, categorical and timestamp features, not "
                f"{kind.value if kind else types[name].simpleString()}", path=where,
                column=name, hint="leave the column out (--feature) or use the local engine")
    return out


def _value(name: str) -> Column:
    """The column as double, NaN as null (as the local engine counts it)."""
    from pyspark.sql import functions as F

    c = F.col(name).cast("double")
    return F.when(F.isnan(c), F.lit(None)).otherwise(c)


def _binned(name: str) -> Column:
    """The value a Bucketizer bins: -0.0 as 0.0. Its binary search (``Arrays.binarySearch``)
    puts -0.0 below a split at 0.0; numpy's searchsorted and SQL's ``>=`` count them equal."""
    from pyspark.sql import functions as F

    v = _value(name)
    return F.when(v == 0.0, F.lit(0.0)).otherwise(v)


def _numeric_aggs(name: str, i: int) -> list[Column]:
    from pyspark.sql import functions as F

    v = _value(name)
    return [F.count(v).alias(f"n{i}"), F.avg(v).alias(f"mean{i}"),
            F.var_samp(v).alias(f"var{i}"), F.min(v).alias(f"min{i}"),
            F.max(v).alias(f"max{i}")]


def _sketch_aggs(names: Sequence[str], k: int) -> list[Column]:
    """The KLL sketches, apart: an aggregation with an object-typed one (the sketch) runs
    without code generation, so the moments in the same job would be interpreted too."""
    from pyspark.sql import functions as F

    return [F.kll_sketch_agg_double(_value(n), k).alias(f"kll{i}") for i, n in enumerate(names)]


def _bin_aggs(v: Column, edges: Sequence[float], i: int) -> list[Column]:
    """Values >= each edge; bins [a, b) are differences of these."""
    from pyspark.sql import functions as F

    return [F.count(F.when(v >= e, 1)).alias(f"ge{i}_{j}") for j, e in enumerate(edges)]


def _bins(ge_of: list[int], n: int) -> list[int]:
    """Counts per bin [a, b) from the counts of values >= each interior edge."""
    ge = [n, *ge_of, 0]
    return [a - b for a, b in pairwise(ge)]


def _numeric_column(row: dict[str, Any], i: int, rows: int, name: str, where: str,
                    on_empty: str, k: int) -> NumericColumn | None:
    """Moments and sketch of column `i`; its bins come from a later job. A column of only
    nulls: an error (``on_empty="raise"``, the score column), left out (``"skip"``, a
    reference column: a null-rate finding) or an empty column (``"empty"``, a current one)."""
    n = int(row[f"n{i}"])
    if n == 0 and on_empty != "empty":
        if on_empty == "skip":
            return None
        raise MonitoringInputError("column has only null values", path=where, column=name)
    raw = row[f"kll{i}"]  # Spark's sketch of no value may be null
    kll = base64.b64encode(bytes(raw)).decode("ascii") if raw is not None else \
        wp.dump_kll(wp.empty_kll(k))
    sketch = wp.load_kll(kll)
    var = row[f"var{i}"]
    m2 = 0.0 if var is None or math.isnan(var) else float(var) * (n - 1)
    return NumericColumn(
        rows=rows, nulls=rows - n, count=n, mean=float(row[f"mean{i}"] or 0.0) if n else 0.0,
        m2=m2, min=float(row[f"min{i}"]) if n else None,
        max=float(row[f"max{i}"]) if n else None, edges=[], counts=[],
        kll=kll, kll_k=sketch.k, rank_error=wp.rank_error(sketch))


def _ks_grid(ref: NumericColumn) -> list[float]:
    """Finite points at which a current window is counted: the reference's KS_GRID quantiles,
    its PSI edges, its minimum and the next double above its maximum, so that the PSI bins
    and the counts outside the reference's range are sums of grid bins."""
    ranks = [j / KS_GRID for j in range(1, KS_GRID)]
    points = {*wp.kll_quantiles(ref.kll, ranks), *_summed_points(ref)}
    return sorted(p for p in points if math.isfinite(p))


def _summed_points(ref: NumericColumn) -> set[float]:
    """Where the counts that `_against_reference` sums from grid counts start."""
    points = set(ref.edges)
    if ref.min is not None and ref.max is not None:
        points |= {ref.min, math.nextafter(ref.max, math.inf)}
    return points


def _against_reference(col: NumericColumn, ref: NumericColumn, grid: list[float],
                       counts: list[int], infinite: int) -> NumericColumn:
    """The current column with its exact grid counts, and from them the counts in the
    reference's PSI bins and outside its range (``infinite``: values equal to +inf)."""
    suffix = list(accumulate(reversed(counts)))[::-1]  # suffix[j]: values >= grid[j - 1]
    at = {g: j + 1 for j, g in enumerate(grid)}

    def ge(x: float) -> int:
        if x == -math.inf:
            return col.count
        return infinite if x == math.inf else suffix[at[x]]

    low = ref.min if ref.min is not None else -math.inf
    # above the maximum: >= the next double (+inf when the maximum is the largest finite one)
    above = 0 if ref.max is None or ref.max == math.inf else ge(math.nextafter(ref.max,
                                                                              math.inf))
    return col.model_copy(update={
        "edges": ref.edges, "counts": _bins([ge(e) for e in ref.edges], col.count),
        "below": col.count - ge(low), "above": above, "grid": grid, "grid_counts": counts})


def _grid_counts(df: DataFrame, cols: Sequence[str], grids: Sequence[list[float]]
                 ) -> list[list[int]]:
    """Values of each column per grid bin [g_i, g_i+1) (outer bins open): one Bucketizer and
    one groupBy of a single integer key (column * stride + bin). Kept over native expressions
    (docs/performance.md: a CASE tree over ~2,000 points outgrows code generation; a binary
    search by ``element_at`` costs ~15x more per value); the groupBy costs more than it."""
    from pyspark.ml.feature import Bucketizer
    from pyspark.sql import functions as F

    values = df.select(*[_binned(n).alias(f"_v{i}") for i, n in enumerate(cols)])
    binned = Bucketizer(splitsArray=[[-math.inf, *g, math.inf] for g in grids],
                        inputCols=[f"_v{i}" for i in range(len(cols))],
                        outputCols=[f"_b{i}" for i in range(len(cols))]).transform(values)
    stride = max(len(g) for g in grids) + 1
    keys = F.explode(F.array(*[F.col(f"_b{i}").cast("int") + F.lit(i * stride)
                               for i in range(len(cols))])).alias("k")
    rows = binned.select(keys).where(F.col("k").isNotNull()).groupBy("k").count().collect()
    out = [[0] * (len(g) + 1) for g in grids]
    for r in rows:
        c, b = divmod(int(r["k"]), stride)
        out[c][b] = int(r["count"])
    return out


def _categorical(df: DataFrame, names: Sequence[str], keep: int, rules: Rules,
                 reference: WindowProfile | None) -> tuple[dict[str, CategoricalColumn], set[str]]:
    """One groupBy over all categorical columns; the top ``keep`` per column come back. A
    reference column of only nulls is returned apart (a null-rate finding, no categories)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if not names:
        return {}, set()
    pairs = F.explode(F.array(*[
        F.struct(F.lit(n).alias("c"), F.col(n).cast("string").alias("v")) for n in names]))
    grouped = df.select(pairs.alias("p")).groupBy("p.c", "p.v").count()
    by_col = Window.partitionBy("c")
    is_null = F.col("v").isNull()
    ranked = grouped.select(  # the null row first, then by count (ties by name)
        "c", "v", "count",
        F.row_number().over(by_col.orderBy(is_null.desc(), F.desc("count"), F.asc("v")))
        .alias("r"),
        F.count("v").over(by_col).alias("d"),
        F.max(is_null.cast("int")).over(by_col).alias("h"),
        F.sum(F.when(~is_null, F.col("count"))).over(by_col).alias("t"))
    kept = ranked.where(F.col("r") <= keep + F.col("h")).collect()  # one job, <= keep + 1 rows
    counts: dict[str, dict[str, int]] = {n: {} for n in names}
    distinct = dict.fromkeys(names, 0)
    totals = dict.fromkeys(names, 0)
    nulls = dict.fromkeys(names, 0)
    for r in kept:
        if r["v"] is None:
            nulls[r["c"]] = int(r["count"])
            continue
        counts[r["c"]][r["v"]] = int(r["count"])
        distinct[r["c"]], totals[r["c"]] = int(r["d"]), int(r["t"])
    other = {}
    for n in names:
        folded = totals[n] - sum(counts[n].values())
        # no folded category outnumbers the least frequent kept one
        other[n] = (folded, min(counts[n].values()) if folded else 0)
    out = {}
    empty = set()
    for n in names:
        if not counts[n] and reference is None:
            empty.add(n)
            continue
        c = dict(counts[n])
        folded, biggest = other.get(n, (0, 0))
        fr = rules.for_feature(n)
        rule = rules.features.get(n)
        kind = "categorical"
        if reference is not None:
            kind = reference.categorical[n].kind
        elif rule and rule.kind:
            kind = FeatureKind(rule.kind).value
        else:
            kind = kinds.categorical_kind(distinct[n], fr.high_cardinality).value
        if reference is None and kind == "high_cardinality":  # top k of the real categories
            c = top_k(c, fr.top_k)
            biggest = max(biggest, max((v for k, v in counts[n].items() if k not in c),
                                       default=0))
        if folded:
            c[OTHER] = c.get(OTHER, 0) + folded
        rows = sum(c.values()) + nulls[n]
        out[n] = CategoricalColumn(kind=kind, type_class=type_class(df.schema[n].dataType),
                                   rows=rows, nulls=nulls[n],
                                   counts=dict(sorted(c.items())), distinct=distinct[n],
                                   other_bound=biggest)
    return out, empty


def exact_ks_statistics(reference: DataFrame, current: DataFrame, columns: Sequence[str]
                        ) -> dict[str, float]:
    """The exact two-sample KS statistic of each of ``columns`` (a few: the ones whose
    verdict the sketch's bound could move): one job over just those columns, counts per
    distinct value, the two ECDFs as running sums, their largest gap per column."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if not columns:
        return {}

    def tagged(df: DataFrame, side: int) -> DataFrame:
        pairs = F.explode(F.array(*[F.struct(F.lit(i).alias("c"), _value(n).alias("v"))
                                    for i, n in enumerate(columns)]))
        return (df.select(pairs.alias("p")).select("p.c", "p.v")
                .where(F.col("v").isNotNull()).withColumn("s", F.lit(side)))

    both = tagged(reference, 0).unionByName(tagged(current, 1))
    counts = both.groupBy("c", "v").agg(F.sum(1 - F.col("s")).alias("r"),
                                        F.sum("s").alias("k"))
    whole = Window.partitionBy("c")
    upto = whole.orderBy("v").rowsBetween(Window.unboundedPreceding, Window.currentRow)
    gap = F.abs(F.sum("r").over(upto) / F.sum("r").over(whole)
                - F.sum("k").over(upto) / F.sum("k").over(whole))
    rows = counts.select("c", gap.alias("g")).groupBy("c").agg(F.max("g").alias("d")).collect()
    return {columns[int(r["c"])]: float(r["d"]) for r in rows}


def _segment_value(name: str, is_bool: bool) -> Column:
    from pyspark.sql import functions as F

    c = F.col(name)
    text = (F.when(c, F.lit("True")).otherwise(F.lit("False")) if is_bool
            else c.cast("string"))
    return F.coalesce(text, F.lit(""))


def _performance(df: DataFrame, predictions: str, labels: str, segments: Sequence[str],
                 threshold: float, edges: list[float]) -> PerformanceProfile:
    """Counts per (segment, score bin, label): one groupBy, rows with a score and a label."""
    from pyspark.ml.feature import Bucketizer
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    types = {f.name: f.dataType for f in df.schema.fields}
    scored = df.select(
        _binned(predictions).alias("_s"), F.col(labels).cast("int").alias("_y"),
        *[_segment_value(s, isinstance(types[s], T.BooleanType)).alias(f"_g{i}")
          for i, s in enumerate(segments)],
    ).where(F.col("_s").isNotNull() & F.col("_y").isNotNull())
    splits = [-math.inf, *edges, math.inf]
    binned = Bucketizer(splits=splits, inputCol="_s", outputCol="_b").transform(scored)
    slices = [F.struct(F.lit(None).cast("string").alias("c"),
                       F.lit(None).cast("string").alias("v"))]
    slices += [F.struct(F.lit(s).alias("c"), F.col(f"_g{i}").alias("v"))
               for i, s in enumerate(segments)]
    rows = (binned.select(F.explode(F.array(*slices)).alias("k"), "_b", "_y")
            .groupBy("k.c", "k.v", "_b", "_y").count().collect())
    bins = len(edges) + 1
    hist: dict[tuple[str | None, str | None], tuple[list[int], list[int]]] = {}
    for r in rows:
        pos, neg = hist.setdefault((r["c"], r["v"]), ([0] * bins, [0] * bins))
        (pos if r["_y"] == 1 else neg)[int(r["_b"])] += int(r["count"])
    out = []
    for (column, value), (pos, neg) in sorted(
            hist.items(), key=lambda kv: (kv[0][0] is not None, kv[0][0] or "", kv[0][1] or "")):
        conf = wp.confusion_of(pos, neg, edges, threshold)
        out.append(SliceProfile(column=column, value=value, tp=conf.tp, fp=conf.fp,
                                fn=conf.fn, tn=conf.tn, positives=pos, negatives=neg))
    return PerformanceProfile(predictions=predictions, labels=labels, threshold=threshold,
                              edges=edges, slices=out)


def _check_labels(df: DataFrame, labels: str, where: str) -> Column:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    t = {f.name: f.dataType for f in df.schema.fields}.get(labels)
    if t is None:
        raise MonitoringInputError("label column not in the window", path=where, column=labels)
    if not isinstance(t, T.NumericType | T.BooleanType):
        raise MonitoringInputError(f"labels must be 0/1 or boolean, got {t.simpleString()}",
                                   path=where, column=labels,
                                   hint="binary metrics need labels 0/1 or true/false")
    y = F.col(labels).cast("double")
    return F.count(F.when(y.isNotNull() & ~y.isin(0.0, 1.0), 1)).alias("bad_labels")


def _present(df: DataFrame, names: Sequence[str], where: str) -> None:
    """The reference's columns are in this window, in a type the engine can read."""
    types = {f.name: f.dataType for f in df.schema.fields}
    for name in names:
        if name not in types:
            raise MonitoringInputError("column not in the window", path=where, column=name,
                                       hint=f"columns: {', '.join(sorted(types))}")
        if type_class(types[name]) in ("list", "other"):
            raise MonitoringInputError(
                f"the profile engine computes numeric, categorical and timestamp features, not "
                f"{types[name].simpleString()}", path=where, column=name,
                hint="leave the column out (--feature) or use the local engine")


def _time_aggs(df: DataFrame, name: str, i: int) -> list[Column]:
    """Non-null times, earliest and latest (microseconds, UTC), and text that is no time."""
    from pyspark.sql import functions as F

    c = F.col(name)
    is_text = type_class(df.schema[name].dataType) == "string"
    ts = c.try_cast("timestamp") if is_text else c.cast("timestamp")
    us = F.unix_micros(ts)
    return [F.count(us).alias(f"tn{i}"), F.min(us).alias(f"tmin{i}"),
            F.max(us).alias(f"tmax{i}"),
            F.count(F.when(c.isNotNull() & ts.isNull(), 1)).alias(f"tbad{i}")]


def _time_column(row: dict[str, Any], i: int, rows: int, name: str, where: str) -> TimeColumn:
    if row[f"tbad{i}"]:
        raise MonitoringInputError(f"{row[f'tbad{i}']} values are not ISO 8601 timestamps",
                                   path=where, column=name,
                                   hint="write times as 2024-02-01T10:00:00Z, one style per "
                                        "column")
    n = int(row[f"tn{i}"])
    low, high = row[f"tmin{i}"], row[f"tmax{i}"]
    return TimeColumn(rows=rows, nulls=rows - n, count=n,
                      min_us=None if low is None else float(low),
                      max_us=None if high is None else float(high))


def _null_columns(df: DataFrame, row: dict[str, Any], names: Sequence[str], rows: int
                  ) -> dict[str, NullColumn]:
    """This window's nulls in the columns the reference has only nulls in, and the kind its
    column type has by itself (text: unknown)."""
    out = {}
    for i, n in enumerate(names):
        kind = kinds.kind_of_type(type_class(df.schema[n].dataType))
        out[n] = NullColumn(rows=rows, nulls=rows - int(row[f"z{i}"]),
                            kind=kind.value if kind else "unknown")
    return dict(sorted(out.items()))


def profile(
    df: DataFrame, *, features: Sequence[str] | None = None, predictions: str | None = None,
    labels: str | None = None, segments: Sequence[str] = (), ids: Sequence[str] = (),
    timestamp: str | None = None, reference: WindowProfile | None = None,
    rules: Rules | None = None, source: str | None = None, kll_k: int = KLL_K,
    score_bins: int = SCORE_BINS, max_categories: int = MAX_CATEGORIES,
) -> WindowProfile:
    """The window profile of ``df``. With ``reference``: its columns, binned on its edges
    (a current window); without: own PSI edges from its own sketch (a reference window)."""
    from pyspark.sql import functions as F

    rules = rules or Rules()
    where = source or "<dataframe>"
    nulls_in_ref: list[str] = []
    if reference is not None:
        kind_of = {n: "numeric" for n in reference.numeric}
        kind_of.update({n: "categorical" for n in reference.categorical})
        kind_of.update({n: "timestamp" for n in reference.timestamps})
        nulls_in_ref = sorted(reference.null_columns)
        _present(df, [*kind_of, *nulls_in_ref], where)
        predictions = predictions if predictions == reference.predictions_column else None
        kll_k = reference.kll_k
    else:
        exclude = {c for c in (predictions, labels, *segments, *ids, timestamp) if c}
        kind_of = _kinds(df, features, exclude, rules, where, timestamp)
    numeric = [n for n, k in kind_of.items() if k == "numeric"]
    times = [n for n, k in kind_of.items() if k == "timestamp"]
    cols = [*numeric, *([predictions] if predictions else [])]
    ref_cols: list[NumericColumn | None] = [
        reference.numeric[n] if reference else None for n in numeric]
    if predictions:
        ref_cols.append(reference.predictions if reference else None)
    aggs = [F.count(F.lit(1)).alias("rows")]
    for i, (name, rc) in enumerate(zip(cols, ref_cols, strict=True)):
        aggs += _numeric_aggs(name, i)
        if rc is not None and math.inf in _summed_points(rc):  # not on the finite grid
            aggs.append(F.count(F.when(_value(name) == math.inf, 1)).alias(f"inf{i}"))
    for i, name in enumerate(times):
        aggs += _time_aggs(df, name, i)
    aggs += [F.count(F.col(n)).alias(f"z{i}") for i, n in enumerate(nulls_in_ref)]
    if labels and predictions:
        aggs.append(_check_labels(df, labels, where))
    with _wide_aggregations(df):
        row = df.agg(*aggs).collect()[0].asDict()
        if cols:  # a second job: cheaper than one (docs/performance.md)
            row.update(df.agg(*_sketch_aggs(cols, kll_k)).collect()[0].asDict())
    rows = int(row["rows"])
    if rows == 0:
        raise MonitoringInputError("window has no rows", path=where)
    if row.get("bad_labels"):
        raise MonitoringInputError(f"{row['bad_labels']} labels are not 0/1", path=where,
                                   column=labels,
                                   hint="binary metrics need labels 0/1 or true/false")
    found = [_numeric_column(row, i, rows, n, where, "raise" if n == predictions else
                             "skip" if reference is None else "empty", kll_k)
             for i, n in enumerate(cols)]
    time_cols = {n: _time_column(row, i, rows, n, where) for i, n in enumerate(times)}
    null_cols = _null_columns(df, row, nulls_in_ref, rows)
    if reference is None:  # a reference column of only nulls: a null-rate finding, no bins
        empty = {n for n, c in zip(cols, found, strict=True) if c is None}
        empty |= {n for n, c in time_cols.items() if c.count == 0}
        numeric = [n for n in numeric if n not in empty]
        cols = [n for n in cols if n not in empty]
        time_cols = {n: c for n, c in time_cols.items() if n not in empty}
        null_cols.update({n: NullColumn(rows=rows, nulls=rows, kind=kind_of[n]) for n in empty})
    columns = [c for c in found if c is not None]
    if reference is None:  # a second pass: counts in the PSI edges of the own sketch
        edges = [wp.psi_edges_from_sketch(col.kll, rules.for_feature(n).psi_bins)
                 for col, n in zip(columns, cols, strict=True)]
        bin_aggs = [a for i, n in enumerate(cols) for a in _bin_aggs(_value(n), edges[i], i)]
        with _wide_aggregations(df):
            ge_row = df.agg(*bin_aggs).collect()[0].asDict() if bin_aggs else {}
        columns = [col.model_copy(update={"edges": edges[i], "counts": _bins(
            [int(ge_row[f"ge{i}_{j}"]) for j in range(len(edges[i]))], col.count)})
            for i, col in enumerate(columns)]
    else:  # one pass: exact counts on the reference's KS grid, PSI bins summed from them
        refs = [rc for rc in ref_cols if rc is not None]
        grids = [_ks_grid(rc) for rc in refs]
        counted = _grid_counts(df, cols, grids) if cols else []
        columns = [_against_reference(col, rc, grid, counts, int(row.get(f"inf{i}", 0)))
                   for i, (col, rc, grid, counts)
                   in enumerate(zip(columns, refs, grids, counted, strict=True))]
    pred_col = columns.pop() if predictions else None
    keep = max_categories if reference is not None else max(
        [rules.for_feature(n).high_cardinality for n in kind_of] + [rules.top_k])
    cats, empty_cats = _categorical(df, [n for n, k in kind_of.items() if k == "categorical"],
                                    keep, rules, reference)
    null_cols.update({n: NullColumn(rows=rows, nulls=rows, kind="categorical")
                      for n in empty_cats})
    perf = None
    if predictions and labels and pred_col is not None:
        # the reference's score quantiles when there is one: every part of a window profiled
        # against the same reference gets the same bins, so the parts' profiles merge
        ranks = [j / score_bins for j in range(1, score_bins)]
        basis = reference.predictions if reference and reference.predictions else pred_col
        score_edges = wp.score_edges(wp.kll_quantiles(basis.kll, ranks),
                                     rules.decision_threshold)
        perf = _performance(df, predictions, labels, list(segments), rules.decision_threshold,
                            score_edges)
    return WindowProfile(
        source=source, rows=rows, psi_bins=rules.psi_bins, kll_k=kll_k,
        numeric=dict(sorted(zip(numeric, columns, strict=True))), categorical=cats,
        timestamps=dict(sorted(time_cols.items())), null_columns=dict(sorted(null_cols.items())),
        predictions_column=predictions if pred_col else None, predictions=pred_col,
        performance=perf)
