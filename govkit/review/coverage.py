"""Governance-profile coverage between two states: a requirement that lost evidence is
flagged like a loosened range (an owner's approval), one that gained it is noted. Pure."""

from __future__ import annotations

from govkit.checks.results import CheckResult, ProfileSubject
from govkit.review.records import CoverageChange

# Coverage words, from least to most evidenced (the start of a profile check's message)
LEVELS = ("missing", "partly evidenced", "evidenced")


def is_profile(result: CheckResult) -> bool:
    return isinstance(result.subject, ProfileSubject)


def level(result: CheckResult) -> str:
    word = result.message.split(":", 1)[0]
    return word if word in LEVELS else "missing"


def coverage_changes(base: list[CheckResult], head: list[CheckResult]) -> list[CoverageChange]:
    """Profile checks whose coverage changed, by id; a requirement new in HEAD (or gone from
    it) is no change of evidence, so it is not listed. Lost evidence first."""
    before = {r.id: r for r in base if is_profile(r)}
    out = []
    for new in head:
        old = before.get(new.id)
        if old is None or not is_profile(new) or level(old) == level(new):
            continue
        assert isinstance(new.subject, ProfileSubject)
        out.append(CoverageChange(
            new.id, new.model, new.subject.profile, new.metric, new.label, level(old),
            level(new), LEVELS.index(level(new)) < LEVELS.index(level(old)),
            new.message, new.source, new.line))
    return sorted(out, key=lambda c: not c.lost)
