"""jsonschema without building rfc3987_syntax's grammar on import (issue 26).

jsonschema checks the `iri` and `iri-reference` formats (18 places in the CycloneDX 1.6
schema) with rfc3987_syntax, whose import builds three Earley parsers with lark: ~1 s of
CPU, most of what `govkit check` costs without its user cache. Here jsonschema is imported
with that import refused, then the same two checks are registered on the same checkers:
a value inside a plain subset of RFC 3987 (`scheme://host:port/path?query#fragment`, ASCII,
no user or IP literal; every such string parses with the grammar) is valid without
parsing, any other value is parsed by rfc3987_syntax itself, imported then. The checkers
therefore give the verdicts jsonschema gives (tests/exports/test_iri_format.py).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import re
import sys
from collections.abc import Callable, Sequence
from importlib.util import find_spec
from types import ModuleType

_GRAMMAR = "rfc3987_syntax"
_PCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
#: scheme "://" ireg_name (":" port)? ipath_abempty ("?" iquery)? ("#" ifragment)?
PLAIN_IRI = re.compile(
    rf"[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9._~!$&'()*+,;=-]*(?::[0-9]*)?(?:/{_PCHAR}*)*"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?")
_FORMATS = {"iri": "iri", "iri-reference": "iri_reference"}  # format -> grammar rule


class _Refused(importlib.abc.MetaPathFinder):
    """Refuses to import the grammar (jsonschema then leaves its two checks out) and
    records that jsonschema asked for it."""

    asked = False

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name == _GRAMMAR:
            self.asked = True
            raise ModuleNotFoundError(f"{name} is imported when a value needs it", name=name)
        return None


def import_jsonschema() -> None:
    """Import jsonschema, with its IRI checks parsing only values outside the plain subset.

    Nothing changes when jsonschema or the grammar is already imported, when rfc3987 (which
    jsonschema prefers) or rfc3987_syntax is not installed, or when this jsonschema does
    not ask for rfc3987_syntax."""
    if ("jsonschema" in sys.modules or _GRAMMAR in sys.modules
            or find_spec("rfc3987") is not None or find_spec(_GRAMMAR) is None):
        importlib.import_module("jsonschema")
        return
    refused = _Refused()
    sys.meta_path.insert(0, refused)
    try:
        importlib.import_module("jsonschema")
    finally:
        sys.meta_path.remove(refused)
    from jsonschema import FormatChecker
    from jsonschema.validators import Draft7Validator, Draft201909Validator, Draft202012Validator

    checkers = [v.FORMAT_CHECKER for v in
                (Draft7Validator, Draft201909Validator, Draft202012Validator)]
    if not refused.asked or any(f in c.checkers for c in checkers for f in _FORMATS):
        return
    for name, rule in _FORMATS.items():
        check = _iri_check(rule)
        for checker in checkers:
            checker.checks(name, raises=ValueError)(check)
        FormatChecker.checkers[name] = (check, ValueError)  # as jsonschema registers it


def _iri_check(rule: str) -> Callable[[object], bool]:
    def check(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        if PLAIN_IRI.fullmatch(instance):
            return True
        from rfc3987_syntax import is_valid_syntax

        return bool(is_valid_syntax(rule, instance))

    return check
