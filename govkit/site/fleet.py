"""The fleet at a glance: one row per model for the home page, `status.json` and the badges.

Ages are counted from the newest date in the sources ("data as of"), never from the clock,
so the same sources give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TypedDict

from govkit.checks.results import STATUS_ORDER, CheckResult, Status, metric_label, worst
from govkit.formatting import fmt, page_url, slug
from govkit.model import MODELS_PAGE_DIR, ModelRecord, Project
from govkit.schemas.severity import SEVERITY_RANK
from govkit.site import status as statuses
from govkit.site.evidence import FailingCheck, evidence
from govkit.site.monitoring import LAYERS, by_layer
from govkit.site.rules_lines import RulesLine

OPEN = ("degraded", "possible_degradation")  # live-metric decisions that are findings


class Finding(TypedDict):
    """A model's worst open finding: what it says, its severity, where its value is shown."""

    text: str
    severity: str | None
    href: str


class FleetRow(TypedDict):
    """A model's line of the dashboard, the tag pages and `status.json`."""

    name: str
    title: str
    summary: str | None
    tags: list[str]
    page: str
    badge: str
    version: str | None
    date: str | None
    stage: str | None
    serving_known: bool
    serving_basis: str | None
    latest_version: str | None
    candidates: list[str]
    status: Status | None
    release_status: Status | None
    live_status: Status | None
    layers: dict[str, Status | None] | None
    rules: list[RulesLine]  # governance and training: worst status, failing checks
    finding: Finding | None
    window: str | None
    window_age_days: int | None
    stale: bool | None
    cadence_days: int | None
    owner: str | None
    contact: str | None


class ModelGroup(TypedDict):
    """A failing model and its failing checks, as the home banner groups them."""

    model: str
    title: str
    page: str
    checks: list[FailingCheck]


class FleetSummary(TypedDict):
    """The fleet in one line and its failing checks grouped by model."""

    models: int
    failing: int
    stale: int
    unmonitored: int
    groups: list[ModelGroup]


