"""One released model version: `releases/<version>.yaml`. govkit never rewrites a release."""


from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from govkit.formatting import slug
from govkit.schemas.card import DataDescription, ModelDetails
from govkit.schemas.common import (
    ORDER_RULE,
    FiniteFloat,
    FloatPair,
    IsoDate,
    Strict,
    Text,
    Url,
    Version,
    cross_field,
    empty_list,
    input_rule,
    require_order,
)
from govkit.schemas.predictions import PredictionColumns

MetricKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@%-]{0,63}$")]
Source = Literal["hand-written", "mlflow-run", "mlflow-registry", "training-log", "monitoring"]


class MetricValue(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(
        govkit_only=f"{ORDER_RULE}; ci low <= ci high"))

    value: FiniteFloat = Field(description="The measured value, e.g. 0.87.")
    min: FiniteFloat | None = Field(None, description="Lowest allowed value (inclusive).")
    max: FiniteFloat | None = Field(None, description="Highest allowed value (inclusive).")
    exclusive: bool = Field(
        False, description="True: the value must be strictly inside (> min, < max)."
    )
    label: str | None = Field(None, description="Display name; defaults to the card's label.")
    ci: FloatPair | None = Field(
        None, description="Confidence interval [low, high] of the value."
    )
    sample_size: int | None = Field(None, ge=0, description="Rows the value was measured on.")
    source: Source = Field("hand-written", description="Where the value came from.")
    range_source: Source = Field("hand-written", description="Where min/max came from.")

    @model_validator(mode="after")
    def _consistent(self) -> "MetricValue":
        require_order(self.min, self.max)
        if self.ci is not None and self.ci[0] > self.ci[1]:
            raise ValueError(f"ci low ({self.ci[0]}) is greater than ci high ({self.ci[1]})")
        return self


class Segment(Strict):
    name: Text = Field(description="Segment name, e.g. 'New Users'.")
    description: str | None = Field(None, description="How the segment is defined.")
    size: str | None = Field(None, description="Share or count of users, e.g. '8% of users'.")
    metrics: dict[MetricKey, MetricValue] = Field(
        description="Metrics measured on the segment.", json_schema_extra={"minProperties": 1}
    )

    @field_validator("metrics")
    @classmethod
    def _some_metrics(cls, value: dict[str, MetricValue]) -> dict[str, MetricValue]:
        if not value:
            raise input_rule("a segment needs at least one metric",
                             "add one, e.g. 'auc: {value: 0.8}'")
        return value


def segment_names(column: str, value: str) -> tuple[str, str]:
    """Release segment names that document the monitored segment ``column=value``: the value
    itself ('New Users') or the full 'column=value'."""
    return value, f"{column}={value}"


def documented_segment(segments: list[Segment], live: str) -> int | None:
    """Index of the release segment documenting a live segment label 'column=value'."""
    column, _, value = live.partition("=")
    names = segment_names(column, value)
    for name in names:
        for index, segment in enumerate(segments):
            if segment.name == name:
                return index
    return None


class AliasSpan(Strict):
    """When `govkit ingest` first saw an alias on this version, and when it saw it gone
    (MLflow keeps no alias history)."""

    alias: str = Field(description="The MLflow alias, e.g. 'champion'.")
    since: str = Field(description="ISO time of the first ingest that saw the alias here.")
    until: str | None = Field(
        None, description="ISO time of the first ingest that saw it elsewhere or gone."
    )


