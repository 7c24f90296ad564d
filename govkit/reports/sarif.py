"""Check results as SARIF 2.1.0, for code scanning (pure: returns text).

One rule per kind of finding (stable ids), one result per check that did not pass, located
at the YAML line that documents the range. `partialFingerprints` hash the check id, so a
result keeps its identity when lines move.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from govkit.checks.results import CheckResult
from govkit.reports.common import location
from govkit.schemas.report import LEVELS

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"

# status -> (rule id, name, short description); ids never change once published.
RULES: dict[str, tuple[str, str, str, str]] = {
    "fail": ("GK001", "metric-outside-documented-range",
             "A documented metric is outside its allowed range.",
             "Fix the model, or change the documented range with its owner's approval."),
    "insufficient_data": ("GK002", "metric-not-evaluated",
                          "A documented metric has no value (or too few rows) to evaluate.",
                          "Record the value, or wait for a window with enough labelled rows."),
    "no_range": ("GK003", "range-not-documented",
                 "A metric has a value but no documented allowed range.",
                 "Add min and/or max for the metric to the card (or the release)."),
    "waived": ("GK004", "check-waived",
               "A failing check is accepted until its waiver expires.",
               "Fix the cause before the waiver's expiry date."),
    "warn": ("GK006", "document-warning",
             "A data dictionary, training guide or architecture disagrees with what govkit "
             "sees, or a document has no owner or is older than its cadence (a failure "
             "under --strict).",
             "Make the document and the data, signature or card agree; name an owner; "
             "review it and update last_reviewed."),
    "governance": ("GK005", "governance-rule-failed",
                   "A governance rule failed: an alert, runbook or incident, a training "
                   "guide, data dictionary or architecture that disagrees with the card, or "
                   "a model version without a card.",
                   "Fix what the message names: the runbook, owner contact, action, "
                   "postmortem, or the document that disagrees."),
}
_ORDER = list(RULES)


def fingerprint(check_id: str) -> str:
    return hashlib.sha256(check_id.encode()).hexdigest()[:32]


def as_sarif(results: list[CheckResult], root: Path, version: str = "",
             repo: Path | None = None) -> str:
    """`root` is the project folder; result uris are relative to `repo` (the repository root,
    which code scanning resolves them against; default: `root`), whatever the cwd."""
    driver: dict[str, Any] = {
        "name": "govkit",
        "rules": [_rule(status) for status in _ORDER],
    }
    if version:
        driver["semanticVersion"] = version
    log = {
        "$schema": SCHEMA_URI, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": [_result(r, root, repo or root) for r in results if r.status in RULES],
        }],
    }
    return json.dumps(log, indent=2, sort_keys=True) + "\n"


def _rule(key: str) -> dict[str, Any]:
    rule_id, name, text, fix = RULES[key]
    level = LEVELS["fail" if key == "governance" else key]
    return {
        "id": rule_id, "name": name, "shortDescription": {"text": text},
        "help": {"text": fix}, "defaultConfiguration": {"level": level},
    }


def _key(r: CheckResult) -> str:
    return "governance" if r.failed and r.kind not in ("release", "monitoring") else r.status


def _result(r: CheckResult, root: Path, repo: Path) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(location(r, root, repo))}}
    if r.line:
        physical["region"] = {"startLine": r.line}
    return {
        "ruleId": RULES[_key(r)][0],
        "ruleIndex": _ORDER.index(_key(r)),
        "level": LEVELS[r.status],
        "message": {"text": f"{r.id}: {r.message}"},
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": r.id, "kind": "member"}],
        }],
        "partialFingerprints": {"govkitCheckId/v1": fingerprint(r.id)},
        "properties": {
            "checkId": r.id, "status": r.status, "value": r.value,
            "min": r.range.min, "max": r.range.max, "range": str(r.range),
        },
    }
