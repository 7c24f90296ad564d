"""Read a model's training guide (`<model folder>/training.yaml`), if it has one."""

from __future__ import annotations

from pathlib import Path

from govkit.errors import Problem
from govkit.model import TrainingGuideRecord
from govkit.schemas.training import TrainingGuide
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import read_doc

GUIDE_NAME = "training.yaml"


def load_training_guide(
    folder: Path, root: Path, problems: list[Problem], limit: int
) -> TrainingGuideRecord | None:
    path = folder / GUIDE_NAME
    if not path.is_file():
        return None
    doc = read_doc(path, problems, limit)
    if doc is None:
        return None
    guide = validate_doc(TrainingGuide, doc, problems)
    if guide is None:
        return None
    return TrainingGuideRecord(guide, doc, path.relative_to(root).as_posix())
