"""`govkit.yaml`: the project configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from govkit.schemas.common import Slug, Strict, Text
from govkit.schemas.rules import Rules


class MlflowSource(Strict):
    """Where `govkit ingest` reads a model's registered versions."""

    tracking_uri: str | None = Field(
        None, description="MLflow tracking URI, e.g. 'sqlite:///mlflow.db' (relative paths are "
        "relative to govkit.yaml); default: the project-wide mlflow.tracking_uri."
    )
    registered_model: str | None = Field(
        None, description="Registered model name in MLflow; default: the model's name."
    )


class MlflowDefaults(Strict):
    tracking_uri: str = Field(
        "sqlite:///mlflow.db", description="Default MLflow tracking URI for every model."
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
        default_factory=list, description="Columns whose values define segments (a column may "
        "also be the label or another role)."
    )
    ids: list[str] = Field(
        default_factory=list, description="Identifier columns: never tested as features."
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
        default_factory=MlflowDefaults, description="Defaults for reading MLflow stores."
    )
    models: list[ModelEntry] = Field(description="Every documented model.")
