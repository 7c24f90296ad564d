"""Two versions' predictions paired by row id, and the rows of one segment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from govkit.errors import PredictionsInputError
from govkit.sources.predictions import Predictions


@dataclass(frozen=True, eq=False)
class PairedPredictions:
    """Two versions' predictions on their common rows, aligned by row id (sorted ids)."""

    ids: npt.NDArray[np.str_]
    target: npt.NDArray[Any]
    candidate: Predictions  # restricted to the common rows, in the order of ids
    serving: Predictions
    only_candidate: int  # rows only the candidate scored
    only_serving: int

    @property
    def matched(self) -> int:
        return int(self.ids.shape[0])

    def segment(self, column: str, value: str) -> PairedPredictions:
        """The pairs in segment ``column=value`` (the counts of unpaired rows are the
        whole tables', not the segment's: an unpaired row's segment may be unknown)."""
        if column not in self.candidate.segments:
            raise KeyError(f"{column!r} is not a segment column of {self.candidate.source}")
        rows = np.flatnonzero(self.candidate.segments[column] == value)
        return PairedPredictions(self.ids[rows], self.target[rows],
                                 _subset(self.candidate, rows), _subset(self.serving, rows),
                                 self.only_candidate, self.only_serving)


def join_paired(candidate: Predictions, serving: Predictions) -> PairedPredictions:
    """Align two versions' predictions on the row ids both scored.

    The counts say how much could be paired. A shared row whose target, or value of a
    segment column both tables have, differs between the two files is an error: the
    versions were not scored on the same rows, so pairing them is void.
    """
    common, ic, js = np.intersect1d(candidate.ids, serving.ids, assume_unique=True,
                                    return_indices=True)
    cand, serv = _subset(candidate, ic), _subset(serving, js)
    if common.shape[0]:
        if cand.target.dtype.kind != serv.target.dtype.kind:
            raise PredictionsInputError.single(
                candidate.source, f"target is {_kind(cand.target)} here and "
                f"{_kind(serv.target)} in {serving.source}", field="target",
                hint="log the same labels for both versions")
        _same(cand.target, serv.target, common, "target", candidate, serving)
        for name in sorted(set(cand.segments) & set(serv.segments)):
            _same(cand.segments[name], serv.segments[name], common, f"column {name}",
                  candidate, serving)
    return PairedPredictions(common, cand.target, cand, serv,
                             candidate.rows - common.shape[0], serving.rows - common.shape[0])


def _same(here: npt.NDArray[Any], there: npt.NDArray[Any], ids: npt.NDArray[np.str_],
          what: str, candidate: Predictions, serving: Predictions) -> None:
    differ = np.flatnonzero(here != there)
    if differ.shape[0]:
        k = differ[0]
        raise PredictionsInputError.single(
            candidate.source, f"{differ.shape[0]:,} shared rows have another value in "
            f"{serving.source}, e.g. row id {str(ids[k])!r}: {_shown(here[k])} here, "
            f"{_shown(there[k])} there", field=what,
            hint="score both versions on the same labelled rows")


def _shown(value: Any) -> str:
    return repr(str(value)) if isinstance(value, str) else f"{float(value):g}"


def _subset(p: Predictions, idx: npt.NDArray[np.intp]) -> Predictions:
    return Predictions(p.source, p.ids[idx], p.target[idx],
                       None if p.prediction is None else p.prediction[idx],
                       None if p.score is None else p.score[idx],
                       {name: values[idx] for name, values in p.segments.items()})


def _kind(values: npt.NDArray[Any]) -> str:
    return "numbers" if values.dtype.kind == "f" else "text"
