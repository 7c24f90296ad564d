"""Monitoring windows -> page contexts and chart images. Pure: returns values."""

from __future__ import annotations

from typing import Any, TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.formatting import fmt, slug
from govkit.model import ModelRecord, MonitoringRecord
from govkit.schemas.monitoring import Finding, MonitoringResult, PerformanceMetric
from govkit.schemas.rules import Rules
from govkit.schemas.runbook_steps import BUSINESS_FIRST_LOOK, BUSINESS_STEPS
from govkit.schemas.severity import SEVERITY_RANK
from govkit.site.card_parts import CardMonitoring
from govkit.site.cards import header
from govkit.site.labels import live_label, relabel, where
from govkit.site.monitoring_rows import (
    Chart,
    Estimated,
    FindingRow,
    LayerCheckRow,
    LayerRow,
    PerformanceRow,
    WindowRow,
)
from govkit.site.plain import CheckData, check_data, plain
from govkit.site.segment_grid import segment_grid
from govkit.site.status import WORDS


def _pct(share: float) -> str:
    return f"{fmt(100 * share)}%"


def action_bands(rules: Rules) -> str:
    """The runbook bands this project configured (govkit.yaml `monitoring.rules`)."""
    low, high = _pct(rules.max_relative_drop), _pct(rules.rollback_relative_drop)
    return (f"relative drop < {low}: continue monitoring; {low[:-1]}–{high}: monitor closely, "
            f"prepare rollback; > {high}: consider rollback to the previous version")


_RULE_TEXT = {
    "p_value": "p < {}", "psi": "PSI ≥ {}", "psi_moderate": "moderate ≥ {}",
    "min_ks_statistic": "KS ≥ {}", "min_cramers_v": "V ≥ {}", "z_score": "|z| > {}",
    "null_rate_increase": "null-rate rise > {}", "cosine_distance": "distance > {}",
    "oov_rate": "OOV > {}", "distance": "distance > {}", "drift_share": "drifted share ≥ {}",
    "min_agreement": "agreement < {}", "min_rank_correlation": "rank correlation < {}",
    "max_mean_abs_difference": "mean |difference| > {}", "max_age_hours": "age > {} h",
}


def finding_row(f: Finding) -> FindingRow:
    return {
        "feature": f.feature, "kind": f.kind, "test": f.test,
        "statistic": _num(f.statistic),
        "p_value": _p(f.p_adjusted if f.p_adjusted is not None else f.p_value),
        "effect": f"{f.effect_size_name} {_num(f.effect_size)}" if f.effect_size_name else "–",
        "thresholds": ", ".join(_RULE_TEXT.get(k, k + " {}").format(_num(v))
                                for k, v in sorted(f.thresholds.items())) or "–",
        "status": f.status, "severity": f.severity,
    }


def _num(value: float | None) -> str:
    return "–" if value is None else fmt(value)


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "< 1e-12" if value < 1e-12 else (f"{value:.2e}" if value < 1e-3 else fmt(value))


_TEST_NAMES = {"ks": "KS", "chi_square": "chi-square", "psi": "PSI", "category_psi": "PSI",
               "z_score": "z", "wasserstein": "Wasserstein", "jensen_shannon": "Jensen-Shannon"}


def _stated(f: Finding) -> str:
    """A test's statistic and p-value in a few words: `KS 0.156 (p < 1e-12)`."""
    p = f.p_adjusted if f.p_adjusted is not None else f.p_value
    return (f"{_TEST_NAMES.get(f.test, f.test)} {_num(f.statistic)}"
            + (f" (p {_p(p) if _p(p).startswith('<') else '= ' + _p(p)})" if p is not None
               else ""))


