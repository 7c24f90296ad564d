"""The card's other two monitoring layers: `service:` (infrastructure SLOs read from
Prometheus) and `business:` (KPIs read from a file or a SQL query), and where govkit.yaml
says those sources live (`observe:`)."""


import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, field_validator, model_validator

from govkit.schemas.common import (
    ORDER_RULE,
    FiniteFloat,
    Slug,
    Strict,
    Text,
    cross_field,
    input_rule,
    present,
    require_order,
)


def _label(value: Any) -> Any:
    """YAML reads 2024-01-01 as a date; a window label is its text."""
    return value.isoformat() if isinstance(value, dt.date) else value


WindowLabel = Annotated[str, BeforeValidator(_label)]
SloKind = Literal["latency", "error_rate", "throughput", "cpu", "gpu", "memory", "queue_depth"]
Statistic = Literal["avg", "max", "min", "last", "sum"]


class Bounded(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(govkit_only=ORDER_RULE))

    min: FiniteFloat | None = Field(None, description="Lowest allowed value.")
    max: FiniteFloat | None = Field(None, description="Highest allowed value.")

    @model_validator(mode="after")
    def _range_order(self) -> "Bounded":
        require_order(self.min, self.max)
        return self


class ServiceSlo(Bounded):
    """One infrastructure SLO: a PromQL `query`, or a `metric` and `labels` govkit turns into
    one over the window (`$range` in a query is the window's length, e.g. 86400s)."""

    model_config = ConfigDict(json_schema_extra=cross_field(
        {"oneOf": [present("query"), present("metric")]},
        {"if": {"anyOf": [present("quantile"), {"required": ["labels"], "properties": {
            "labels": {"minProperties": 1}}}]}, "then": present("metric")},
        {"if": present("min_ratio"), "then": present("baseline")},
        govkit_only=ORDER_RULE))

    kind: SloKind = Field(description="What it measures; `defaults: seed` fills by kind.")
    label: str | None = Field(None, description="Display name, e.g. 'P99 latency'.")
    unit: str | None = Field(None, description="e.g. ms, s, ratio, %, req/s.")
    query: Text | None = Field(None, description="PromQL giving one value, e.g. "
                               "'histogram_quantile(0.99, sum by (le) (rate(http_request_"
                               "duration_seconds_bucket[$range])))'.")
    metric: str | None = Field(None, pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$",
                               description="Prometheus metric name (instead of `query`).")
    labels: dict[str, str] = Field(default_factory=dict, description="Label matchers of "
                                   "`metric`, e.g. {job: churn-api}.")
    quantile: FiniteFloat | None = Field(None, gt=0, lt=1, description="With `metric`: a "
                                         "histogram quantile of `<metric>_bucket` (e.g. 0.99).")
    statistic: Statistic = Field("avg", description="With `metric`: <statistic>_over_time "
                                 "over the window; with `step`: of the series' points.")
    step: str | None = Field(None, pattern=r"^[1-9][0-9]{0,5}[smh]$", description="Read the "
                             "window as a series (/api/v1/query_range, a point every `step`, "
                             "e.g. 5m) and take `statistic` of it: 'max' with a quantile is "
                             "the worst 5-minute P99 of the window. `$range` and a `metric`'s "
                             "rate are then over `step`.")
    baseline: FiniteFloat | None = Field(None, gt=0, description="Throughput baseline; with "
                                         "`min_ratio`, the minimum is min_ratio × baseline.")
    min_ratio: FiniteFloat | None = Field(None, gt=0, description="Lowest allowed share of "
                                          "`baseline`, e.g. 0.8.")

    @model_validator(mode="after")
    def _one_source(self) -> "ServiceSlo":
        if (self.query is None) == (self.metric is None):
            raise ValueError("give either a PromQL `query` or a `metric` (with `labels`)")
        if self.metric is None and (self.labels or self.quantile is not None):
            raise ValueError("`labels` and `quantile` go with `metric`, not with `query`")
        if self.min_ratio is not None and self.baseline is None:
            raise ValueError("`min_ratio` needs a `baseline` value")
        return self