class RegistryInfo(Strict):
    """The MLflow model-registry version a release was ingested from (mlflow-registry)."""

    version: str | None = Field(None, description="The registered model version, e.g. '3'.")
    aliases: list[str] = Field(default_factory=empty_list,
        description="Aliases on this version at the last ingest.")
    alias_history: list[AliasSpan] = Field(
        default_factory=empty_list, description="Aliases as govkit observed them over time."
    )
    stage: str | None = Field(
        None, description="MLflow's legacy stage (Staging, Production, Archived), if set."
    )
    deleted: bool = Field(
        False, description="True: the version is no longer in the registry (record kept)."
    )
    description: str | None = Field(None,
        description="The model version's description in the registry.")
    tags: dict[str, str] = Field(default_factory=dict,
        description="The model version's tags in the registry.")
    created: str | None = Field(None, description="ISO time the version was registered.")
    updated: str | None = Field(
        None,
        description="ISO time the registry last changed the version, not counting `govkit "
        "publish mlflow`'s own writes; `govkit ingest --all` reads a version's run again only "
        "when this or another registry fact differs.",
    )
    model_id: str | None = Field(None, description="MLflow 3's logged model id of this version.")
    source: str | None = Field(None, description="Portable model URI, e.g. models:/m-1.")
    status: str | None = Field(None,
        description="The registry's status of the version, e.g. READY.")


class RunInfo(Strict):
    """The training run behind a release (mlflow-run)."""

    id: str | None = Field(None, description="MLflow run id.")
    name: str | None = Field(None, description="MLflow run name.")
    experiment_id: str | None = Field(None, description="Id of the run's MLflow experiment.")
    start_time: str | None = Field(None, description="ISO time the run started.")
    end_time: str | None = Field(None, description="ISO time the run ended.")
    duration_s: float | None = Field(None, description="Run duration in seconds.")
    user: str | None = Field(None, description="Who started the run.")
    git_commit: str | None = Field(None,
        description="Source commit of the training code (mlflow.source.git.commit).")
    source_name: str | None = Field(None,
        description="Entry point or notebook that ran (mlflow.source.name).")
    status: str | None = Field(None, description="The run's status, e.g. FINISHED.")
    tags: dict[str, str] = Field(default_factory=dict,
        description="The run's tags, without MLflow's own mlflow.* tags.")


class DatasetInput(Strict):
    """A dataset logged as an input of the training run (mlflow-run)."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)

    name: str | None = Field(None, description="Dataset name as logged to MLflow.")
    digest: str | None = Field(None, description="MLflow's content digest of the dataset.")
    source_type: str | None = Field(None,
        description="Kind of source, e.g. local, s3, delta_table.")
    source: Any = Field(None, description="Where the data came from (MLflow's JSON or text).")
    schema_: Any = Field(None, alias="schema", description="Column schema as MLflow logged it.")
    profile: Any = Field(None, description="MLflow's dataset profile, e.g. num_rows.")
    context: str | None = Field(None, description="training, validation, ...")


class SignatureField(Strict):
    name: str | None = Field(None, description="Column name (none for an unnamed tensor).")
    type: str | None = Field(None, description="MLflow type, e.g. double, long, string.")
    required: bool = Field(True, description="Whether the model requires the column.")


class Signature(Strict):
    """Input and output schema of the registered model (its MLmodel file)."""

    inputs: list[SignatureField] = Field(default_factory=empty_list,
        description="Input columns of the model signature.")
    outputs: list[SignatureField] = Field(default_factory=empty_list,
        description="Output columns of the model signature.")


class PredictionCounts(Strict):
    """Rows of a predictions table (in one segment or in all), for the gate's standard errors."""

    rows: int = Field(ge=0, description="Scored rows.")
    positives: int | None = Field(None, ge=0, description="Rows whose target is 1.")
    negatives: int | None = Field(None, ge=0, description="Rows whose target is 0.")


class PredictionsRecord(PredictionCounts):
    """The row-level predictions of the release's run, as `govkit ingest` found them."""

    artifact: str = Field(description="Path of the artifact inside the run.")
    run_id: str = Field(description="The MLflow run that logged it.")
    columns: PredictionColumns | None = Field(
        None, description="The column names it was read with (models[].mlflow.predictions."
        "columns): a change of them makes `ingest` read it again.")
    segments: dict[str, PredictionCounts] = Field(
        default_factory=dict, description="Counts per segment 'column=value'."
    )


