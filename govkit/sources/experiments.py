"""Read experiment logs: `<experiments_dir>/<name>/log.yaml` (written by
`govkit ingest-experiment`) and the team's `decision.yaml` beside it."""

from __future__ import annotations

from pathlib import Path

from govkit.errors import Problem
from govkit.formatting import display_path
from govkit.model import ExperimentRecord, YamlDoc
from govkit.schemas.config import Config, ExperimentEntry
from govkit.schemas.experiment import DecisionRecord, ExperimentLog
from govkit.sources.files import max_bytes
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import read_doc

LOG_NAME = "log.yaml"
DECISION_NAME = "decision.yaml"


def experiment_folder(root: Path, config: Config, entry: ExperimentEntry) -> Path:
    return root / (entry.path or f"{config.experiments_dir}/{entry.name}")


def load_experiments(
    root: Path, config: Config, config_doc: YamlDoc, models: set[str], problems: list[Problem]
) -> list[ExperimentRecord]:
    records: list[ExperimentRecord] = []
    limit = max_bytes(config.limits.max_file_mb)
    for index, entry in enumerate(config.experiments):
        at = ("experiments", index)
        line = config_doc.line_of(at)
        if any(r.name == entry.name for r in records):
            problems.append(Problem(config_doc.path, line, f"experiments[{index}].name",
                                    f"experiment '{entry.name}' is declared twice", "keep one"))
            continue
        if entry.model is not None and entry.model not in models:
            problems.append(Problem(config_doc.path, config_doc.line_of((*at, "model")),
                                    f"experiments[{index}].model",
                                    f"no model '{entry.model}' in govkit.yaml",
                                    "use one of: " + (", ".join(sorted(models)) or "none")))
            continue
        folder = experiment_folder(root, config, entry).resolve()
        log_path = folder / LOG_NAME
        if not log_path.is_file():
            problems.append(Problem(config_doc.path, line, f"experiments[{index}]",
                                    f"experiment '{entry.name}' has no {display_path(log_path)}",
                                    f"run `govkit ingest-experiment {entry.name}` and commit it"))
            continue
        log_doc = read_doc(log_path, problems, limit)
        log = validate_doc(ExperimentLog, log_doc, problems) if log_doc else None
        decision_path = folder / DECISION_NAME
        decision_doc = read_doc(decision_path, problems, limit) \
            if decision_path.is_file() else None
        decision = validate_doc(DecisionRecord, decision_doc, problems) \
            if decision_doc else None
        if log is None or (decision_doc is not None and decision is None):
            continue
        records.append(ExperimentRecord(
            entry.name, entry, log, _rel(log_path, root), decision,
            decision_doc if decision is not None else None, _rel(decision_path, root)))
    return records


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
