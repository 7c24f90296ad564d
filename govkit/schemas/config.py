"""`govkit.yaml`: the project configuration."""


from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from govkit.schemas.alerting import Alerting
from govkit.schemas.common import (
    FiniteFloat,
    Slug,
    Strict,
    Text,
    Url,
    default_of,
    empty_list,
    usable_url,
)
from govkit.schemas.layers import Observe
from govkit.schemas.predictions import PredictionsSource
from govkit.schemas.rules import Rules
from govkit.schemas.site import SiteOptions

ALIAS_RE = r"^[A-Za-z0-9_-]{1,255}$"  # MLflow's alias characters
UI_URL_RE = "^https?://[^\\s<>\"'`]+$"  # no \" escape: ECMAScript (editors) refuses it
UiUrl = Annotated[str, StringConstraints(pattern=UI_URL_RE), AfterValidator(usable_url)]


class MlflowSource(Strict):
    """Where `govkit ingest` reads a model's registered versions."""

    tracking_uri: Url | None = Field(
        None, description="MLflow tracking URI, e.g. 'sqlite:///mlflow.db' (relative paths are "
        "relative to govkit.yaml); default: the project-wide mlflow.tracking_uri."
    )
    registered_model: str | None = Field(
        None, description="Registered model name in MLflow; default: the model's name."
    )
    serving_alias: str | None = Field(
        None, pattern=ALIAS_RE, description="Registry alias of the version in production; "
        "default: the project-wide mlflow.serving_alias ('champion')."
    )
    ui_url: UiUrl | None = Field(
        None, description="MLflow UI for this model's links; default: the "
        "project-wide mlflow.ui_url."
    )
    predictions: PredictionsSource | None = Field(
        None, description="Where each run logs row-level predictions (row id, target, "
        "prediction and/or score): `ingest` records the artifact and its size, `check "
        "--release` pairs both versions' rows for the release gate; default: the project-wide "
        "mlflow.predictions, else none (the gate compares recorded values)."
    )


class MlflowDefaults(Strict):
    tracking_uri: Url = Field(
        "sqlite:///mlflow.db", description="Default MLflow tracking URI for every model."
    )
    serving_alias: str = Field(
        "champion", pattern=ALIAS_RE, description="Registry alias of the version in production "
        "(pages lead with it, `govkit check` evaluates it); registries still on stages: the "
        "version in MLflow's 'Production' stage when no version carries the alias."
    )
    ui_url: UiUrl | None = Field(
        None, description="MLflow UI base URL for links to runs and model "
        "versions, e.g. 'https://mlflow.example.com/'; default: the tracking URI when it is "
        "http(s), else no links."
    )
    predictions: PredictionsSource | None = Field(
        None, description="Default `predictions` of every model's mlflow section, e.g. "
        "{artifact: eval_results_table.json}."
    )


class ProxyMetric(Strict):
    """A fast signal documented for a delayed metric (the card documents its range)."""

    column: str = Field(description="Window column the proxy is computed from.")
    statistic: Literal["mean", "rate"] = Field(
        "mean", description="mean of the column, or rate: share of non-zero values."
    )
    stands_for: str | None = Field(None, description="The delayed metric, e.g. auc_roc.")


class MonitoringConfig(Strict):
    """How `govkit monitor` reads a model's windows; command-line flags override these."""

    features: list[str] | None = Field(
        None, description="Feature columns to test (default: every supported column)."
    )
    predictions: str | None = Field(
        None, description="Column with the model's scores (`--predictions ''` switches it off)."
    )
    labels: str | None = Field(None, description="Column with the true labels (0/1).")
    segments: list[str] = Field(
        default_factory=empty_list,
        description="Columns whose values define segments (a column may "
        "also be the label or another role)."
    )
    ids: list[str] = Field(
        default_factory=empty_list, description="Identifier columns: never tested as features."
    )
    timestamp: str | None = Field(
        None, description="Event-time column: profiled as a time range with freshness, not "
        "drift-tested."
    )
    reference_predictions: str | None = Field(
        None, description="A reference model's scores on the same rows: agreement, rank "
        "correlation and mean difference against the production scores."
    )
    metrics: dict[str, str] = Field(
        default_factory=dict,
        description="Live metric (accuracy, precision, recall, roc_auc) -> card metric key, "
        "e.g. {roc_auc: auc_roc}. Unmapped live metrics use their own name.",
    )
    rules: Rules = Field(
        default_factory=Rules, description="Drift thresholds, per-feature overrides, severities."
    )
    cadence_days: int | None = Field(
        None, ge=1, description="How often a monitoring window is expected, in days; the home "
        "page marks an older last window as stale (not set: no staleness shown)."
    )
    proxies: dict[str, ProxyMetric] = Field(
        default_factory=dict, description="Card metric key -> proxy computed from a window "
        "column, e.g. {engagement_7d: {column: active_7d, statistic: rate, stands_for: "
        "auc_roc}}; checked against the card's range like any live metric."
    )


class ModelEntry(Strict):
    name: Slug = Field(description="Model key used in paths and check ids, e.g. 'churn'.")
    path: str | None = Field(
        None, description="Folder with card.yaml and releases/, relative to govkit.yaml "
        "(default: <models_dir>/<name>)."
    )
    mlflow: MlflowSource | None = Field(
        None, description="MLflow source of `govkit ingest` (registered model, tracking URI)."
    )
    monitoring: MonitoringConfig | None = Field(
        None, description="Columns and rules for `govkit monitor`."
    )
    exports: list[Literal["huggingface", "cyclonedx"]] = Field(
        default_factory=empty_list, description="Exports the project produces of this model "
        "(`govkit export ...`): `govkit check` validates each for the checked version "
        "(check `<model>/<version>/export/<target>`: a warning, `--strict` fails)."
    )


