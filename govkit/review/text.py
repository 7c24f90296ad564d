"""Hand-written text across two states: changed fields and a word-level edit script."""

from __future__ import annotations

import difflib
from typing import Any

from govkit.model import ModelRecord
from govkit.review.records import TextChange


def text_changes(old: ModelRecord, new: ModelRecord) -> list[TextChange]:
    """Hand-written fields of the card and of releases present in both states."""
    skip = {"metrics"}
    out = _text_changes(new, "card", _flatten(old.card.model_dump(exclude=skip)),
                        _flatten(new.card.model_dump(exclude=skip)), new.card_source,
                        new.card_doc.line_of)
    olds = {r.release.version: r for r in old.releases}
    release_skip: Any = {"metrics": True, "training": True, "version": True, "date": True,
                         "segments": {"__all__": {"metrics"}}}
    for record in new.releases:
        before = olds.get(record.release.version)
        if before is not None:
            was = _flatten(before.release.model_dump(exclude=release_skip))
            now = _flatten(record.release.model_dump(exclude=release_skip))
            out += _text_changes(new, record.release.version, was, now, record.source,
                                 record.doc.line_of)
    return out


def _text_changes(model: ModelRecord, scope: str, was: dict[str, tuple[str, tuple]],
                  now: dict[str, tuple[str, tuple]], source: str, line_of: Any,
                  ) -> list[TextChange]:
    out = []
    for path in list(now) + [p for p in was if p not in now]:
        a, b = was.get(path, ("", ()))[0], now.get(path, ("", ()))[0]
        if a != b:
            loc = (now.get(path) or was[path])[1]
            out.append(TextChange(model.name, scope, path, source, line_of(loc),
                                  word_diff(a, b)))
    return out


def _flatten(data: Any, loc: tuple[str | int, ...] = ()) -> dict[str, tuple[str, tuple]]:
    """Text fields by dotted path; a list of plain values is one text, items joined by '·'."""
    if isinstance(data, dict):
        out: dict[str, tuple[str, tuple]] = {}
        for key, value in data.items():
            out |= _flatten(value, (*loc, key))
        return out
    if isinstance(data, list) and all(not isinstance(v, dict | list) for v in data):
        text = " · ".join(str(v) for v in data)
        return {_dotted(loc): (text, loc)} if text else {}
    if isinstance(data, list):
        out = {}
        for index, value in enumerate(data):
            out |= _flatten(value, (*loc, index))
        return out
    if data is None or isinstance(data, bool | int | float):
        return {}
    return {_dotted(loc): (str(data), loc)}


def _dotted(loc: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Word-level edit script: runs of kept ('='), removed ('-') and added ('+') words."""
    a, b = old.split(), new.split()
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", " ".join(b[j1:j2])))
    return tuple(ops)
