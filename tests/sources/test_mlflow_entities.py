"""Pure normalisation of what MLflow returns: thresholds, aliases, model ids."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govkit.errors import InputError
from govkit.sources.mlflow_entities import (
    aliases_by_version,
    parse_thresholds,
    threshold_tags,
    version_info,
)


def test_thresholds_artifact_and_tags() -> None:
    assert parse_thresholds(b'{"auc": {"min": 0.85}, "loss": {"max": 1, "min": null}}', "a") == {
        "auc": {"min": 0.85},
        "loss": {"max": 1.0},
    }
    tags = {"govkit.threshold.val.auc.min": "0.8", "govkit.threshold.loss.max": "2", "x": "y"}
    assert threshold_tags(tags, "r1") == {"val.auc": {"min": 0.8}, "loss": {"max": 2.0}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[1]", "expected an object"),
        ('{"auc": {"minimum": 1}}', 'auc: expected {"min": x, "max": y}'),
        ('{"auc": {"min": "high"}}', "auc.min: expected a number, got 'high'"),
        ('{"auc": {"min": true}}', "auc.min: expected a finite number"),
        ('{"caf\xe9": {"min": 1}}', "not UTF-8 text at byte 5"),
    ],
)
def test_bad_thresholds_artifact(text: str, message: str) -> None:
    with pytest.raises(InputError, match=f"artifact X of run r1: {message}".replace("{", r"\{")):
        parse_thresholds(text.encode("latin-1"), "artifact X of run r1")


@pytest.mark.parametrize(
    ("tag", "value", "message"),
    [
        ("govkit.threshold.auc.minimum", "1", "expected govkit.threshold.<metric>.min or .max"),
        ("govkit.threshold.auc.min", "high", "expected a number, got 'high'"),
        ("govkit.threshold.auc.max", "nan", "expected a finite number"),
    ],
)
def test_bad_threshold_tags_name_run_and_tag(tag: str, value: str, message: str) -> None:
    with pytest.raises(InputError, match=f"tag '{tag}' of run r9: {message}".replace(".", r"\.")):
        threshold_tags({tag: value}, "r9")


def test_aliases_as_dict_or_entities_with_int_versions() -> None:
    entities = [
        SimpleNamespace(alias="champion", version=2),
        SimpleNamespace(alias="b", version="2"),
    ]
    assert aliases_by_version(entities) == {"2": ("b", "champion")}
    assert aliases_by_version({"champion": 3, "old": "1"}) == {"3": ("champion",), "1": ("old",)}
    assert aliases_by_version(None) == {}


def test_version_info_fills_model_id_from_source_and_merges_aliases() -> None:
    mv = SimpleNamespace(
        name="m",
        version=4,
        aliases=[7],
        description="",
        tags=None,
        creation_timestamp=1,
        run_id="",
        source="models:/m-abc123",
        model_id=None,
        status="READY",
    )
    info = version_info(mv, {"4": ("champion",)})
    assert info.version == "4" and info.model_id == "m-abc123"
    assert info.aliases == ("7", "champion")
    assert info.description is None and info.run_id is None and info.tags == {}


@pytest.mark.parametrize(("uri", "shown"), [
    ("postgresql://ml:s3cret@db:5432/mlflow", "postgresql://***@db:5432/mlflow"),
    ("https://user:tok@mlflow.example.com", "https://***@mlflow.example.com"),
    ("sqlite:///mlflow.db", "sqlite:///mlflow.db"),
    ("http://localhost:5000", "http://localhost:5000"),
    # credentials outside the password: a token as the user name, in the query, in a fragment
    ("https://ghp_abc123@mlflow.example.com/", "https://***@mlflow.example.com/"),
    ("https://mlflow.example.com/api?token=abc123&workspace=7",
     "https://mlflow.example.com/api?***"),
    ("databricks://profile?access_token=dapi123", "databricks://profile?***"),
    ("https://h/#sig=abc", "https://h/#***"),
    ("file:///tmp/mlruns", "file:///tmp/mlruns"),
    ("./mlruns", "./mlruns"),
])
def test_tracking_uri_passwords_never_reach_release_files(uri: str, shown: str) -> None:
    from govkit.sources.uri_redaction import redact_uri

    assert redact_uri(uri) == shown


@given(secret=st.text("abcdefXYZ0123456789_-", min_size=6, max_size=20),
       where=st.sampled_from(["https://u:{s}@h:5000/p", "https://{s}@h/p",
                              "https://h/p?key={s}", "https://h/p?a=1&token={s}&b=2",
                              "postgresql://u:{s}@db/ml?sslmode=require", "https://h/p#{s}"]))
def test_a_credential_anywhere_in_the_uri_is_never_shown(secret: str, where: str) -> None:
    from govkit.sources.uri_redaction import redact_uri

    shown = redact_uri(where.format(s=secret))
    assert secret not in shown
    assert shown.startswith(where.split("{s}")[0].split("?")[0].split("//")[0])
