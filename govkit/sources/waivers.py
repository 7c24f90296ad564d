"""Read the project's `waivers.yaml`: waivers of document checks, in the same shape as the
waivers of a model's alerts.yaml (rule, subject, reason, expires, approved_by)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from govkit.errors import Problem
from govkit.model import WaiverRecord, Where, YamlDoc
from govkit.schemas.alerts import ALERT_RULES, WaiversFile
from govkit.sources.validation import validate_doc
from govkit.sources.yamlio import read_doc

WAIVERS_NAME = "waivers.yaml"


def load_waivers(root: Path, today: dt.date, problems: list[Problem],
                 limit: int) -> list[WaiverRecord]:
    path = root / WAIVERS_NAME
    doc = read_doc(path, problems, limit) if path.is_file() else None
    spec = validate_doc(WaiversFile, doc, problems) if doc else None
    if doc is None or spec is None:
        return []
    out: list[WaiverRecord] = []
    seen: set[tuple[str, str]] = set()
    for i, waiver in enumerate(spec.waivers):
        key = (waiver.rule, waiver.subject)
        if waiver.rule in ALERT_RULES:
            _problem(problems, doc, (i, "rule"), f"{waiver.rule} is an alert rule",
                     "waive it in the model's alerts.yaml, with the alert or incident id")
        elif key in seen:
            _problem(problems, doc, (i,), f"{waiver.rule} of '{waiver.subject}' is waived "
                     "twice", "keep one waiver")
        elif waiver.expires < today:
            _problem(problems, doc, (i, "expires"),
                     f"waiver of {waiver.rule} for '{waiver.subject}' expired on "
                     f"{waiver.expires.isoformat()}",
                     "fix what it waives, or renew it with a new reason and expiry date")
        else:
            seen.add(key)
            out.append(WaiverRecord(waiver, Where(WAIVERS_NAME, doc.line_of(("waivers", i)))))
    return out


def _problem(problems: list[Problem], doc: YamlDoc, loc: tuple[int, ...] | tuple[int, str],
             message: str, hint: str) -> None:
    field = "waivers" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc)
    problems.append(Problem(doc.path, doc.line_of(("waivers", *loc)), field, message, hint))
