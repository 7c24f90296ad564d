"""Settings that decide verdicts across two states: card margins and goals, a model's
monitoring section (rules, severities, segments, metric mappings, proxies) and waivers,
each change judged loosened, tightened or changed (no order: needs review) by the
classification of `verdict_fields`."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from govkit.model import ModelRecord, Project, WaiverRecord
from govkit.review.records import SettingChange, SettingVerdict
from govkit.review.verdict_fields import RULE_FIELDS, VERDICT, Direction
from govkit.schemas.rules import Rules
from govkit.schemas.severity import SEVERITY_RANK

Loc = tuple[str | int, ...]


def setting_changes(base: Project, head: Project, old: ModelRecord,
                    new: ModelRecord) -> list[SettingChange]:
    out: list[SettingChange] = []
    for key in sorted(set(old.card.metrics) | set(new.card.metrics)):
        was, now = old.card.metrics.get(key), new.card.metrics.get(key)
        for name, default in (("margin", 0.0), ("goal", "higher"), ("kind", None)):
            a = getattr(was, name, None) if was else None
            b = getattr(now, name, None) if now else None
            verdict = judge(VERDICT[("MetricDefinition", name)],
                            default if a is None else a, default if b is None else b)
            if verdict:
                at = ("metrics", key, name)
                out.append(SettingChange(new.name, ".".join(at), _text(a, default),
                                         _text(b, default), verdict, new.card_source,
                                         new.card_doc.line_of(at)))
    where = _config_loc(head, new.name)
    found: list[tuple[Loc, Any, Any, SettingVerdict]] = []
    _walk(old.monitoring_config, new.monitoring_config, ("monitoring",), found)
    for loc, a, b, verdict in found:
        line = head.config_doc.line_of(where + loc) if where else None
        out.append(SettingChange(new.name, ".".join(map(str, loc)), _text(a), _text(b),
                                 verdict, head.config_doc.path, line))
    out += _waivers(old.ops.waivers, new.ops.waivers, new.name)
    return out + _layer_changes(old, new)


def _layer_changes(old: ModelRecord, new: ModelRecord) -> list[SettingChange]:
    """The card's service SLOs and business KPIs: a bound loosened, an SLO or KPI removed."""
    found: list[tuple[Loc, Any, Any, SettingVerdict]] = []
    a, b = old.card.service, new.card.service
    if a is not None and b is not None:
        _walk(a, b, ("service",), found)
    elif a != b:
        found.append((("service",), a, b, "loosened" if b is None else "tightened"))
    for key in sorted(set(old.card.business) | set(new.card.business)):
        x, y = old.card.business.get(key), new.card.business.get(key)
        if x is not None and y is not None:
            _walk(x, y, ("business", key), found)
        else:
            found.append((("business", key), x, y, "loosened" if y is None else "tightened"))
    return [SettingChange(new.name, ".".join(map(str, loc)), _text(x), _text(y), verdict,
                          new.card_source, new.card_doc.line_of(loc))
            for loc, x, y, verdict in found]


def project_waiver_changes(base: Project, head: Project) -> list[SettingChange]:
    """Waivers of waivers.yaml beside govkit.yaml."""
    return _waivers(base.waivers, head.waivers, "")


def judge(direction: Direction, old: Any, new: Any) -> SettingVerdict | None:
    """How a change of one classified field moves verdicts (None: no change)."""
    if old == new:
        return None
    if direction == "fewer" or direction == "more":
        removed = old is None or (new is not None and bool(set(old) - set(new)))
        added = new is None or (old is not None and bool(set(new) - set(old)))
        grows = added and not removed  # None: every member
        if removed and added:
            return "changed"
        return "loosened" if grows == (direction == "more") else "tightened"
    if direction == "any" or old is None or new is None:
        return "changed"
    if direction == "severity":
        old, new = SEVERITY_RANK[old], SEVERITY_RANK[new]  # a larger rank is milder
        direction = "higher"
    if direction == "true":
        return "loosened" if new else "tightened"
    up = new > old
    return "loosened" if up == (direction in ("higher", "later")) else "tightened"


def _walk(a: BaseModel, b: BaseModel, loc: Loc,
          found: list[tuple[Loc, Any, Any, SettingVerdict]]) -> None:
    cls = type(b).__name__
    for name in type(b).model_fields:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(b, Rules) and name == "features":
            _features(a, b, (*loc, name), found)  # type: ignore[arg-type]
            continue
        direction = VERDICT.get((cls, name))
        if direction is None:
            if isinstance(y, BaseModel):
                _walk(x, y, (*loc, name), found)
            continue
        verdict = judge(direction, x, y)
        if verdict:
            found.append(((*loc, name), x, y, verdict))
        if isinstance(y, dict) and isinstance(x, dict):  # proxies: members compared too
            for key in sorted(set(x) & set(y)):
                if isinstance(y[key], BaseModel):
                    _walk(x[key], y[key], (*loc, name, key), found)


def _features(a: Rules, b: Rules, loc: Loc,
              found: list[tuple[Loc, Any, Any, SettingVerdict]]) -> None:
    """Per-feature overrides compared as they apply (an override over the global value)."""
    for feature in sorted(set(a.features) | set(b.features)):
        x, y = a.for_feature(feature), b.for_feature(feature)
        for name, direction in RULE_FIELDS.items():
            verdict = judge(direction, getattr(x, name), getattr(y, name))
            if verdict:
                found.append(((*loc, feature, name), getattr(x, name), getattr(y, name),
                              verdict))
        kinds = [r.kind if (r := rules.features.get(feature)) else None for rules in (a, b)]
        if kinds[0] != kinds[1]:
            found.append(((*loc, feature, "kind"), kinds[0], kinds[1], "changed"))


def _waivers(old: list[WaiverRecord], new: list[WaiverRecord],
             model: str) -> list[SettingChange]:
    """A waiver added loosens, one removed tightens, a later expiry loosens."""
    def key(w: WaiverRecord) -> tuple[str, str]:
        return (str(w.waiver.rule), w.waiver.subject)

    was, now = {key(w): w for w in old}, {key(w): w for w in new}
    out = []
    for k in sorted(set(was) | set(now)):
        a, b = was.get(k), now.get(k)
        shown = f"waiver {k[0]} {k[1]}"
        rec = b or a
        assert rec is not None
        if a is None or b is None:
            out.append(SettingChange(model, shown, "none" if a is None else "waived",
                                     "waived" if b is not None else "none",
                                     "loosened" if a is None else "tightened",
                                     rec.where.source, rec.where.line))
            continue
        verdict = judge(VERDICT[("Waiver", "expires")], a.waiver.expires, b.waiver.expires)
        if verdict:
            out.append(SettingChange(model, f"{shown} expires", str(a.waiver.expires),
                                     str(b.waiver.expires), verdict, b.where.source,
                                     b.where.line))
    return out


def _config_loc(project: Project, model: str) -> Loc | None:
    index = next((i for i, m in enumerate(project.config.models) if m.name == model), None)
    return None if index is None else ("models", index)


def _text(value: Any, default: Any = None) -> str:
    value = default if value is None else value
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)