class Service(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(
        {"if": {"required": ["defaults"], "properties": {"defaults": {"const": "seed"}}},
         "then": {"properties": {"slos": {"additionalProperties": {
             "if": {"properties": {"kind": {"const": "latency"}}},
             "then": {"required": ["unit"], "properties": {"unit": {"enum": ["ms", "s"]}}}}}}}}))

    defaults: Literal["seed"] | None = Field(
        None, description="'seed': bounds the card leaves out come from the seed chapter "
        "(P99 latency ≤ 200 ms, error rate ≤ 0.1%, CPU/GPU ≤ 90%, memory ≤ 85%, throughput "
        "≥ 80% of baseline). Without it, an SLO without bounds has no range.")
    slos: dict[Slug, ServiceSlo] = Field(default_factory=dict, description="SLOs by key.")

    @model_validator(mode="after")
    def _seed_units(self) -> "Service":
        if self.defaults == "seed":
            for key, slo in self.slos.items():
                if slo.kind == "latency" and slo.unit not in ("ms", "s"):
                    raise ValueError(f"slos.{key}: `defaults: seed` needs the latency's unit "
                                     "(ms or s) to fill P99 ≤ 200 ms")
        return self


class KpiSource(Strict):
    """Where a KPI's rows are: a CSV/Parquet file inside the project, or a SQL query run on a
    database of govkit.yaml `observe.databases`. Rows of a window are those whose
    `window_column` equals the window label."""

    model_config = ConfigDict(json_schema_extra=cross_field(
        {"oneOf": [present("file"), present("sql")]},
        {"if": present("sql"), "then": present("database")},
        {"if": present("database"), "then": present("sql")},
    ))

    file: str | None = Field(None, json_schema_extra={"pattern": r"\.(csv|parquet)$"},
                             description="CSV or Parquet file, relative to the project.")
    sql: Text | None = Field(None, description="SQL query returning the rows.")
    database: Slug | None = Field(None, description="Database key of govkit.yaml "
                                  "`observe.databases` (with `sql`).")
    column: Text = Field(description="Column holding the KPI value.")
    window_column: Text = Field("window", description="Column naming each row's window.")
    aggregate: Literal["mean", "sum", "last"] = Field("mean", description="How the rows of a "
                                                      "window become one value.")

    @model_validator(mode="after")
    def _one_source(self) -> "KpiSource":
        if (self.file is None) == (self.sql is None):
            raise ValueError("give either a `file` (CSV/Parquet) or a `sql` query")
        if (self.sql is None) != (self.database is None):
            raise ValueError("a `sql` query needs a `database` (and a database only a query)")
        if self.file is not None and not self.file.endswith((".csv", ".parquet")):
            raise ValueError(f"file {self.file!r} is neither .csv nor .parquet")
        return self


class BusinessKpi(Bounded):
    model_config = ConfigDict(json_schema_extra=cross_field(
        {"if": present("max_relative_change"), "then": present("baseline_window")},
        {"if": present("baseline_window"), "then": present("max_relative_change")},
        govkit_only=ORDER_RULE))

    label: str | None = Field(None, description="Display name, e.g. '30-day retention'.")
    connection: Text = Field(description="How the model affects it, e.g. 'Missed churners "
                             "are not offered retention discounts'.")
    unit: str | None = Field(None, description="e.g. ratio, %, USD.")
    goal: Literal["higher", "lower"] | None = Field(
        None, description="Which direction is better: `max_relative_change` then fails only "
        "a change the wrong way (default: either way).")
    max_relative_change: FiniteFloat | None = Field(
        None, gt=0, description="Largest allowed |value / baseline − 1|, e.g. 0.05.")
    baseline_window: WindowLabel | None = Field(None, description="Window label whose value is the "
                                        "baseline of `max_relative_change`.")
    source: KpiSource = Field(description="Where the KPI's values are read: a file or a SQL query.")

    @model_validator(mode="after")
    def _baseline(self) -> "BusinessKpi":
        if (self.max_relative_change is None) != (self.baseline_window is None):
            raise ValueError("`max_relative_change` and `baseline_window` go together")
        return self


