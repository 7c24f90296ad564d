"""Release segments across two states: a segment that a release no longer documents is lost
evidence (its checks vanish with it), flagged like a loosened range."""

from __future__ import annotations

from govkit.model import ModelRecord, ReleaseRecord
from govkit.review.records import SegmentChange


def segment_changes(old: ModelRecord, new: ModelRecord, added: list[str]) -> list[SegmentChange]:
    """Segments removed from or added to a release present in both states, and a new
    version's segments against BASE's latest release (``added``: versions new in HEAD)."""
    olds = {r.release.version: r for r in old.releases}
    out: list[SegmentChange] = []
    for record in new.releases:
        version = record.release.version
        if version in olds:
            out += _between(new.name, olds[version], record, "")
        elif version in added and old.latest is not None:
            out += _between(new.name, old.latest, record,
                            f"new version against {old.latest.release.version}")
    return out


def _between(model: str, before: ReleaseRecord, after: ReleaseRecord,
             note: str) -> list[SegmentChange]:
    was = {s.name: (i, s) for i, s in enumerate(before.release.segments)}
    now = {s.name: (i, s) for i, s in enumerate(after.release.segments)}
    out = []
    for name in sorted(set(was) - set(now)):
        i, seg = was[name]
        out.append(SegmentChange(model, after.release.version, name, "removed",
                                 tuple(sorted(seg.metrics)), before.source,
                                 before.doc.line_of(("segments", i, "name")), note))
    if not note:  # a new version documents its own segments: only losses are news
        for name in sorted(set(now) - set(was)):
            i, seg = now[name]
            out.append(SegmentChange(model, after.release.version, name, "added",
                                     tuple(sorted(seg.metrics)), after.source,
                                     after.doc.line_of(("segments", i, "name")), note))
    return out
