"""Reference-model comparison (the chapter's strategy for delayed labels): production scores
against a reference model's scores on the same rows.

Three numbers, each against a threshold in the rules: the share of rows where both models
predict the same class at the decision threshold (agreement), the Spearman rank correlation of
the scores (do they order users alike), and the mean absolute score difference.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from govkit.schemas.monitoring import Finding
from govkit.schemas.rules import Rules


def compare(
    production: np.ndarray, reference: np.ndarray, production_name: str, reference_name: str,
    rules: Rules,
) -> list[Finding]:
    """Findings on the rows where both scores are present; none if no such row."""
    keep = ~(np.isnan(production) | np.isnan(reference))
    p, r = production[keep], reference[keep]
    n = int(p.shape[0])
    if n == 0:
        return []
    t = rules.decision_threshold
    agreement = float(np.mean((p >= t) == (r >= t)))
    rho = float(stats.spearmanr(p, r).statistic) if n > 2 else float("nan")
    mad = float(np.mean(np.abs(p - r)))
    feature = f"{production_name} vs {reference_name}"
    severity = rules.severity.prediction_drift
    few = n < rules.min_samples
    checks = [
        ("agreement", agreement, agreement < rules.reference_agreement,
         {"min_agreement": rules.reference_agreement}),
        ("rank_correlation", rho, not rho >= rules.reference_rank_correlation,
         {"min_rank_correlation": rules.reference_rank_correlation}),
        ("mean_abs_difference", mad, mad > rules.reference_mean_abs_difference,
         {"max_mean_abs_difference": rules.reference_mean_abs_difference}),
    ]
    out = []
    for test, value, alert, thresholds in checks:
        status = "insufficient_data" if few else ("drift" if alert else "ok")
        out.append(Finding(
            feature=feature, kind="reference_model", test=test,
            statistic=value if np.isfinite(value) else None, thresholds=thresholds,
            status=status, severity=severity if status == "drift" else "none",
            reference_size=n, current_size=n,
            detail={"rows": n, "reference_column": reference_name},
        ))
    return out