def charts(record: MonitoringRecord, base: str) -> tuple[list[Chart], dict[str, bytes]]:
    """One reference-vs-current chart per drifted feature (from its PSI bins), titled with
    the statistics that flagged it; alt text and caption state every bin's shares."""
    from govkit.site.charts import distribution_svg

    result = record.result
    findings = (*result.features, *result.prediction_drift)
    items: list[Chart] = []
    files: dict[str, bytes] = {}
    used: set[str] = set()
    drifted = {f.feature for f in findings if f.status == "drift"}
    for finding in findings:
        dist = finding.distribution
        if finding.feature not in drifted or dist is None:
            continue
        name = slug(finding.feature)
        while name in used:
            name += "-x"
        used.add(name)
        drifted.discard(finding.feature)
        flagged = [f for f in findings if f.feature == finding.feature and f.status == "drift"]
        title = f"{finding.feature}: " + "; ".join(_stated(f) for f in flagged)
        shares = "; ".join(f"{label} {100 * r:.1f}% → {100 * c:.1f}%" for label, r, c
                           in zip(dist.labels, dist.reference, dist.current, strict=False))
        said = "; ".join(_stated(f) for f in flagged)
        caption = (f"Share of rows per {'bin' if finding.kind == 'numeric' else 'value'}"
                   f", reference → current, with {_stated(finding)} over these bins: {shares}.")
        files[f"{base}/{name}.svg"] = distribution_svg(title, dist.labels, dist.reference,
                                                       dist.current, f"{title}. {caption}")
        items.append({"feature": finding.feature, "file": f"{result.window}/{name}.svg",
                      "test": finding.test, "title": title,
                      "finding": f"{finding.feature} drifted from the reference: {said}.",
                      "caption": caption})
    return items, files


_DECISION = {
    "pass": "pass", "degraded": "degraded", "possible_degradation": "possible degradation",
    "not_evaluated": "not evaluated", "insufficient_data": "not evaluated",
    "no_baseline": "no baseline",
}


def performance_row(
    p: PerformanceMetric, check: CheckResult | None, label: str
) -> PerformanceRow:
    """One live metric as the page shows it: value, interval, baseline, test, decision."""
    interval = "–"
    if p.ci_low is not None and p.ci_high is not None:
        interval = f"{_num(p.ci_low)} – {_num(p.ci_high)}"
    return {
        "metric": plain(p), "label": label, "value": _num(p.value), "baseline": _num(p.baseline),
        "interval": interval,
        "drop": "–" if p.relative_drop is None else f"{100 * p.relative_drop:.1f}%",
        "p_value": _p(p.p_adjusted if p.p_adjusted is not None else p.p_value),
        "decision": "proxy: see range check" if (p.method or "").startswith("proxy")
        and p.status == "no_baseline" else _DECISION.get(p.status, p.status),
        "reason": p.reason or "",
        "n": p.sample_size if p.n_effective in (None, p.sample_size)
        else f"{p.sample_size} ({p.n_effective})",
        "check": check_data(check) if check else None,
    }


class MonitoringContext(TypedDict):
    """Everything monitoring.md.j2 reads, complete when built."""

    header: str
    version: str
    scored_other: str | None
    main_version: str | None
    main_basis: str | None
    history: list[WindowRow]
    result: Any
    card: Any
    source: str
    features: list[FindingRow]
    predictions: list[FindingRow]
    performance: list[PerformanceRow]
    grid: Any
    failing: list[CheckData]
    unmapped: list[CheckData]
    unconfirmed: list[PerformanceRow]
    not_evaluated: list[PerformanceRow]
    charts: list[Chart]
    action_detail: str
    degradation_band: str
    decision_rule: str
    miscalibrated: bool
    estimated: list[Estimated]
    drift_rule: str
    layers: list[LayerRow]
    layer_checks: list[LayerCheckRow]
    business_todo: list[str]  # what to do when a business KPI is out of range