class PrometheusSource(Strict):
    url: str = Field(pattern=r"""^https?://[^\s<>"'`]+$""",
                     json_schema_extra={"not": {"pattern": "^https?://[^/]*@"}},
                     description="Prometheus base URL, e.g. 'http://prometheus:9090' (no "
                     "user:password@: the token goes in the variable token_env names).")
    @field_validator("url")
    @classmethod
    def _no_userinfo(cls, url: str) -> str:
        if "@" in url.split("://", 1)[-1].split("/", 1)[0]:
            raise input_rule("the URL holds a user or password",
                             "remove it; put the token in the variable token_env names")
        return url

    token_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description=
                                  "Environment variable holding a bearer token (never "
                                  "written in govkit.yaml, never printed).")
    timeout_s: FiniteFloat = Field(10, gt=0, description="HTTP timeout in seconds.")


class Database(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(
        {"oneOf": [present("url"), present("url_env")]}))

    url: str | None = Field(None, description="SQLAlchemy URL, e.g. 'sqlite:///kpis.db' "
                            "(relative to govkit.yaml); no passwords here: use url_env.")
    url_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                                description="Environment variable holding the URL.")

    @model_validator(mode="after")
    def _one(self) -> "Database":
        if (self.url is None) == (self.url_env is None):
            raise ValueError("give either `url` or `url_env`")
        return self


class Observe(Strict):
    """Where `govkit observe` reads the service and business layers."""

    model_config = ConfigDict(json_schema_extra=cross_field(
        {"not": present("prometheus", "openmetrics")}))

    prometheus: PrometheusSource | None = Field(
        None, description="The Prometheus server that `govkit observe` queries for service SLOs.")
    openmetrics: str | None = Field(
        None, pattern=r"^[^\s]+\.(om|txt)$", description="Instead of a server: an OpenMetrics "
        "text file of timestamped samples (relative to govkit.yaml), e.g. an export kept "
        "with the project; answers `metric` SLOs of gauges, not PromQL queries or quantiles.")
    databases: dict[Slug, Database] = Field(
        default_factory=dict, description="SQL databases of business KPIs, by key.")

    @model_validator(mode="after")
    def _one_service_source(self) -> "Observe":
        if self.prometheus is not None and self.openmetrics is not None:
            raise ValueError("give either `prometheus` (a server) or `openmetrics` (a file)")
        return self


# The seed chapter's thresholds, by kind (fractions for rates and saturation).
SEED_MAX = {"error_rate": 0.001, "cpu": 0.9, "gpu": 0.9, "memory": 0.85}
SEED_LATENCY_MS = 200.0
SEED_THROUGHPUT_RATIO = 0.8


def seed_bounds(slo: ServiceSlo) -> tuple[float | None, float | None]:
    """The seed's (min, max) for an SLO of this kind in its unit (None: the seed gives none)."""
    if slo.kind == "latency":
        scale = {"ms": 1.0, "s": 0.001}.get(slo.unit or "")
        return (None, SEED_LATENCY_MS * scale) if scale else (None, None)
    if slo.kind in SEED_MAX:
        scale = 100.0 if slo.unit == "%" else 1.0 if slo.unit in (None, "ratio") else None
        return (None, SEED_MAX[slo.kind] * scale) if scale else (None, None)
    if slo.kind == "throughput" and slo.baseline is not None:
        return (SEED_THROUGHPUT_RATIO * slo.baseline, None)
    return (None, None)


def promql(slo: ServiceSlo, span: str) -> tuple[str, str | None]:
    """The SLO's query and the query counting its samples (None: not known), `$range` being
    the window's length; with a `step`, the expression evaluated at each point of the
    series (its ranges over `step`)."""
    if slo.step is not None:
        span = slo.step
    if slo.query is not None:
        return slo.query.replace("$range", span), None
    matchers = ",".join(f'{k}="{_quoted(v)}"' for k, v in sorted(slo.labels.items()))
    sel = "{" + matchers + "}"
    if slo.step is not None:
        if slo.quantile is not None:
            return (f"histogram_quantile({slo.quantile:g}, sum by (le) "
                    f"(rate({slo.metric}_bucket{sel}[{span}])))", None)
        return f"{slo.metric}{sel}", None
    if slo.quantile is not None:
        return (f"histogram_quantile({slo.quantile:g}, sum by (le) "
                f"(rate({slo.metric}_bucket{sel}[{span}])))",
                f"sum(count_over_time({slo.metric}_count{sel}[{span}]))")
    return (f"{slo.statistic}_over_time({slo.metric}{sel}[{span}])",
            f"count_over_time({slo.metric}{sel}[{span}])")


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
