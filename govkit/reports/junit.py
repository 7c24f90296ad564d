"""Check results as JUnit XML, the test report GitLab and Jenkins read (pure: returns text).

One test suite per model/version, one test case per check (classname MODEL/VERSION, name the
check id); a failed range is a <failure>, a check that could not be evaluated is <skipped>.
No timestamps or host names: the same results give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from govkit.checks.results import CheckResult
from govkit.formatting import fmt
from govkit.reports.common import where

# Characters XML 1.0 cannot carry, even escaped (controls, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def as_junit(results: list[CheckResult], root: Path, repo: Path | None) -> str:
    """`root` is the project folder; files are named relative to `repo` (else `root`)."""
    suites: dict[str, list[CheckResult]] = {}
    for r in results:
        # a release per suite; other checks by their id's first two parts (churn/governance,
        # dataset/churn-training, system/churn)
        name = f"{r.model}/{r.version}" if r.version else "/".join(r.id.split("/")[:2])
        suites.setdefault(name, []).append(r)
    top = ET.Element("testsuites", {
        "name": "govkit check", "tests": str(len(results)),
        "failures": str(sum(r.failed for r in results)), "errors": "0",
    })
    for name, members in suites.items():
        suite = ET.SubElement(top, "testsuite", {
            "name": _text(name), "tests": str(len(members)),
            "failures": str(sum(r.failed for r in members)), "errors": "0",
            "skipped": str(sum(r.status in ("no_range", "insufficient_data", "waived", "warn")
                               for r in members)),
        })
        for r in members:
            suite.append(_case(name, r, root, repo))
    ET.indent(top)
    body = ET.tostring(top, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _case(classname: str, r: CheckResult, root: Path, repo: Path | None) -> ET.Element:
    case = ET.Element("testcase", {"classname": _text(classname), "name": _text(r.id)})
    facts = (f"value: {fmt(r.value)}\nrange: {r.range}\nstatus: {r.status}\n"
             f"documented at: {where(r, root, repo)}")
    if r.failed:
        failure = ET.SubElement(case, "failure", {
            "type": "range", "message": _text(f"{where(r, root, repo)}: {r.message}")})
        failure.text = _text(facts)
    elif r.status != "pass":
        why = {"waived": "waived", "warn": "warning"}.get(r.status, "not evaluated")
        skipped = ET.SubElement(case, "skipped", {"message": _text(f"{why}: {r.message}")})
        skipped.text = _text(facts)
    out = ET.SubElement(case, "system-out")
    out.text = _text(facts)
    return case