def monitoring_context(
    model: ModelRecord, record: MonitoringRecord, live: list[CheckResult],
    chart_items: list[Chart],
) -> MonitoringContext:
    """A window's page; `chart_items`: its drift charts (`charts`)."""
    result = record.result
    by_metric = {(c.segment, c.metric): c for c in live}
    performance = [performance_row(p, by_metric.get((p.segment, model.card_metric(p.name))),
                                   live_label(model, p.name)) for p in result.performance]
    performance.sort(key=lambda row: STATUS_ORDER[row["check"]["status"]] if row["check"]
                     else len(STATUS_ORDER))  # failing first, else as measured
    rules = model.monitoring_config.rules
    scored = model.window_release(record)
    main = model.serving
    sources = [model.card_source, record.source]
    if scored:
        sources.insert(1, scored.source)
    return {
        "header": header(sources, f"{model.card.title}: monitoring {result.window}"),
        "version": version_line(result, scored.release.version if scored else None),
        # a window scored by another version than the one the main page shows
        "scored_other": scored.release.version if scored and main and scored is not main
        else None,
        "main_version": main.release.version if main else None,
        "main_basis": model.serving_choice().basis if main else None,
        "history": window_history(model),
        "result": plain(result),
        "card": plain(model.card),
        "source": record.source,
        "features": [finding_row(f) for f in result.features],
        "predictions": [finding_row(f) for f in result.prediction_drift],
        "performance": performance,
        "grid": segment_grid(model, result, live),
        "failing": [check_data(c) for c in live if c.failed],
        # a live check warns only when a live metric is compared with nothing (checks/live.py)
        "unmapped": [check_data(c) for c in live if c.status == "warn"],
        "unconfirmed": [p for p in performance
                        if p["metric"]["status"] == "possible_degradation"],
        "not_evaluated": [p for p in performance
                          if p["metric"]["status"] in ("not_evaluated", "insufficient_data")],
        "charts": chart_items,
        "action_detail": _action_detail(model, result, rules),
        "degradation_band": _pct(rules.max_relative_drop),
        "decision_rule": decision_rule(rules),
        "miscalibrated": any(
            e.measured is not None and e.ci_low is not None and e.ci_high is not None
            and not e.ci_low <= e.measured <= e.ci_high for e in result.estimated_performance),
        "estimated": [{
            "name": live_label(model, e.name), "value": _num(e.value), "measured": _num(e.measured),
            "interval": "–" if e.ci_low is None or e.ci_high is None
            else f"{_num(e.ci_low)} – {_num(e.ci_high)} ({fmt(100 * (e.confidence or 0.95))}%)",
            "rows": e.sample_size} for e in result.estimated_performance],
        "drift_rule": drift_rule(result, rules),
        "layers": layer_rows(model, result, live),
        "layer_checks": layer_checks(result, live),
        "business_todo": business_todo(live),
    }


def layer_checks(result: MonitoringResult, live: list[CheckResult]) -> list[LayerCheckRow]:
    """Each service SLO and business KPI check of the window with what `govkit observe`
    read (query, time range, samples): the row a failure's link lands on."""
    read = {}
    if result.layers is not None:
        read = {("service", v.name): v for v in result.layers.service}
        read |= {("business", v.name): v for v in result.layers.business}
    rows: list[LayerCheckRow] = []
    for c in live:
        layer, _, name = c.metric.partition("/")
        if layer not in ("service", "business"):
            continue
        value = read.get((layer, name.split("/", 1)[0]))
        rows.append({
            "check": check_data(c), "layer": "infrastructure" if layer == "service" else layer,
            "value": _num(c.value),
            "query": value.query if value else "not observed (run govkit observe)",
            "samples": "–" if value is None or value.samples is None else value.samples,
            "against": f"{_num(value.value)} against {_num(value.baseline)}"
            if value and name.endswith("/change") else None})
    return rows


