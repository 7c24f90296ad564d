"""What changed between two states of a project, for a pull-request review (pure: no I/O).

The engine behind `govkit diff`: versions and windows added or removed, metric values and
status flips, documented ranges tightened or loosened (a loosened range needs an owner's
approval), release segments removed (lost evidence, flagged alike) or added, serving
aliases moved, hand-written text changed, alerts, runbooks and data dictionary entries added,
removed or changed. It receives the check results of both states; it runs no checks itself.
"""

from __future__ import annotations

from govkit.checks.results import STATUS_ORDER, CheckResult
from govkit.model import ModelRecord, Project
from govkit.review.coverage import coverage_changes, is_profile
from govkit.review.items import dataset_changes, operation_changes
from govkit.review.ranges import range_changes
from govkit.review.records import AliasMove, MetricChange, ModelDiff, ProjectDiff
from govkit.review.segments import segment_changes
from govkit.review.settings import project_waiver_changes, setting_changes
from govkit.review.text import text_changes


def compare(base: Project, head: Project, base_results: list[CheckResult],
            head_results: list[CheckResult], labels: tuple[str, str] = ("BASE", "HEAD"),
            ) -> ProjectDiff:
    old = {m.name: m for m in base.models}
    new = {m.name: m for m in head.models}
    names = [m.name for m in head.models] + sorted(set(old) - set(new))
    models = [_model(old.get(n), new.get(n), base_results, head_results) for n in names]
    for model in models:
        if model.name in old and model.name in new:
            model.settings = setting_changes(base, head, old[model.name], new[model.name])
            if model.settings and model.state == "unchanged":
                model.state = "changed"
    return ProjectDiff(labels[0], labels[1], models, dataset_changes(base, head),
                       project_waiver_changes(base, head))


def _model(old: ModelRecord | None, new: ModelRecord | None, base_results: list[CheckResult],
           head_results: list[CheckResult]) -> ModelDiff:
    either = new or old
    assert either is not None
    diff = ModelDiff(either.name, "changed", [o.name for o in either.card.owners])
    old_versions = _versions(old)
    new_versions = _versions(new)
    diff.versions_added = [v for v in new_versions if v not in old_versions]
    diff.versions_removed = [v for v in old_versions if v not in new_versions]
    old_windows = [w.result.window for w in old.monitoring] if old else []
    new_windows = [w.result.window for w in new.monitoring] if new else []
    diff.windows_added = [w for w in new_windows if w not in old_windows]
    diff.windows_removed = [w for w in old_windows if w not in new_windows]
    if old is None or new is None:
        diff.state = "added" if old is None else "removed"
        return diff
    diff.aliases = _aliases(old, new)
    base_mine = [r for r in base_results if r.model == old.name]
    head_mine = [r for r in head_results if r.model == new.name]
    pairs = _pairs(base_mine, head_mine, old, diff.versions_added)
    diff.metrics = _metrics([(b, h) for b, h in pairs if not is_profile(h)])
    diff.coverage = coverage_changes(base_mine, head_mine)
    diff.ranges = range_changes(old, new, pairs)
    diff.segments = segment_changes(old, new, diff.versions_added)
    diff.text = text_changes(old, new)
    diff.operations = operation_changes(old, new)
    if not any((diff.versions_added, diff.versions_removed, diff.windows_added,
                diff.windows_removed, diff.aliases, diff.metrics, diff.ranges, diff.text,
                diff.operations, diff.coverage, diff.segments)):
        diff.state = "unchanged"
    return diff


def _versions(model: ModelRecord | None) -> list[str]:
    return [r.release.version for r in model.releases] if model else []


def _aliases(old: ModelRecord, new: ModelRecord) -> list[AliasMove]:
    before, after = _alias_map(old), _alias_map(new)
    return [AliasMove(new.name, a, before.get(a), after.get(a))
            for a in sorted(set(before) | set(after)) if before.get(a) != after.get(a)]


def _alias_map(model: ModelRecord) -> dict[str, str]:
    out: dict[str, str] = {}
    for record in model.releases:
        registry = record.release.training.registry if record.release.training else None
        for alias in registry.aliases if registry else []:
            out[alias] = record.release.version
    return out


def _key(r: CheckResult) -> tuple[str, str | None, str]:
    """A check's identity across versions: kind, segment, metric."""
    return (r.window or r.kind, r.segment, r.metric)


def _pairs(base: list[CheckResult], head: list[CheckResult], old: ModelRecord,
           added: list[str]) -> list[tuple[CheckResult, CheckResult]]:
    """Same check id in both states; a new version's checks against BASE's latest."""
    by_id = {r.id: r for r in base}
    pairs = [(by_id[r.id], r) for r in head if r.id in by_id]
    latest = old.latest.release.version if old.latest else None
    previous = {_key(r): r for r in base if r.kind == "release" and r.version == latest}
    pairs += [(previous[_key(r)], r) for r in head if r.kind == "release"
              and r.version in added and _key(r) in previous]
    return pairs


def _metrics(pairs: list[tuple[CheckResult, CheckResult]]) -> list[MetricChange]:
    changes = [
        MetricChange(h.id, h.model, b.version, h.version, h.segment, h.metric, h.label,
                     b.value, h.value, b.status, h.status)
        for b, h in pairs
        if b.value != h.value or b.status != h.status
    ]
    # status flips first (to a failure first of all), then in HEAD's order
    return sorted(changes, key=lambda c: (not c.flipped, STATUS_ORDER[c.new_status]
                                          if c.flipped else 0))
