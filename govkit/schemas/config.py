"""`govkit.yaml`: the project configuration."""

from __future__ import annotations

from pydantic import Field

from govkit.schemas.common import Slug, Strict, Text


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


class ModelEntry(Strict):
    name: Slug = Field(description="Model key used in paths and check ids, e.g. 'churn'.")
    path: str | None = Field(
        None, description="Folder with card.yaml and releases/, relative to govkit.yaml "
        "(default: <models_dir>/<name>)."
    )
    mlflow: MlflowSource | None = Field(
        None, description="MLflow source of `govkit ingest` (registered model, tracking URI)."
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