def layer_rows(model: ModelRecord, result: MonitoringResult,
               live: list[CheckResult]) -> list[LayerRow]:
    """The three monitoring layers side by side (infrastructure, model, business), when the
    card documents a service or business layer or the window was observed."""
    if result.layers is None and model.card.service is None and not model.card.business:
        return []
    rows: list[LayerRow] = []
    for name, checks in by_layer(live).items():
        statuses = sorted({c.status for c in checks}, key=lambda s: STATUS_ORDER[s])
        bad = [c for c in checks if c.status in ("fail", "insufficient_data")]
        rows.append({
            "layer": name, "status": WORDS[statuses[0]] if statuses else "not observed",
            "checked": len(checks),
            "detail": "; ".join(f"{_named(c)}: {c.message}" for c in bad) or "–",
            "said": ": ".join([WORDS[statuses[0]] if statuses else "not observed",
                                  ", ".join(_short(c) for c in bad)][:2 if bad else 1]),
            "todo": BUSINESS_ANCHOR if name == "business" and bad else None})
    return rows


BUSINESS_ANCHOR = "what-to-do-business"  # the slug of its heading


def business_todo(live: list[CheckResult]) -> list[str]:
    """What to do when a business KPI is out of range or not evaluated (it has no alert and
    no runbook page); empty when every KPI passes."""
    layers = by_layer(live)
    if not [c for c in layers["business"] if c.status in ("fail", "insufficient_data")]:
        return []
    infra = {c.status for c in layers["infrastructure"]}
    look = "unknown" if not infra else "green" if infra == {"pass"} else "red"
    return [BUSINESS_STEPS[0], BUSINESS_FIRST_LOOK[look], *BUSINESS_STEPS[1:]]


LAYERS = ("infrastructure", "model", "business")


def by_layer(live: list[CheckResult]) -> dict[str, list[CheckResult]]:
    """A window's live checks by monitoring layer; a model-layer warning is left out (the
    unmapped names are said elsewhere)."""
    groups: dict[str, list[CheckResult]] = {name: [] for name in LAYERS}
    for c in live:
        layer = c.metric.split("/", 1)[0] if "/" in c.metric else ""
        name = {"service": "infrastructure", "business": "business"}.get(layer, "model")
        if c.status != "warn" or name != "model":
            groups[name].append(c)
    return groups


def _short(check: CheckResult) -> str:
    """A failing or not evaluated check in a few words, for the card's lead box."""
    if check.status == "insufficient_data":
        return f"{_named(check)} not evaluated"
    if check.metric.startswith("business/") and check.metric.endswith("/change") \
            and check.value is not None:
        return f"{_named(check)} {100 * check.value:+.1f}% against the baseline: investigate"
    return f"{_named(check)} {fmt(check.value)}"


def _named(check: CheckResult) -> str:
    return f"{check.label} ({check.segment})" if check.segment else check.label


def version_line(result: MonitoringResult, checked: str | None) -> str:
    """Which release the window scored and how that was decided."""
    if result.model_version:
        return f"{result.model_version} ({result.version_basis or 'recorded'})"
    if checked:
        return f"not recorded in the result; checked against the latest release, {checked}"
    return "not recorded; the model has no release"


def window_history(model: ModelRecord) -> list[WindowRow]:
    """Every window of the model, newest first: the version it scored and what it found."""
    rows: list[WindowRow] = []
    for record in reversed(model.monitoring):
        r = record.result
        decided = [p for p in r.performance if p.status != "no_baseline"]
        rows.append({
            "window": r.window, "link": f"{r.window}.md",
            "version": r.model_version or "not recorded",
            "rows": r.current.rows if r.current.rows is not None else "?",
            "severity": r.max_severity, "action": r.recommended_action.action,
            "degraded": sum(p.status == "degraded" for p in decided),
            "possible": sum(p.status == "possible_degradation" for p in decided),
            "not_evaluated": sum(p.status in ("not_evaluated", "insufficient_data")
                                 for p in decided),
            "drifted": len(r.drifted_features),
        })
    return rows


