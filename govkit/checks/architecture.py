"""Architecture pages against what govkit can see. Pure: no I/O.

- `system/<name>/maturity`: the claimed maturity level is above the evidence (warn)
- `system/<name>/owner`: the architecture document names no owner (warn)
- `system/<name>/reviewed`: older than its cadence (quarterly by default; warn)
"""

from __future__ import annotations

from govkit.checks.documents import cadence_event, freshness
from govkit.checks.results import CheckResult, DocumentedRange, Kind, Status, SystemSubject
from govkit.model import Project, SystemRecord
from govkit.schemas.architecture import MATURITY_LEVELS

KIND: Kind = "architecture"


def check_systems(project: Project) -> list[CheckResult]:
    results: list[CheckResult] = []
    for record in project.systems:
        results.append(_owner(record))
        status, message = freshness(project, record.source, record.system.last_reviewed,
                                    cadence_event(project, project.config.freshness
                                                  .architecture))
        results.append(_result(record, "reviewed", status, message,
                               record.doc.line_of(("last_reviewed",))
                               or record.doc.line_of(("title",))))
        if record.system.maturity is not None:
            results.append(_maturity(record))
    return results


def level_name(level: int) -> str:
    return f"Level {level} ({MATURITY_LEVELS[level]})"


def _result(record: SystemRecord, rule: str, status: Status, message: str,
            line: int | None, value: float | None = None) -> CheckResult:
    return CheckResult(
        id=f"system/{record.name}/{rule}", model="", version="", metric=record.name,
        label=f"system {record.name}: {rule}", segment=None, value=value,
        range=DocumentedRange(None, None, "architecture"), status=status, message=message,
        source=record.source, line=line, kind=KIND, subject=SystemSubject(record.name),
    )


def _owner(record: SystemRecord) -> CheckResult:
    owner = record.system.owner
    if owner is None:
        return _result(record, "owner", "warn", "the architecture document names no owner "
                       "(add owner: with a name and role; the chapter: the tech lead)",
                       record.doc.line_of(("title",)))
    return _result(record, "owner", "pass", f"owned by {owner.name}",
                   record.doc.line_of(("owner",)))


def _maturity(record: SystemRecord) -> CheckResult:
    assert record.system.maturity is not None
    claimed = record.system.maturity.claimed
    seen = record.evidence_level
    line = record.doc.line_of(("maturity", "claimed"))
    if claimed > seen:
        missing = "; ".join(f"{e.name}: {e.detail}" for e in record.evidence
                            if seen < e.level <= claimed and not e.holds)
        return _result(record, "maturity", "warn",
                       f"claims {level_name(claimed)}, but govkit sees evidence for "
                       f"{level_name(seen)} only. Missing: {missing}", line, claimed)
    return _result(record, "maturity", "pass",
                   f"claims {level_name(claimed)}; govkit sees evidence for {level_name(seen)}",
                   line, claimed)
