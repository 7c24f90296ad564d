"""One window, many tests: Holm's correction over the drift tests that decide by a p-value.

Each test first decides on its own p-value (findings.py); this pass adjusts the p-values of the
window's KS, chi-square and PSI tests together and withdraws the alerts whose adjusted p-value
no longer crosses their threshold. Adjusting only raises p-values, so it only withdraws.
"""

from __future__ import annotations

from govkit.monitoring.inference import holm
from govkit.schemas.monitoring import Finding
from govkit.schemas.rules import Rules

P_TESTS = ("ks", "chi_square", "psi", "category_psi")


def adjust_drift(findings: list[Finding], rules: Rules) -> None:
    """Set ``p_adjusted`` on every p-value test (Holm, or the raw p with ``none``) and apply it."""
    tested = [f for f in findings if f.test in P_TESTS and f.p_value is not None
              and "p_value" in f.thresholds and f.status != "insufficient_data"]
    raw = [f.p_value or 0.0 for f in tested]
    adjusted = holm(raw) if rules.multiple_testing == "holm" else raw
    for f, p in zip(tested, adjusted, strict=True):
        f.p_adjusted = p
        if p < f.thresholds["p_value"]:
            continue
        if f.test in ("psi", "category_psi") and f.detail.get("level") not in (None, "none"):
            f.detail["level"] = "none"
            f.detail["withdrawn"] = "not significant after the window's correction"
        if f.status == "drift" or f.severity != "none":
            f.status, f.severity = "ok", "none"
