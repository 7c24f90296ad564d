"""What a window's label, score and other role columns give: measured performance (per
segment, against baselines), the CBPE estimate, the reference-model comparison and proxies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from govkit.errors import MonitoringInputError
from govkit.monitoring import columns as colmod
from govkit.monitoring.estimated import estimate
from govkit.monitoring.evaluation import Baselines, evaluate
from govkit.monitoring.performance import LabelError, binary_labels
from govkit.monitoring.proxies import proxy_metric
from govkit.monitoring.reference_model import compare as compare_models
from govkit.monitoring.roles import Roles
from govkit.schemas import profile as shapes
from govkit.schemas.monitoring import (
    EstimatedMetric,
    Finding,
    PerformanceMetric,
    RecommendedAction,
    SegmentRow,
)
from govkit.schemas.rules import Rules

Columns = Mapping[str, list[pa.Array]]


@dataclass
class Live:
    metrics: list[PerformanceMetric] = field(default_factory=list)
    segments: list[SegmentRow] = field(default_factory=list)
    action: RecommendedAction = field(
        default_factory=lambda: RecommendedAction(action="continue monitoring"))
    estimated: list[EstimatedMetric] = field(default_factory=list)
    versus_reference: list[Finding] = field(default_factory=list)


def live_results(
    cols: Columns, roles: Roles, baselines: Baselines,
    proxies: Mapping[str, tuple[str, str, str | None]], rules: Rules, path: str,
) -> Live:
    out = Live()
    if roles.predictions and roles.labels:
        out.metrics, out.segments, out.action = _performance(
            cols, roles.predictions, roles.labels, roles.segments, baselines, rules, path)
    out.estimated = _estimated(cols, roles.predictions, out.metrics, rules, path)
    for name, (column, statistic, stands_for) in sorted(proxies.items()):
        table = pa.table({column: _concat(cols, column)})
        out.metrics.append(proxy_metric(name, colmod.numeric_array(table, column, path),
                                        statistic, column, stands_for, rules.confidence))
    if roles.predictions and roles.reference_predictions:
        out.versus_reference = _versus_reference(
            cols, roles.predictions, roles.reference_predictions, rules, path)
    return out


def _concat(cols: Columns, name: str) -> pa.Array:
    return pa.concat_arrays(cols[name]) if cols[name] else pa.array([])


def labels_pending(
    reference: pa.Table | shapes.ReferenceProfile, schema: pa.Schema, labels: str | None,
) -> str | None:
    """The label column when the reference has it but this window not yet (labels arrive
    later); a name in neither window is a typo and stays an error."""
    if not labels or labels in schema.names:
        return None
    in_reference = (labels in reference.column_names if isinstance(reference, pa.Table)
                    else True)  # a profile does not keep the label column
    return labels if in_reference else None


def _estimated(
    cols: Mapping[str, list[pa.Array]], predictions: str | None,
    measured: list[PerformanceMetric], rules: Rules, path: str,
) -> list[EstimatedMetric]:
    """CBPE from a score column in [0, 1] (not from a 0/1 class column), with the measured
    overall value beside each estimate when the window has labels."""
    if not predictions or not cols.get(predictions):
        return []
    table = pa.table({predictions: pa.concat_arrays(cols[predictions])})
    scores = colmod.numeric_array(table, predictions, path)
    scores = scores[~np.isnan(scores)]
    if not scores.shape[0] or scores.min() < 0 or scores.max() > 1:
        return []
    if np.all((scores == 0) | (scores == 1)):
        return []
    overall = {m.name: m.value for m in measured if m.segment is None}
    return [EstimatedMetric(name=e.name, value=e.value, ci_low=e.low, ci_high=e.high,
                            confidence=rules.confidence if e.low is not None else None,
                            sample_size=int(scores.shape[0]), measured=overall.get(e.name))
            for e in estimate(scores, rules.decision_threshold, rules.confidence)]


def _versus_reference(
    cols: Mapping[str, list[pa.Array]], predictions: str, reference: str, rules: Rules,
    path: str,
) -> list[Finding]:
    table = pa.table({c: pa.concat_arrays(cols[c]) for c in (predictions, reference)})
    return compare_models(colmod.numeric_array(table, predictions, path),
                          colmod.numeric_array(table, reference, path), predictions, reference,
                          rules)


def _performance(
    cols: Mapping[str, list[pa.Array]],
    predictions: str,
    labels: str,
    segments: Sequence[str],
    baselines: Baselines,
    rules: Rules,
    path: str,
) -> tuple[list[PerformanceMetric], list[SegmentRow], RecommendedAction]:
    def col(name: str) -> pa.Array:
        return pa.concat_arrays(cols[name]) if cols[name] else pa.array([])

    y_arr, s_arr = col(labels), col(predictions)
    keep = np.asarray(y_arr.is_valid().to_numpy(zero_copy_only=False)) & np.asarray(
        s_arr.is_valid().to_numpy(zero_copy_only=False)
    )
    if pa.types.is_boolean(y_arr.type) and y_arr.null_count:  # nullable boolean labels:
        y_arr = y_arr.fill_null(False)  # the nulls are dropped by `keep`; numpy keeps bool
    try:
        y = binary_labels(np.asarray(y_arr.to_numpy(zero_copy_only=False))[keep])
    except LabelError as exc:
        raise MonitoringInputError(
            str(exc), path=path, column=labels, hint="binary metrics need labels 0/1 or true/false"
        ) from exc
    table = pa.table({predictions: s_arr})
    scores = colmod.numeric_array(table, predictions, path)[keep]
    seg = {c: [v for v, k in zip(col(c).to_pylist(), keep, strict=True) if k] for c in segments}
    return evaluate(y, scores, seg, baselines, rules)
