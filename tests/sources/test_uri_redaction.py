"""A tracking URI is shown as scheme, host, port and path only: userinfo, parameters, query
and fragment are replaced by `***` whatever their form, in the shown URI and in every
message that names the store (issue 21, class 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govkit.cli import main
from govkit.sources.mlflow_errors import store_error, uri_error
from govkit.sources.mlflow_store import checked_uri
from govkit.sources.uri_redaction import redact_uri
from tests.conftest import examples

# where a secret can hide; {s} is the secret
PLACES = [
    "https://u:{s}@h:5000/p", "https://{s}@h/p", "https://{s}:pw@h/p", "https://h/p?{s}",
    "https://h/p?a=1&{s}", "https://h/p;{s}", "https://h/p&{s}", "https://h/p#{s}",
    "https://h:5000/p?key={s}#x", "postgresql://u:{s}@db:5432/ml?sslmode=require",
    "sqlite:///store.db?{s}", "sqlite:///store.db;{s}", "databricks://profile?{s}",
    "htp://u:{s}@h:5000", "http://h/p?x=1;{s}", "https://u@h/p#{s}",
    # after the host itself: no path before the ;/& (the authority ends at / ? # only),
    # a port that is no number, a password holding @
    "https://h;{s}", "https://h:5000;{s}/p", "https://h&{s}", "https://h:{s}/p",
    "https://h:{s}", "https://u:p@ss{s}@h/p", "https://u:{s}@h@h2/p",
]
SECRETS = st.text("abcdefXYZ0123456789_-.~!$'()*+,=:%", min_size=6, max_size=24).filter(
    lambda s: s.strip("=:.%") == s and len(set(s)) > 3)


@pytest.mark.parametrize(("uri", "shown"), [
    ("https://h/p?S3cr3t", "https://h/p?***"),
    ("https://h/p;S3cr3t", "https://h/p;***"),
    ("https://h/p?a=1&S3cr3t", "https://h/p?***"),
    ("https://h/p&S3cr3t", "https://h/p&***"),
    ("https://h/p#frag", "https://h/p#***"),
    ("https://user:pw@h:5000/p", "https://***@h:5000/p"),
    ("https://user@h/p", "https://***@h/p"),
    ("postgresql://ml:s3cret@db:5432/mlflow", "postgresql://***@db:5432/mlflow"),
    ("sqlite:///mlflow.db", "sqlite:///mlflow.db"),
    ("http://localhost:5000", "http://localhost:5000"),
    ("databricks", "databricks"),
    ("https://h;S3cr3t", "https://h***"),
    ("https://h:S3cr3t/p", "https://h:***/p"),
    ("https://[::1]:5000/p", "https://[::1]:5000/p"),
    ("https://u:p%40ss@h:5000/p%3Fx", "https://***@h:5000/p%3Fx"),
    ("./mlruns", "./mlruns"),
])
def test_only_scheme_host_port_and_path_are_shown(uri: str, shown: str) -> None:
    assert redact_uri(uri) == shown


@settings(max_examples=examples(300), deadline=None)
@given(secret=SECRETS, where=st.sampled_from(PLACES))
def test_a_secret_in_any_position_is_never_shown(secret: str, where: str) -> None:
    uri = where.format(s=secret)
    assert secret not in redact_uri(uri)
    # ... nor in an error naming the store, whatever the message and the fix quote
    err = uri_error(uri, f"cannot open {uri}", f"run `mlflow db upgrade {uri}`")
    assert secret not in str(err)
    assert secret not in str(store_error(uri, ValueError(f"bad URL {uri!r}")))


@settings(max_examples=examples(60), deadline=None)
@given(secret=SECRETS, where=st.sampled_from(PLACES))
def test_checking_a_uri_never_prints_its_secret(secret: str, where: str) -> None:
    uri = where.format(s=secret)
    try:
        checked_uri(uri)
    except Exception as exc:
        assert secret not in str(exc)


@pytest.mark.parametrize("tail", ["?S3cr3tTok", ";S3cr3tTok", "&S3cr3tTok", "#S3cr3tTok"])
def test_the_cli_never_prints_a_bare_secret(tail: str, tmp_path: Path,
                                            capfd: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "govkit.yaml").write_text(
        "project: P\nmodels:\n  - name: m\n", encoding="utf-8")
    for uri in (f"sqlite:///nothere.db{tail}", f"htp://u@h:5000/x{tail}"):
        code = main(["-C", str(tmp_path), "ingest", "m", "--tracking-uri", uri])
        out, err = capfd.readouterr()
        assert code == 2, err
        assert "S3cr3tTok" not in out + err