class Training(Strict):
    """Where the release came from: filled by `govkit ingest`, optional when hand-written."""

    source: Literal["mlflow", "csv-log", "jsonl-log", "hand-written"] = Field("hand-written",
        description="Where the provenance came from: MLflow, a training log, or hand-written.")
    tracking_uri: Url | None = Field(None,
        description="MLflow tracking URI the record was read from (usually left to govkit.yaml).")
    registered_model: str | None = Field(None,
        description="The MLflow registered model this version belongs to.")
    log_file: str | None = Field(None,
        description="Training log (Keras/Lightning CSV or JSON lines) the record was read from.")
    registry: RegistryInfo | None = Field(None,
        description="Registry facts of the version: aliases, stage, tags, times.")
    run: RunInfo | None = Field(None,
        description="The training run: id, times, user, source commit.")
    params: dict[str, str] = Field(default_factory=dict,
        description="The run's parameters (hyperparameters) as strings.")
    metric_history: dict[str, dict[str, list[float]]] = Field(default_factory=dict,
        description="Each logged metric's history: step and value lists, drawn as training curves.")
    datasets: list[DatasetInput] = Field(default_factory=empty_list,
        description="The run's MLflow dataset inputs.")
    signature: Signature | None = Field(None, description="The logged model's signature.")
    artifacts: list[str] = Field(default_factory=empty_list,
                                 description="Artifact paths the run logged.")
    registered_model_description: str | None = Field(
        None, description="The registered model's description in the MLflow registry."
    )
    experiment_name: str | None = Field(None, description="The MLflow experiment of the run.")
    signature_error: str | None = Field(
        None, description="Why the model's signature could not be read (its MLmodel file)."
    )
    predictions: PredictionsRecord | None = Field(
        None, description="Row-level predictions of the run (models[].mlflow.predictions), "
        "which the release gate pairs with the serving version's."
    )


class Release(Strict):
    model_config = ConfigDict(json_schema_extra=cross_field(
        govkit_only="version equals the file name (releases/VERSION.yaml); segment names "
        "differ (also once made slugs: 'New Users' and 'new-users' are one)"))

    version: Version = Field(description="Version; must match the file name, e.g. '2.3.0'.")
    date: IsoDate = Field(description="Release date, e.g. 2024-01-15.")
    stage: Literal["development", "staging", "production", "archived"] | None = Field(
        None, description="Lifecycle stage of this version."
    )
    description: str | None = Field(None, description="What this version is.")
    changes: list[Text] = Field(default_factory=empty_list,
                                description="What changed since the last.")
    model_details: ModelDetails | None = Field(
        None, description="Overrides the card's model details for this version."
    )
    training_data: DataDescription | None = Field(
        None, description="Overrides the card's training data for this version."
    )
    evaluation_data: DataDescription | None = Field(
        None, description="Overrides the card's evaluation data for this version."
    )
    metrics: dict[MetricKey, MetricValue] = Field(
        default_factory=dict, description="Metrics with values and allowed ranges."
    )
    segments: list[Segment] = Field(
        default_factory=empty_list, description="Per-segment metrics shown beside the aggregate."
    )
    training: Training | None = Field(None, description="Provenance from training logs.")

    @model_validator(mode="after")
    def _unique_segments(self) -> "Release":
        """Pages and check ids know a segment by its slug: two would share rows."""
        first: dict[str, int] = {}
        errors: list[InitErrorDetails] = []
        for index, segment in enumerate(self.segments):
            other = first.setdefault(slug(segment.name), index)
            if other != index:
                was = self.segments[other].name
                also = f"segments[{other}]" + ("" if was == segment.name else f" as {was!r}")
                errors.append(InitErrorDetails(
                    type=input_rule(f"duplicate segment {segment.name!r} (also {also})",
                                    "give each segment its own name"),
                    loc=("segments", index, "name"), input=segment.name))
        if errors:
            raise ValidationError.from_exception_data("Release", errors)
        return self