def window_date(window: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(window[:10])
    except ValueError:
        return None


def as_of(project: Project) -> dt.date | None:
    """The newest release or monitoring-window date in the sources."""
    dates = [r.release.date for m in project.models for r in m.releases]
    dates += [d for m in project.models for w in m.monitoring
              if (d := window_date(w.result.window)) is not None]
    return max(dates, default=None)


def fleet_row(
    model: ModelRecord, release: list[CheckResult], live: list[CheckResult],
    today: dt.date | None, rules: list[RulesLine],
) -> FleetRow:
    """A model's line: serving version (else the latest), newer candidates, release and live
    status, governance and training (`rules`), worst open finding, owner."""
    choice = model.serving_choice()
    latest = choice.record
    window = model.latest_window
    name = window.result.window if window else None
    day = window_date(name) if name else None
    age = (today - day).days if today and day else None
    cadence = model.monitoring_config.cadence_days
    owner = model.card.owners[0] if model.card.owners else None
    overall = worst(release + live)
    return {
        "name": model.name,
        "title": model.card.title,
        "summary": model.card.summary,
        "tags": list(model.card.tags),
        "page": f"{MODELS_PAGE_DIR}/{model.name}/index.md",
        "badge": f"{MODELS_PAGE_DIR}/{model.name}/status.svg",
        "version": latest.release.version if latest else None,
        "date": latest.release.date.isoformat() if latest else None,
        "stage": latest.release.stage if latest else None,
        "serving_known": choice.known,
        "serving_basis": choice.basis if latest else None,
        "latest_version": model.latest.release.version if model.latest else None,
        "candidates": [r.release.version for r in model.candidates()],
        "status": overall,
        "release_status": worst(release),
        "live_status": worst(live),
        "layers": _layers(model, live),
        "rules": rules,
        "finding": worst_open_finding(model, release, live),
        "window": name,
        "window_age_days": age,
        "stale": age > cadence if age is not None and cadence else None,
        "cadence_days": cadence,
        "owner": owner.name if owner else None,
        "contact": (owner.email or owner.chat) if owner else None,
    }


def _layers(model: ModelRecord, live: list[CheckResult]) -> dict[str, Status | None] | None:
    """The live status of each monitoring layer (infrastructure, model, business) when the
    card documents a service or business layer or the window was observed (as the monitoring
    page's table); None where a layer has no check."""
    window = model.latest_window
    observed = window is not None and window.result.layers is not None
    if model.card.service is None and not model.card.business and not observed:
        return None
    groups = by_layer(live)
    groups["model"] = [c for c in live if not c.metric.startswith(("service/", "business/"))]
    return {name: worst(groups[name]) for name in LAYERS}


def worst_open_finding(
    model: ModelRecord, release: list[CheckResult], live: list[CheckResult]
) -> Finding | None:
    """Failing documented checks first (live, then release), then monitoring findings by
    severity; metrics named by their card labels."""
    window = model.latest_window
    performance = window.result.performance if window else []
    severity = {(p.segment, model.card_metric(p.name)): p.severity for p in performance}
    found: list[tuple[int, int, str, str | None, str]] = []
    serving = model.serving.release.version if model.serving else None
    report = f"{MODELS_PAGE_DIR}/{model.name}/monitoring/{window.result.window}.md" \
        if window else f"{MODELS_PAGE_DIR}/{model.name}/index.md"
    for kind, checks in ((0, live), (1, release)):
        for c in checks:
            if c.failed:
                sev = severity.get((c.segment, c.metric)) if kind == 0 else None
                seg = f" ({c.segment})" if c.segment else ""
                found.append((kind, _rank(sev), f"{c.label}{seg}: {c.message}", sev,
                              evidence(c, serving, bool(model.ops.alerts))))
    failing = {(c.segment, c.metric) for c in live if c.failed}
    for p in performance:
        key = model.card_metric(p.name)
        if p.status in OPEN and (p.segment, key) not in failing:
            seg = f" ({p.segment})" if p.segment else ""
            drop = f" by {100 * p.relative_drop:.1f}%" if p.relative_drop is not None else ""
            label = metric_label(model.card, key)
            found.append((2, _rank(p.severity), f"{label}{seg} {_said(p.status)}{drop}",
                          p.severity, report))
    for f in (*window.result.features, *window.result.prediction_drift) if window else ():
        if f.status == "drift":
            stat = f" {fmt(f.statistic)}" if f.statistic is not None else ""
            found.append((2, _rank(f.severity), f"{f.feature} drifted ({f.test}{stat})",
                          f.severity, report))
    if not found:
        return None
    _, _, text, level, href = min(found,
                                  key=lambda item: (item[0] > 1, item[1], item[0], item[2]))
    return {"text": text, "severity": level if level not in (None, "none") else None,
            "href": href}


def _said(status: str) -> str:
    return "dropped" if status == "degraded" else "possibly dropped (not yet significant)"


def _rank(severity: str | None) -> int:
    return SEVERITY_RANK.get(severity or "none", len(SEVERITY_RANK))


def failing_first(rows: list[FleetRow]) -> list[FleetRow]:
    """Failing models first, then by how bad their worst finding is; stable otherwise."""
    def key(row: FleetRow) -> tuple[int, int]:
        finding = row["finding"]
        return (STATUS_ORDER.get(row["status"] or "", len(STATUS_ORDER)),
                _rank(finding["severity"]) if finding else len(SEVERITY_RANK) + 1)
    return sorted(rows, key=key)


def fleet_summary(rows: list[FleetRow], failing: list[FailingCheck]) -> FleetSummary:
    """The fleet in one line (models, failing, stale, not monitored) and the failing checks
    grouped by model, in the dashboard's order (failing models first)."""
    by_model: dict[str, list[FailingCheck]] = {}
    for check in failing:
        by_model.setdefault(check["model"], []).append(check)
    titles = {row["name"]: row["title"] for row in rows}
    order = [row["name"] for row in rows if row["name"] in by_model]
    order += sorted(set(by_model) - set(order))  # versions without a card
    return {
        "models": len(rows),
        "failing": len(by_model),  # models with a failing check of any kind
        "stale": sum(1 for row in rows if row["stale"]),
        "unmonitored": sum(1 for row in rows if row["window"] is None),
        "groups": [{"model": name, "title": titles.get(name, name),
                    "page": f"{MODELS_PAGE_DIR}/{name}/index.md", "checks": by_model[name]}
                   for name in order],
    }


def by_tag(rows: list[FleetRow]) -> dict[str, list[FleetRow]]:
    """Each tag of the fleet (sorted) and its models, in the dashboard's order; tags whose
    slugs collide share the first one's page."""
    out: dict[str, list[FleetRow]] = {}
    seen: dict[str, str] = {}
    for tag in sorted({t for row in rows for t in row["tags"]}):
        first = seen.setdefault(slug(tag), tag)
        out.setdefault(first, [])
    for row in rows:
        for tag in dict.fromkeys(seen[slug(t)] for t in row["tags"]):
            out[tag].append(row)
    return out


def status_json(rows: list[FleetRow], today: dt.date | None, sources: str,
                html_pages: bool = True) -> bytes:
    """The dashboard table for other tools: statuses as ids, words beside them; `page` is
    the model's page URL relative to the site root, as the built site addresses it."""
    def url(href: str) -> str:  # where a value is shown, as the built site addresses it
        path, _, mark = href.partition("#")
        return page_url(path, html_pages) + (f"#{mark}" if mark else "")

    models = []
    for row in rows:
        out: dict[str, object] = {k: v for k, v in row.items() if k not in ("summary", "page")}
        out["page"] = page_url(row["page"], html_pages)
        if row["finding"]:
            out["finding"] = dict(row["finding"], href=url(row["finding"]["href"]))
        out["rules"] = [{"family": line["family"], "status": line["status"],
                         "checks": line["checks"],
                         "failing": [{"id": c["id"], "label": c["label"],
                                      "message": c["message"], "href": url(c["href"])}
                                     for c in line["failing"]]}
                        for line in row["rules"]]
        out["status_word"] = statuses.word(row["status"])
        models.append(out)
    data = {"$comment": f"Generated by govkit from {sources}. Do not edit.",
            "as_of": today.isoformat() if today else None, "models": models}
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
