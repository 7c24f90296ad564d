"""What the release gate compares: the metric kinds of card keys, and both versions'
predictions on their shared rows (plain arrays, built by the command from sources/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from govkit.errors import InputError
from govkit.model import ModelRecord

KINDS = ("accuracy", "error_rate", "precision", "recall", "f1", "roc_auc", "log_loss")
SCORE_KINDS = ("roc_auc", "log_loss")


@dataclass(frozen=True, eq=False)
class GateRows:
    """Both versions' predictions on the row ids both scored, aligned row by row."""

    target: Any
    candidate_prediction: Any | None
    serving_prediction: Any | None
    candidate_score: Any | None
    serving_score: Any | None
    segments: dict[str, Any]  # segment column -> value per shared row
    only_candidate: int
    only_serving: int

    @property
    def n(self) -> int:
        return int(self.target.shape[0])

    def columns(self, kind: str) -> tuple[Any, Any] | None:
        """(candidate, serving) arrays the kind's test needs, None if a table lacks them."""
        pair = ((self.candidate_score, self.serving_score) if kind in SCORE_KINDS
                else (self.candidate_prediction, self.serving_prediction))
        return None if pair[0] is None or pair[1] is None else pair

    def segment(self, name: str) -> tuple[GateRows | None, str]:
        """The rows of release segment `name` ('column=value' or a value of one segment
        column), or None and why not."""
        column, sep, value = name.partition("=")
        if sep:
            if column not in self.segments:
                return None, f"no segment column {column!r} in the predictions"
            columns = [column]
        else:
            value = name
            columns = [c for c, v in sorted(self.segments.items()) if bool(np.any(v == value))]
            if not columns:
                return None, f"no row of the predictions has segment value {name!r}"
            if len(columns) > 1:
                return None, (f"{name!r} is a value of columns {', '.join(columns)}: name the "
                              f"segment 'column={name}'")
        keep = self.segments[columns[0]] == value
        if not bool(np.any(keep)):
            return None, f"no shared row has {columns[0]}={value}"

        def cut(a: Any) -> Any:
            return None if a is None else a[keep]

        return GateRows(self.target[keep], cut(self.candidate_prediction),
                        cut(self.serving_prediction), cut(self.candidate_score),
                        cut(self.serving_score),
                        {c: v[keep] for c, v in self.segments.items()},
                        self.only_candidate, self.only_serving), ""


def metric_kind(model: ModelRecord, key: str) -> str | None:
    """What card metric `key` is: its `kind`, else the live metric mapped to it in
    models[].monitoring.metrics, else the key itself when it names a kind; None when
    unknown. Two answers that disagree are refused (exit 2), never guessed between."""
    definition = model.card.metrics.get(key)
    stated = definition.kind if definition else None
    monitoring = model.entry.monitoring if model.entry else None
    mapped = sorted({live for live, card_key in (monitoring.metrics if monitoring else {})
                     .items() if card_key == key and live in KINDS})
    if len(mapped) > 1:
        raise InputError.single(
            "govkit.yaml", f"card metric {key!r} is the target of {' and '.join(mapped)}",
            field=f"models[{model.name}].monitoring.metrics",
            hint=f"map one live metric to {key!r}, or set metrics.{key}.kind in "
            f"{model.card_source}")
    if stated and mapped and mapped[0] != stated:
        raise InputError.single(
            model.card_source, f"kind {stated!r} disagrees with govkit.yaml, which maps "
            f"{mapped[0]!r} to {key!r}", field=f"metrics.{key}.kind",
            hint="make the two agree")
    return stated or (mapped[0] if mapped else None) or (key if key in KINDS else None)