def drift_rule(result: MonitoringResult, rules: Rules) -> str:
    """How the drift tests of this window were decided."""
    tested = sum(1 for f in (*result.features, *result.prediction_drift)
                 if f.p_adjusted is not None)
    family = (f"Holm-adjusted over the window's {tested} KS, chi-square and PSI tests"
              if rules.multiple_testing == "holm" else "not adjusted for multiple tests")
    if rules.psi_variant == "seed":
        psi = "PSI bands apply to the raw closed-bin PSI (seed variant)."
    else:
        psi = ("PSI bands apply to the PSI minus its expected value with no drift, "
               "(bins − 1)(1/n + 1/m), and only when noise alone reaches the PSI with p < "
               f"{fmt(rules.psi_p_value)}.")
    return f"p-values are {family}. {psi}"


def decision_rule(rules: Rules) -> str:
    """How a live metric is decided, with this project's levels."""
    family = ("Holm-corrected over the window's tests" if rules.multiple_testing == "holm"
              else "each test on its own")
    return (f"Each metric has a {fmt(100 * rules.confidence)}% interval (Wilson for accuracy, "
            "precision and recall; DeLong for AUC) and a one-sided test of \"at least the "
            f"baseline\" ({family}, level {fmt(rules.alpha)}). Degraded: more "
            f"than {_pct(rules.max_relative_drop)} below the baseline and significant; "
            "possible degradation: more than the band below but not yet significant; "
            "not evaluated: too few rows for any outcome to be significant (never counted "
            "as a pass).")


def _action_detail(model: ModelRecord, result: MonitoringResult, rules: Rules) -> str:
    action = result.recommended_action
    drop = ""
    if action.worst_relative_drop is not None:
        drop = f"Worst confirmed relative drop {100 * action.worst_relative_drop:.1f}%"
        drop += f" ({relabel(model, result, action.basis)}). " if action.basis else ". "
    if action.unconfirmed:
        drop += f"Unconfirmed: {relabel(model, result, action.unconfirmed)}. "
    if action.not_evaluated:
        drop += f"{action.not_evaluated} live {_metrics(action.not_evaluated)} not evaluated. "
    return f"{drop}Runbook bands: {action_bands(rules)}."


def _metrics(n: int) -> str:
    return "metric was" if n == 1 else "metrics were"


def card_monitoring(
    model: ModelRecord, window: MonitoringRecord, live: list[CheckResult]
) -> CardMonitoring:
    """The monitoring banner of a model's main card: counts only what was evaluated."""
    result = window.result
    worst = worst_finding(model, result)
    lead = f"Worst open finding: {worst}. " if worst else "No open findings. "
    action = result.recommended_action
    unconfirmed = (f"Unconfirmed: {relabel(model, result, action.unconfirmed)}. "
                   if action.unconfirmed else "")
    return {
        "window": result.window,
        "version": result.model_version,
        "link": f"monitoring/{result.window}.md",
        "failing": [check_data(c) for c in live if c.failed],
        "checked": sum(1 for c in live if c.status == "pass"),
        "not_evaluated": sum(1 for c in live if c.status == "insufficient_data"),
        "warning": bool(action.unconfirmed) or action.action != "continue monitoring",
        "summary": lead + unconfirmed + f"Recommended action: {action.action}.",
        "layers": layer_rows(model, result, live),
    }


def worst_finding(model: ModelRecord, result: MonitoringResult) -> str | None:
    """The most severe open finding of a window, in a few words."""
    candidates: list[tuple[int, str]] = []
    for p in result.performance:
        if p.status in ("degraded", "possible_degradation"):
            drop = f" {100 * p.relative_drop:.1f}%" if p.relative_drop is not None else ""
            what = "dropped" if p.status == "degraded" else "possibly dropped (not yet significant)"
            candidates.append((SEVERITY_RANK[p.severity],
                               f"{p.severity}: {where(model, p)} {what}{drop}"))
    for f in (*result.features, *result.prediction_drift):
        if f.status == "drift":
            candidates.append((SEVERITY_RANK[f.severity], f"{f.severity}: {f.feature} drift "
                               f"({f.test})"))
    return min(candidates)[1] if candidates else None
