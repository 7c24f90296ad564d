"""A verdict never rests on a sketch's error: which KS tests the profile engine's bound
leaves undecided, and the p-value of an exactly computed statistic.

The profile engine's KS statistic ``D`` is within ``bound`` of the exact one. When the
p-values at ``D - bound`` and ``D + bound`` fall on both sides of a decision threshold (the
rules' ``ks_p_value``, or any Holm step threshold down to ``ks_p_value / m`` for the window's
``m`` p-value tests), or ``D`` is within ``bound`` of the effect-size floor, the sketch could
decide the verdict: that column's ``D`` is then computed exactly (a second, narrow Spark job)
and its p-value exactly as the local engine computes it.
"""

from __future__ import annotations

from collections.abc import Iterable

from govkit.monitoring import numeric as nm
from govkit.schemas.rules import Rules

EXACT_METHOD = ("exact: D from every value of both windows (a second Spark job, because "
                "the sketch's bound could move the verdict)")


def undecided(d: float, bound: float, n_reference: int, n_current: int, rules: Rules,
              tests: int) -> bool:
    """Could the true D, anywhere in ``[d - bound, d + bound]``, give another verdict?"""
    if bound <= 0:
        return False
    p_low, _ = nm.ks_pvalue(d + bound, n_reference, n_current)  # larger D, smaller p
    p_high, _ = nm.ks_pvalue(max(d - bound, 0.0), n_reference, n_current)
    floor = rules.ks_p_value / max(tests, 1) if rules.multiple_testing == "holm" else (
        rules.ks_p_value)
    if p_low < rules.ks_p_value and p_high >= floor:
        return True
    return rules.require_effect_size and abs(d - rules.min_ks_statistic) <= bound


def exact_ks(d: float, n_reference: int, n_current: int) -> nm.KSResult:
    """The p-value of an exact D as :func:`numeric.ks_from_sorted` gives it: scipy's exact
    method up to ``KS_EXACT_MAX_N`` values, else the asymptotic one."""
    if max(n_reference, n_current) <= nm.KS_EXACT_MAX_N:
        p = _scipy_exact(d, n_reference, n_current)
        if p is not None:
            return nm.KSResult(d, p, EXACT_METHOD)
    p, _ = nm.ks_pvalue(d, n_reference, n_current)
    return nm.KSResult(d, p, EXACT_METHOD)


def _scipy_exact(d: float, n1: int, n2: int) -> float | None:
    """scipy's own exact two-sided p-value for D (the function ``ks_2samp`` calls)."""
    import math

    from scipy.stats import _stats_py

    attempt = getattr(_stats_py, "_attempt_exact_2kssamp", None)
    if attempt is None:
        return None
    success, _, p = attempt(n1, n2, math.gcd(n1, n2), d, "two-sided")
    return float(min(max(p, 0.0), 1.0)) if success else None


def p_value_tests(numeric: Iterable[str], categorical: Iterable[str], predictions: bool) -> int:
    """An upper bound on the window's p-value tests (ks and psi per numeric column,
    chi-square and category PSI per categorical one): Holm's smallest step threshold."""
    return 2 * (len(list(numeric)) + len(list(categorical)) + int(predictions))
