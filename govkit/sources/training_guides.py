"""Read a model's training guide (`<model folder>/training.yaml`), if it has one."""

from __future__ import annotations

from pathlib import Path

from govkit.errors import InputError, Problem
from govkit.formatting import display_path
from govkit.model import TrainingGuideRecord
from govkit.schemas.training import TrainingGuide
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import load_yaml

GUIDE_NAME = "training.yaml"


def load_training_guide(
    folder: Path, root: Path, problems: list[Problem]
) -> TrainingGuideRecord | None:
    path = folder / GUIDE_NAME
    if not path.is_file():
        return None
    try:
        doc = load_yaml(path, display_path(path))
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    guide = validate_doc(TrainingGuide, doc, problems)
    if guide is None:
        return None
    return TrainingGuideRecord(guide, doc, path.relative_to(root).as_posix())
