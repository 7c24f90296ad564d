"""Import the data-drift part of an Evidently JSON report into a MonitoringResult.

Two formats. Legacy (0.4-0.6, ``evidently.legacy``): ``metrics[].result.drift_by_columns``
(DataDriftTable, or DataDriftPreset's table) and ``DatasetDriftMetric``, whose own
``drift_detected`` decides. Current (0.7, ``Report([DataDriftPreset()]).run(...)``,
``save_json``): ``ValueDrift`` metrics (column, method, threshold, value) and
``DriftedColumnsCount`` (count, share, drift_share), decided by Evidently's own rule: a p-value
method drifts when value < threshold, a distance when value >= threshold (energy distance:
>), the dataset when share >= drift_share. govkit's rules are not applied to imported verdicts.
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


_NUMERIC = ("k-s", "wasserstein", "anderson", "t_test", "mannw", "energy", "ed", "es",
            "cramer_von_mises", "mmd")
_CATEGORICAL = ("chi-square", "chisquare", "z-test", "z", "fisher", "g_test", "tvd")


def _v2_kind(method: str) -> str:
    m = method.lower()
    if m.startswith(_NUMERIC):
        return "numeric"
    if m.startswith(_CATEGORICAL):
        return "categorical"
    return "unknown"


def _v2_finding(config: Mapping[str, Any], value: Any, severity: str) -> Finding:
    method, threshold = str(config.get("method", "unknown")), config.get("threshold")
    score = float(value)
    is_p = "p_value" in method
    if threshold is None:
        drift, rule = False, "no threshold in the report"
    elif is_p:
        drift, rule = score < threshold, f"Evidently: drift when p < {threshold}"
    elif method.lower().startswith(("energy", "ed")):
        drift, rule = score > threshold, f"Evidently: drift when distance > {threshold}"
    else:
        drift, rule = score >= threshold, f"Evidently: drift when score >= {threshold}"
    return Finding(
        feature=str(config.get("column", "?")), kind=_v2_kind(method), test=f"evidently:{method}",
        statistic=None if is_p else score, p_value=score if is_p else None,
        effect_size=None if is_p else score, effect_size_name=None if is_p else method,
        thresholds={} if threshold is None else {"p_value" if is_p else "distance": threshold},
        status="drift" if drift else "ok", severity=severity if drift else "none",
        detail={"verdict": rule},
    )


def _v2_findings(metrics: list[Any], rules: Rules) -> list[Finding]:
    """Findings of an Evidently 0.7 report (``config.type`` ``evidently:metric_v2:*``)."""
    out: list[Finding] = []
    severity = rules.severity.drift_significant
    for metric in metrics:
        config = (metric.get("config") or {}) if isinstance(metric, Mapping) else {}
        kind = str(config.get("type", "")).rpartition(":")[2]
        value = metric.get("value") if isinstance(metric, Mapping) else None
        if kind == "ValueDrift" and isinstance(value, int | float):
            out.append(_v2_finding(config, value, severity))
        elif kind == "DriftedColumnsCount" and isinstance(value, Mapping):
            share, limit = float(value.get("share", 0.0)), float(config.get("drift_share", 0.5))
            drift = share >= limit
            out.append(Finding(
                feature="(dataset)", kind="dataset", test="evidently:share_of_drifted_columns",
                statistic=share, thresholds={"drift_share": limit},
                status="drift" if drift else "ok", severity=severity if drift else "none",
                detail={"number_of_drifted_columns": int(value.get("count", 0)),
                        "verdict": f"Evidently: dataset drift when share >= {limit}"}))
    return out


def _is_v2(metrics: list[Any]) -> bool:
    return any(isinstance(m, Mapping) and str((m.get("config") or {}).get("type", ""))
               .startswith("evidently:metric_v2:") for m in metrics)


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
    if _is_v2(metrics):
        for f in _v2_findings(metrics, rules):
            if f.kind == "dataset":
                dataset.append(f)
            else:
                by_column[f.feature] = f
    for metric in metrics if not _is_v2(metrics) else []:
        if not isinstance(metric, Mapping):
            continue
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
            "Evidently report has no drift results (legacy DataDriftTable or "
            "DatasetDriftMetric; 0.7 ValueDrift or DriftedColumnsCount)", path=current_path,
            hint="save a report with DataDriftPreset (Report([DataDriftPreset()]) in 0.7)")
    findings = sorted([*by_column.values(), *dataset], key=lambda f: (f.feature, f.test))
    return MonitoringResult(
        model=model,
        window=window,
        reference=WindowDescriptor(path=reference_path, source="evidently"),
        current=WindowDescriptor(path=current_path, source="evidently"),
        psi_method="not computed by govkit: statistics imported from an Evidently report",
        ks_method="Evidently's stattest per column (see each finding's test name); verdicts "
        "are Evidently's own, with its thresholds, not govkit's rules",
        features=findings,
        recommended_action=RecommendedAction(action="continue monitoring"),
        drifted_features=sorted(f.feature for f in by_column.values() if f.status == "drift"),
        max_severity=worst_severity(f.severity for f in findings),
    )
