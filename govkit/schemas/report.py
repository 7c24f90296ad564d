"""The JSON report of `govkit check` (`--json FILE`, `--format json`): its published shape."""


from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from govkit.schemas.severity import SeverityLevel

CheckStatus = Literal["pass", "fail", "warn", "no_range", "insufficient_data", "waived"]
Level = Literal["error", "warning", "note", "none"]

# How CI tools rank a status: a failed range is an error; a check that could not be
# evaluated is never a pass.
LEVELS: dict[str, Level] = {
    "fail": "error", "warn": "warning", "insufficient_data": "warning", "waived": "warning",
    "no_range": "note",
    "pass": "none",
}


class ReportedCheck(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str = Field(description="Stable check id: MODEL/VERSION/[segment/SEG/]METRIC, or "
                    "MODEL/live/WINDOW/[segment/SEG/]METRIC for a monitoring window.")
    model: str = Field(description="Model name.")
    version: str = Field(description="Release version (for a live check: the latest release).")
    kind: Literal["release", "monitoring", "governance", "dictionary", "training",
                  "architecture", "document"] = Field(
        description="What is checked: a release's or a monitoring window's documented metric, "
        "a governance rule (alerts, runbooks, incidents), a data dictionary, a training "
        "guide, an architecture, or a document's owner and freshness (a card, an experiment "
        "log, a version without a card) or whether it exports validly (MODEL/VERSION/export/"
        "TARGET).")
    dataset: str | None = Field(None, description="Data dictionary of a dictionary check.")
    window: str | None = Field(description="Monitoring window of a live check, else null.")
    metric: str = Field(description="Metric key, e.g. auc_roc.")
    label: str = Field(description="Display name of the metric.")
    segment: str | None = Field(description="Segment name, null for the aggregate.")
    value: float | None = Field(description="Measured value; null when there is none.")
    min: float | None = Field(description="Lowest allowed value, null when unbounded.")
    max: float | None = Field(description="Highest allowed value, null when unbounded.")
    exclusive: bool = Field(description="True: the value must be strictly inside the range.")
    range: str = Field(description="The range as people read it, e.g. '≥ 0.80'.")
    status: CheckStatus = Field(
        description="pass, fail, warn (fails only with --strict), no_range, insufficient_data "
        "or waived (a failure accepted until its waiver expires).")
    level: Level = Field(description="error (fail), warning (insufficient data, waived), "
                         "note (no documented range) or none (pass).")
    severity: SeverityLevel | None = Field(
        description="Alert severity when the source states one (live checks), else null.")
    message: str = Field(description="What was found, e.g. '0.70 is below ...'.")
    source: str = Field(
        description="File that documents the range, relative to the repository root "
        "(outside git: to the folder of govkit.yaml), as in every other report.")
    line: int | None = Field(description="Line of the range in that file (1-based).")


class CheckReport(BaseModel):
    """Every check of one `govkit check` run, in a stable order."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    schema_version: Literal[1] = Field(1, description="Report format version.")
    tool: Literal["govkit"] = "govkit"
    results: list[ReportedCheck] = Field(description="One entry per check.")
    counts: dict[CheckStatus, int] = Field(description="Number of checks per status.")
    failed: int = Field(description="Number of failed checks (exit code 1 when > 0).")
    warnings: int = Field(0, description="Number of warnings (failures under --strict).")