class Limits(Strict):
    """Bounds on what govkit reads, so that a hostile file cannot exhaust CI."""

    max_file_mb: FiniteFloat = Field(
        5.0, gt=0, description="Largest card, release or monitoring file read, in MB "
        "(govkit.yaml itself is always read with the default, 5)."
    )
    max_sample_columns: int = Field(
        2000, gt=0, description="Most columns a dictionary's reference_data may have."
    )
    max_sample_rows: int = Field(
        1_000_000, gt=0, description="Most rows of a dictionary's reference_data profiled."
    )
    max_sample_mb: FiniteFloat = Field(
        256.0, gt=0, description="Largest reference_data file read by a dictionary, in MB."
    )


class DatasetEntry(Strict):
    name: Slug = Field(
        description="Dataset key used in paths and check ids, e.g. 'churn-training'."
    )
    path: str | None = Field(
        None, description="Its data dictionary YAML, relative to govkit.yaml "
        "(default: <datasets_dir>/<name>.yaml)."
    )


class SystemEntry(Strict):
    name: Slug = Field(description="System key used in paths and check ids, e.g. 'churn'.")
    path: str | None = Field(
        None, description="Its architecture YAML, relative to govkit.yaml "
        "(default: <systems_dir>/<name>.yaml)."
    )


class ExperimentEntry(Strict):
    name: Slug = Field(description="Experiment key used in paths and check ids, e.g. "
                       "'churn-depth'.")
    mlflow_experiment: str | None = Field(
        None, description="MLflow experiment name (default: the key)."
    )
    tracking_uri: Url | None = Field(
        None, description="MLflow tracking URI (default: the project-wide mlflow.tracking_uri)."
    )
    model: Slug | None = Field(
        None, description="The documented model it compares versions of: its card says "
        "which direction of each metric is better."
    )
    path: str | None = Field(
        None, description="Folder with log.yaml (ingested) and decision.yaml (hand-written), "
        "relative to govkit.yaml (default: <experiments_dir>/<name>)."
    )


# A document's update cadence: an event govkit sees, or a number of days.
Cadence = Literal["version", "pipeline", "schema", "experiment"] | int


class Freshness(Strict):
    """When each kind of document must have been reviewed (the chapter's table)."""

    card: Cadence = Field("version", description="Model card: each model version.")
    training_guide: Cadence = Field(
        "pipeline", description="Training guide: pipeline changes (a release trained from a "
        "new commit)."
    )
    dictionary: Cadence = Field("schema", description="Data dictionary: schema changes.")
    experiment_log: Cadence = Field(
        "experiment", description="Experiment log: each experiment (a run newer than the "
        "decision record)."
    )
    architecture: Cadence = Field(92, description="Architecture: quarterly (days).")


class Config(Strict):
    project: Text = Field(description="Project name shown as the site's home page title.")
    description: str | None = Field(None, description="A paragraph for the home page.")
    models_dir: str = Field("models", description="Default parent folder of model folders.")
    docs_dir: str = Field("docs", description="Where generated Markdown is written.")
    templates_dir: str = Field(
        "templates", description="Template overrides; searched before the defaults."
    )
    mkdocs_config: str = Field("mkdocs.yml", description="The mkdocs.yml that builds the site.")
    html_dir: str = Field("build/site-html", description="Where `build --html` puts the site.")
    mlflow: MlflowDefaults = Field(
        default_factory=default_of(MlflowDefaults),
        description="Defaults for reading MLflow stores."
    )
    limits: Limits = Field(default_factory=default_of(Limits), description="Bounds on input files.")
    site_url: str | None = Field(
        None, pattern="^https?://[^\\s<>\"'`]+$",
        description="Where the site is published, e.g. 'https://ml.example.com/docs/'; "
        "Prometheus rules link to runbook pages below it.",
    )
    alerting: Alerting = Field(
        default_factory=Alerting,
        description="Severities (response times, channels), default alerts, incident targets.",
    )
    models: list[ModelEntry] = Field(description="Every documented model.")
    datasets_dir: str = Field("datasets", description="Default folder of data dictionaries.")
    datasets: list[DatasetEntry] = Field(
        default_factory=empty_list, description="Datasets with a data dictionary (one page each)."
    )
    systems_dir: str = Field("systems", description="Default folder of architecture files.")
    systems: list[SystemEntry] = Field(
        default_factory=empty_list, description="ML systems with an architecture page each."
    )
    site: SiteOptions = Field(
        default_factory=default_of(SiteOptions),
        description="The site's look in an untrusted build, "
        "and how a trusted `build --html` treats mkdocs.yml."
    )
    experiments_dir: str = Field("experiments", description="Default folder of experiment "
                                 "logs.")
    experiments: list[ExperimentEntry] = Field(
        default_factory=empty_list,
        description="MLflow experiments with an experiment log page each "
        "(`govkit ingest-experiment NAME` records them)."
    )
    profiles: list[str] = Field(
        default_factory=empty_list, description="Governance profiles whose coverage each model "
        "shows: a shipped one by name (eu-ai-act-annex-iv, sr-11-7, nist-ai-rmf) or a team's "
        "profile YAML, relative to govkit.yaml (default: none)."
    )
    freshness: Freshness = Field(
        default_factory=default_of(Freshness),
        description="Update cadence of each kind of document; a "
        "document older than its cadence is a warning (`govkit check --strict` fails)."
    )
    observe: Observe = Field(
        default_factory=Observe, description="Where `govkit observe` reads the service "
        "(Prometheus) and business (SQL) layers of the cards.")
