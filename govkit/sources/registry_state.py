"""What the registry says about a version now, merged into what govkit saw before: its
aliases, when each alias was first and last seen on it (MLflow keeps no alias history),
and whether the version is gone from the registry. Pure: plain dicts in, plain dicts out."""

from __future__ import annotations

from typing import Any

FIELDS = ("aliases", "alias_history", "deleted")


def registry_state(old: dict[str, Any] | None, aliases: tuple[str, ...], deleted: bool,
                   now: str) -> dict[str, Any]:
    """The registry fields of a record: `aliases` as the registry has them now, the alias
    history of `old` (the record on disk) with spans opened and closed at `now`, `deleted`."""
    history = [dict(span) for span in (old or {}).get("alias_history") or []]
    current = set(aliases)
    seen_open = set()
    for span in history:
        if span.get("until"):
            continue
        if span["alias"] in current:
            seen_open.add(span["alias"])
        else:
            span["until"] = now
    history += [{"alias": a, "since": now} for a in sorted(current - seen_open)]
    return {"aliases": list(aliases), "alias_history": history, "deleted": deleted}


def current_state(registry: dict[str, Any]) -> dict[str, Any]:
    """The same fields of a record as written (absent ones empty)."""
    return {"aliases": list(registry.get("aliases") or []),
            "alias_history": [dict(s) for s in registry.get("alias_history") or []],
            "deleted": bool(registry.get("deleted"))}


def apply_state(registry: dict[str, Any], state: dict[str, Any]) -> None:
    """Write `state` into a record's registry dict, leaving out empty fields."""
    for key in FIELDS:
        registry.pop(key, None)
        if state[key]:
            registry[key] = state[key]
