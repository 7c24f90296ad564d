"""Turn window summaries into findings: thresholds, effect-size rules and severities."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

from govkit.monitoring import categorical as cat
from govkit.monitoring import numeric as nm
from govkit.monitoring import psi as psi_mod
from govkit.monitoring.psi import PsiResult
from govkit.monitoring.window import CategoricalAccumulator, NumericCurrent
from govkit.schemas.monitoring import Distribution, Finding
from govkit.schemas.profile import CategoricalProfile, NumericProfile, _Base
from govkit.schemas.rules import Rules

MAX_LISTED_CATEGORIES = 20


def _status(alert: bool, insufficient: bool) -> str:
    return "insufficient_data" if insufficient else ("drift" if alert else "ok")


def make_finding(alert: bool, insufficient: bool, severity: str, **kw: object) -> Finding:
    status = _status(alert, insufficient)
    return Finding(
        status=status,
        severity=severity if status == "drift" else "none",
        **kw,
    )


def _p_value_finding(
    p_value: float, p_limit: float, effect: float, effect_name: str, effect_floor: float,
    rules: Rules, few: bool, severity: str, **kw: Any,
) -> Finding:
    """A hypothesis test: alert when p < limit (and, if rules require it, effect >= floor)."""
    thresholds = {"p_value": p_limit}
    if rules.require_effect_size:
        thresholds[f"min_{effect_name}"] = effect_floor
    effect_ok = not rules.require_effect_size or effect >= effect_floor
    return make_finding(p_value < p_limit and effect_ok, few, severity, p_value=p_value,
                    effect_size=effect, effect_size_name=effect_name, thresholds=thresholds,
                    **kw)


def _psi_finding(
    res: PsiResult, rules: Rules, few: bool, severity: str, *, detail: dict[str, Any],
    **kw: Any,
) -> Finding:
    """PSI banded by the seed's levels. Corrected variant: the bands apply to PSI minus its
    no-drift expectation, and only when noise alone rarely reaches the PSI (p < psi_p_value);
    seed variant: the bands apply to the raw closed-bin value."""
    corrected = rules.psi_variant == "corrected"
    banded = res.corrected if corrected else res.value
    level = nm.psi_level(banded, rules.psi_moderate, rules.psi)
    if corrected and res.p_value >= rules.psi_p_value:
        level = "none"
    thresholds = {"psi": rules.psi, "psi_moderate": rules.psi_moderate}
    if corrected:
        thresholds["p_value"] = rules.psi_p_value
    finding = make_finding(level == "significant", few, severity, statistic=res.value,
                       p_value=res.p_value, effect_size=banded,
                       effect_size_name="psi_corrected" if corrected else "psi",
                       thresholds=thresholds,
                       detail={"level": level, "variant": rules.psi_variant,
                               "expected_no_drift": res.expected, "corrected": res.corrected,
                               "occupied_bins": res.bins, **detail}, **kw)
    if level == "moderate" and not few:
        finding.severity = rules.severity.drift_moderate
    return finding


def _numeric_psi(ref: NumericProfile, cur: NumericCurrent, rules: Rules) -> PsiResult:
    if rules.psi_variant == "seed":
        return psi_mod.seed_closed_psi(ref.counts, cur.counts, cur.below, cur.above,
                                       rules.psi_floor)
    return psi_mod.psi(ref.counts, cur.counts, rules.psi_floor)


def null_rate_finding(
    name: str, kind: str, ref: _Base, rows: int, nulls: int, rules: Rules
) -> Finding:
    ref_rate = ref.nulls / ref.rows if ref.rows else 0.0
    cur_rate = nulls / rows if rows else 0.0
    change = cur_rate - ref_rate
    return make_finding(
        change > rules.null_rate_increase,
        rows < rules.min_samples,
        rules.severity.null_rate_increase,
        feature=name,
        kind=kind,
        test="null_rate",
        statistic=change,
        thresholds={"null_rate_increase": rules.null_rate_increase},
        reference_size=ref.rows,
        current_size=rows,
        detail={"reference_null_rate": ref_rate, "current_null_rate": cur_rate},
    )


def all_null_finding(name: str, kind: str, ref_rows: int, ref_nulls: int, rows: int,
                     nulls: int, rules: Rules) -> Finding:
    """A column with only nulls in one window: no distribution to test, so its null rate is
    the finding, with the card's null-rate severity (either direction: a column that empties
    or one that was empty in the reference and now has values)."""
    ref_rate = ref_nulls / ref_rows if ref_rows else 0.0
    cur_rate = nulls / rows if rows else 0.0
    change = cur_rate - ref_rate
    which = "current" if nulls == rows else "reference"
    return make_finding(
        abs(change) > rules.null_rate_increase, False, rules.severity.null_rate_increase,
        feature=name, kind=kind, test="null_rate", statistic=change,
        thresholds={"null_rate_increase": rules.null_rate_increase},
        reference_size=ref_rows, current_size=rows,
        detail={"reference_null_rate": ref_rate, "current_null_rate": cur_rate,
                "only_nulls": which,
                "note": f"the {which} window has only nulls: drift tests not run"},
    )


def new_column_finding(name: str, type_name: str, rows: int, rules: Rules) -> Finding:
    """A column of the current window that the reference does not have."""
    return make_finding(
        True, False, rules.severity.new_categories, feature=name, kind="unknown",
        test="new_column", current_size=rows,
        detail={"type": type_name,
                "note": "in the current window, not in the reference: not monitored"},
    )


def _shares(counts: list[float]) -> list[float]:
    total = float(sum(counts))
    return [c / total if total else 0.0 for c in counts]


def numeric_distribution(
    edges: list[float], ref_counts: list[int], cur_counts: list[float]
) -> Distribution:
    """Shares per PSI bin; the outer bins are open, as in the PSI itself."""
    e = [f"{x:.4g}" for x in edges]
    labels = ([f"< {e[0]}"] + [_bin_label(x, y, a, b) for (x, y), (a, b)
                                in zip(pairwise(edges), pairwise(e), strict=True)]
              + [f"≥ {e[-1]}"]) if e else ["all"]
    return Distribution(labels=labels, reference=_shares([float(c) for c in ref_counts]),
                        current=_shares(cur_counts))


def _bin_label(low: float, high: float, low_text: str, high_text: str) -> str:
    """``= v`` for a one-value bin (low-cardinality features), else ``[a, b)``."""
    if high == math.nextafter(low, math.inf):
        return f"= {low_text}"
    return f"[{low_text}, {high_text})"


def categorical_distribution(
    ref_counts: dict[str, int], cur_counts: dict[str, int], limit: int = 20
) -> Distribution:
    """Shares of the most frequent categories of either window (the rest summed as 'other')."""
    n_ref, n_cur = sum(ref_counts.values()) or 1, sum(cur_counts.values()) or 1
    keys = sorted(set(ref_counts) | set(cur_counts),
                  key=lambda k: (-(ref_counts.get(k, 0) / n_ref + cur_counts.get(k, 0) / n_cur), k))
    shown, rest = keys[:limit], keys[limit:]
    ref = [ref_counts.get(k, 0) / n_ref for k in shown]
    cur = [cur_counts.get(k, 0) / n_cur for k in shown]
    if rest:
        shown = [*shown, "(other)"]
        ref.append(sum(ref_counts.get(k, 0) for k in rest) / n_ref)
        cur.append(sum(cur_counts.get(k, 0) for k in rest) / n_cur)
    return Distribution(labels=shown, reference=ref, current=cur)


def numeric_findings(
    name: str, ref: NumericProfile, cur: NumericCurrent, rules: Rules, *, prediction: bool = False
) -> list[Finding]:
    n_cur = cur.moments.n
    few = n_cur < rules.min_samples or ref.count < rules.min_samples
    severity = rules.severity.prediction_drift if prediction else rules.severity.drift_significant
    sizes = {"reference_size": ref.count, "current_size": n_cur}
    out: list[Finding] = []
    if cur.ks is not None:
        out.append(
            _p_value_finding(
                cur.ks.p_value, rules.ks_p_value, cur.ks.statistic, "ks_statistic",
                rules.min_ks_statistic, rules, few, severity,
                feature=name, kind="numeric", test="ks", statistic=cur.ks.statistic,
                detail={"method": cur.ks.method}, **sizes,
            )
        )
    if n_cur:
        out.append(
            _psi_finding(
                _numeric_psi(ref, cur, rules), rules, few, severity,
                feature=name, kind="numeric", test="psi", detail={"bins": len(ref.counts)},
                distribution=numeric_distribution(ref.edges, ref.counts, list(cur.counts)),
                **sizes,
            )
        )
    if prediction:
        return out
    if n_cur:
        z = nm.mean_z_score(cur.moments.mean, ref.mean, ref.std)
        out.append(
            make_finding(
                abs(z) > rules.z_score,
                few,
                severity,
                feature=name,
                kind="numeric",
                test="z_score",
                statistic=z,
                effect_size=abs(z),
                effect_size_name="abs_z",
                thresholds={"z_score": rules.z_score},
                detail={
                    "reference_mean": ref.mean,
                    "reference_std": ref.std,
                    "current_mean": cur.moments.mean,
                },
                **sizes,
            )
        )
    out.append(null_rate_finding(name, "numeric", ref, cur.rows, cur.nulls, rules))
    return out


def categorical_findings(
    name: str, ref: CategoricalProfile, cur: CategoricalAccumulator, rules: Rules, *,
    prediction: bool = False,
) -> list[Finding]:
    n_ref, n_cur = sum(ref.counts.values()), sum(cur.counts.values())
    few = n_cur < rules.min_samples or n_ref < rules.min_samples
    sev = rules.severity.prediction_drift if prediction else rules.severity.drift_significant
    sizes = {"reference_size": n_ref, "current_size": n_cur}
    high = ref.kind == "high_cardinality"
    counts = cat.bucket_to(set(ref.counts), cur.counts) if high else cur.counts
    out: list[Finding] = []
    if n_cur:
        if not high:
            chi = cat.chi_square(ref.counts, counts)
            out.append(
                _p_value_finding(
                    chi.p_value, rules.chi2_p_value, chi.cramers_v, "cramers_v",
                    rules.min_cramers_v, rules, few, sev,
                    feature=name, kind=ref.kind, test="chi_square", statistic=chi.statistic,
                    detail={"dof": chi.dof}, **sizes,
                )
            )
        out.append(
            _psi_finding(
                psi_mod.psi(*cat.aligned_counts(ref.counts, counts)[1:], rules.psi_floor),
                rules, few, sev,
                feature=name, kind=ref.kind, test="category_psi",
                detail={"top_k": rules.top_k if high else None},
                distribution=categorical_distribution(ref.counts, counts), **sizes,
            )
        )
        if prediction:
            return out
        if not high:
            new, share = cat.unseen_categories(ref.counts, cur.counts)
            out.append(
                make_finding(
                    bool(new),
                    False,
                    rules.severity.new_categories,
                    feature=name,
                    kind=ref.kind,
                    test="new_categories",
                    statistic=share,
                    detail={
                        "unseen_categories": new[:MAX_LISTED_CATEGORIES],
                        "unseen_count": len(new),
                        "unseen_share": share,
                    },
                    **sizes,
                )
            )
    out.append(null_rate_finding(name, ref.kind, ref, cur.rows, cur.nulls, rules))
    return out
