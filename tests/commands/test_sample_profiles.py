"""A dataset sample's profile is kept in the user's cache folder (issue 26): the same profile
as computed, recomputed when anything it depends on changes, never read from the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.commands.loading import load_profiled_project
from govkit.commands.sample_profiles import _code_key
from govkit.output.user_cache import _base
from govkit.schemas.dictionary import DatasetProfile
from tests.test_cold_start import HEAVY, warm_check_imports


def _profile(example: Path) -> DatasetProfile:
    (record,) = [d for d in load_profiled_project(example).datasets if d.reference]
    assert record.profile is not None
    return record.profile


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "profiles").rglob("*.json"))


def test_a_kept_profile_is_the_computed_one(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVKIT_CACHE_DIR", "off")
    computed = _profile(example)
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "cache"))
    assert _profile(example) == computed  # computed, then kept
    (entry,) = _entries(tmp_path / "cache")
    assert _profile(example) == computed  # read back
    entry.write_text("{}")  # an entry of another shape: profiled again and replaced
    assert _profile(example) == computed
    assert DatasetProfile.model_validate_json(entry.read_bytes()) == computed


def test_a_changed_sample_is_profiled_again(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "cache"))
    before = _profile(example)
    sample = example / "data" / "churn_training_sample.csv"
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    sample.write_text("".join(lines[:-5]), encoding="utf-8")
    after = _profile(example)
    assert after.rows == before.rows - 5 and after.digest != before.digest
    assert len(_entries(tmp_path / "cache")) == 2


def test_a_profile_planted_in_the_checkout_is_never_read(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CI job keeps XDG_CACHE_HOME in its checkout; a pull request commits a profile
    under the real key that hides the sample's out-of-range values."""
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "private"))
    real = _profile(example)
    (entry,) = _entries(tmp_path / "private")
    forged = real.model_copy(update={"rows": 1, "columns": {}})
    (tmp_path / ".git").mkdir()
    monkeypatch.delenv("GOVKIT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    planted = _base() / "profiles" / _code_key() / entry.name  # type: ignore[operator]
    planted.parent.mkdir(parents=True, mode=0o700)
    planted.write_text(forged.model_dump_json())
    assert _profile(example) == real


def test_a_warm_check_imports_no_heavy_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second `govkit check` of the example reads the kept profile: no numpy, no
    pyarrow (~0.25 s of CPU, most of what the first run costs)."""
    tops = warm_check_imports(tmp_path, monkeypatch, capsys)
    assert sorted(tops & set(HEAVY)) == []
