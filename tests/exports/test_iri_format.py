"""jsonschema imported without rfc3987_syntax's grammar build (govkit/exports/iri_format.py)
gives the verdicts of cyclonedx-python-lib's strict validator as installed. The installed
validator stays the reference: each side runs in a fresh interpreter of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.cli import main
from govkit.exports.iri_format import PLAIN_IRI
from tests.conftest import REPO, examples

pytest.importorskip("cyclonedx.validation.json")
rfc3987_syntax = pytest.importorskip("rfc3987_syntax")

EXAMPLES = REPO / "examples"
#: iri-reference values: plain (no parse), other valid IRIs and references, invalid ones
URLS = [
    "https://models.example.com/models/churn/versions/2.3.0.html",
    "http://localhost:8000/a/b;c?q=1&r=(2)#frag/x?y", "ftp://files.example.org", "h://",
    "https://example.com/%20x/~u/@v:w", "HTTPS://EXAMPLE.COM:/",
    "https://bücher.example/", "/relative/path", "relative/path", "//host/path",
    "mailto:a@b.c", "urn:isbn:0451450523", "http://[::1]/", "http://user:pw@host/", "#frag",
    "", "?q", "http://192.168.0.1:80/",
    "our internal repo", "http://exa mple.com", "https://x/<y>", "http://x/%zz", "ht tp://x",
    "\\\\server\\share", 'https://x/"q"', "https://x/\n", "1http://x", "http://x:8a/",
]
_VERDICTS = """
import json, sys
if sys.argv[1] == "govkit":
    from govkit.exports.iri_format import import_jsonschema
    import_jsonschema()
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from jsonschema import FormatChecker
from jsonschema.validators import Draft7Validator, Draft201909Validator, Draft202012Validator

validator = JsonStrictValidator(SchemaVersion.V1_6)
verdicts = []
for text in json.load(sys.stdin):
    errors = validator.validate_str(text, all_errors=True)
    verdicts.append(None if errors is None else [str(e) for e in errors])
checkers = [sorted(c.checkers) for c in (FormatChecker(), Draft7Validator.FORMAT_CHECKER,
            Draft201909Validator.FORMAT_CHECKER, Draft202012Validator.FORMAT_CHECKER)]
print(json.dumps({"verdicts": verdicts, "checkers": checkers,
                  "grammar": "rfc3987_syntax" in sys.modules, "lark": "lark" in sys.modules}))
"""


def _verdicts(side: str, texts: list[str]) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", _VERDICTS, side], input=json.dumps(texts),
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _example_bom(tmp_path: Path) -> str:
    out = tmp_path / "bom.json"
    assert main(["-C", str(EXAMPLES), "export", "cyclonedx", "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _with_urls(text: str, url: str) -> str:
    """The BOM with every `url` (iri-reference in the schema) set to `url`."""
    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: url if k == "url" else walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return json.dumps(walk(json.loads(text)), indent=2)


def test_the_verdicts_are_the_installed_validators(tmp_path: Path) -> None:
    bom = _example_bom(tmp_path)
    broken = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
                         "components": [{"type": "machine-learning-model", "name": "m",
                                         "modelCard": {"quantitativeAnalysis": {
                                             "performanceMetrics": [{"value": 0.9}]}}}]})
    texts = [bom, broken, *(_with_urls(bom, url) for url in URLS)]
    reference, fast = _verdicts("reference", texts), _verdicts("govkit", texts)
    assert fast["verdicts"] == reference["verdicts"]
    assert fast["checkers"] == reference["checkers"]  # every format still checked
    assert "iri-reference" in fast["checkers"][1]
    valid = [url for url, v in zip(URLS, reference["verdicts"][2:], strict=True) if v is None]
    assert "our internal repo" not in valid and "https://bücher.example/" in valid
    assert fast["grammar"]  # values outside the plain subset were parsed by the grammar


def test_a_bom_with_plain_urls_builds_no_grammar(tmp_path: Path) -> None:
    bom = _example_bom(tmp_path)
    assert '"url": "https://' in bom
    reference, fast = _verdicts("reference", [bom]), _verdicts("govkit", [bom])
    assert fast["verdicts"] == reference["verdicts"] == [None]
    assert reference["grammar"] and reference["lark"]
    assert not fast["grammar"] and not fast["lark"]


@settings(max_examples=examples(200), deadline=None)
@given(st.from_regex(PLAIN_IRI, fullmatch=True))
def test_every_plain_iri_parses_with_the_grammar(value: str) -> None:
    assert rfc3987_syntax.is_valid_syntax("iri", value)
    assert rfc3987_syntax.is_valid_syntax("iri_reference", value)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(alphabet="hts:/.%a0F9-_~!$&'()*+,;=@?#[] é", max_size=24))
def test_a_plain_match_is_never_invalid(value: str) -> None:
    if PLAIN_IRI.fullmatch(value):
        assert rfc3987_syntax.is_valid_syntax("iri_reference", value)
