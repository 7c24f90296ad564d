"""Where a model's runs log row-level predictions, for the paired release gate.

`models[].mlflow.predictions` (or the project-wide `mlflow.predictions`) in govkit.yaml.
"""


import re

from pydantic import ConfigDict, Field, field_validator, model_validator

from govkit.schemas.common import Strict, Text, cross_field, empty_list

ARTIFACT_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")
SUFFIXES = (".json", ".csv", ".parquet")
# the same rule for JSON Schema (ECMAScript regex has no inline (?i))
SUFFIX_PATTERN = r"\.([Jj][Ss][Oo][Nn]|[Cc][Ss][Vv]|[Pp][Aa][Rr][Qq][Uu][Ee][Tt])$"
DEFAULT_MAX_ROWS = 2_000_000


class PredictionColumns(Strict):
    """Column names in the predictions table."""

    model_config = ConfigDict(json_schema_extra=cross_field(
        {"not": {"required": ["prediction", "score"], "properties": {
            "prediction": {"type": "null"}, "score": {"type": "null"}}}},
        govkit_only="row_id, target, prediction, score and segments name different columns"))

    row_id: Text = Field("row_id", description="Row identifier shared by both versions' "
                         "predictions (integers or text); rows are paired by it.")
    target: Text = Field("target", description="True label (number, boolean or text).")
    prediction: Text | None = Field(
        "prediction", description="Predicted label, for accuracy-type metrics; null if the "
        "table has only scores.")
    score: Text | None = Field(
        "score", description="Predicted probability or score of the positive class, for AUC "
        "and log loss; null if the table has only labels.")
    segments: list[Text] = Field(
        default_factory=empty_list,
        description="Columns whose values name segments, e.g. ['plan']: "
        "the release's segment 'plan=basic' (or 'basic') is compared on the rows whose plan is "
        "basic.")

    @model_validator(mode="after")
    def _distinct(self) -> "PredictionColumns":
        names = [n for n in (self.row_id, self.target, self.prediction, self.score,
                             *self.segments) if n]
        if len(set(names)) != len(names):
            raise ValueError("row_id, target, prediction, score and segments must name "
                             "different columns")
        if self.prediction is None and self.score is None:
            raise ValueError("set prediction, score or both: the gate needs one to compare")
        return self


class PredictionsSource(Strict):
    """A run artifact with one row per scored example: MLflow's `eval_results_table.json`
    (what `mlflow.log_table` and `mlflow.evaluate` write) or a CSV or Parquet file."""

    artifact: str = Field(
        "eval_results_table.json",
        json_schema_extra={"allOf": [{"pattern": ARTIFACT_RE.pattern},
                                     {"pattern": SUFFIX_PATTERN}]},
        description="Path of the artifact inside the run, e.g. "
        "'eval_results_table.json' or 'eval/predictions.csv' (.json, .csv or .parquet).")
    columns: PredictionColumns = Field(default_factory=PredictionColumns,
                                       description="Column names in that table.")
    max_rows: int = Field(DEFAULT_MAX_ROWS, gt=0, description="Largest table read, in rows; "
                          "a bigger one is refused (exit 2) rather than read.")

    @field_validator("artifact")
    @classmethod
    def _relative(cls, value: str) -> str:
        if not ARTIFACT_RE.match(value) or ".." in value.split("/"):
            raise ValueError(f"{value!r} is not a path inside the run: use a relative path "
                             "of letters, digits, '_', '-', '.' and '/', e.g. "
                             "'eval/predictions.csv'")
        if not value.lower().endswith(SUFFIXES):
            raise ValueError(f"{value!r}: predictions must be a .json table, .csv or .parquet")
        return value
