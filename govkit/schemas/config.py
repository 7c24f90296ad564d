"""`govkit.yaml`: the project configuration."""

from __future__ import annotations

from pydantic import Field

from govkit.schemas.common import Slug, Strict, Text


class ModelEntry(Strict):
    name: Slug = Field(description="Model key used in paths and check ids, e.g. 'churn'.")
    path: str | None = Field(
        None, description="Folder with card.yaml and releases/, relative to govkit.yaml "
        "(default: <models_dir>/<name>)."
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
    models: list[ModelEntry] = Field(description="Every documented model.")
