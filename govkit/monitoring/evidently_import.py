"""Import the data-drift part of an Evidently (>= 0.4) JSON report into a MonitoringResult.

Reads ``metrics[].result.drift_by_columns`` (DataDriftTable, or DataDriftPreset's table) and
``DatasetDriftMetric``. A ``drift_score`` is a p-value when the test name says ``p_value``
(drift when below the threshold), else a distance (drift at or above it); Evidently's own
``drift_detected`` decides the status either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govkit.errors import MonitoringInputError
from govkit.schemas.monitoring import (
    Finding,
    MonitoringResult,
    RecommendedAction,
    WindowDescriptor,
)
from govkit.schemas.rules import Rules
from govkit.schemas.severity import worst_severity

KINDS = {"num": "numeric", "cat": "categorical", "text": "text", "datetime": "datetime"}


def _finding(column: str, entry: Mapping[str, Any], severity: str) -> Finding:
    test = str(entry.get("stattest_name", "unknown"))
    score = entry.get("drift_score")
    threshold = entry.get("stattest_threshold")
    is_p = "p_value" in test
    drift = bool(entry.get("drift_detected", False))
    return Finding(
        feature=str(entry.get("column_name", column)),
        kind=KINDS.get(str(entry.get("column_type")), str(entry.get("column_type", "unknown"))),
        test=f"evidently:{test}",
        statistic=None if is_p or score is None else float(score),
        p_value=float(score) if is_p and score is not None else None,
        effect_size=None if is_p or score is None else float(score),
        effect_size_name=None if is_p else test,
        thresholds={} if threshold is None else {"p_value" if is_p else "distance": threshold},
        status="drift" if drift else "ok",
        severity=severity if drift else "none",
    )


def import_evidently_report(
    report: Mapping[str, Any],
    *,
    model: str,
    window: str,
    reference_path: str | None = None,
    current_path: str | None = None,
    rules: Rules | None = None,
) -> MonitoringResult:
    """Map an Evidently report (parsed JSON) onto the govkit result schema."""
    rules = rules or Rules()
    metrics = report.get("metrics")
    if not isinstance(metrics, list):
        raise MonitoringInputError("not an Evidently report: no 'metrics' list", path=current_path)
    by_column: dict[str, Finding] = {}
    dataset: list[Finding] = []
    for metric in metrics:
        result = metric.get("result") or {}
        for column, entry in sorted((result.get("drift_by_columns") or {}).items()):
            by_column[column] = _finding(column, entry, rules.severity.drift_significant)
        if metric.get("metric") == "DatasetDriftMetric" and "share_of_drifted_columns" in result:
            drift = bool(result.get("dataset_drift", False))
            dataset.append(
                Finding(
                    feature="(dataset)",
                    kind="dataset",
                    test="evidently:share_of_drifted_columns",
                    statistic=float(result["share_of_drifted_columns"]),
                    thresholds={"drift_share": float(result.get("drift_share", 0.5))},
                    status="drift" if drift else "ok",
                    severity=rules.severity.drift_significant if drift else "none",
                    detail={
                        "number_of_columns": result.get("number_of_columns"),
                        "number_of_drifted_columns": result.get("number_of_drifted_columns"),
                    },
                )
            )
    if not by_column and not dataset:
        raise MonitoringInputError(
            "Evidently report has no DataDriftTable or DatasetDriftMetric result",
            path=current_path)
    findings = sorted([*by_column.values(), *dataset], key=lambda f: (f.feature, f.test))
    return MonitoringResult(
        model=model,
        window=window,
        reference=WindowDescriptor(path=reference_path, source="evidently"),
        current=WindowDescriptor(path=current_path, source="evidently"),
        psi_method="not computed by govkit: statistics imported from an Evidently report",
        ks_method="Evidently's stattest per column (see each finding's test name)",
        features=findings,
        recommended_action=RecommendedAction(action="continue monitoring"),
        drifted_features=sorted(f.feature for f in by_column.values() if f.status == "drift"),
        max_severity=worst_severity(f.severity for f in findings),
    )
