"""The user's cache folder is used only where a pull request cannot have written it."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.output.user_cache import cache_folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo" / "project"
    root.mkdir(parents=True)
    return root


def test_the_cache_is_a_private_folder_outside_the_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "cache"))
    folder = cache_folder("templates", "k1", project)
    assert folder == (tmp_path / "cache" / "templates" / "k1").resolve()
    for level in (folder, folder.parent, folder.parent.parent):
        assert level.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("inside", [".cache", "sub/.cache", "."])
def test_no_cache_inside_the_project(project: Path, inside: str,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(project / inside))
    assert cache_folder("templates", "k1", project) is None


def test_no_cache_inside_the_git_work_tree_around_the_project(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request writes anywhere in the checkout, not only below govkit.yaml."""
    (project.parent / ".git").mkdir()
    monkeypatch.delenv("GOVKIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project.parent / ".ci-cache"))
    assert cache_folder("templates", "k1", project) is None


def test_no_cache_through_a_link_into_the_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "planted").mkdir()
    (tmp_path / "link").symlink_to(project / "planted")
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "link"))
    assert cache_folder("templates", "k1", project) is None


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_no_cache_in_a_folder_others_may_write(
    project: Path, tmp_path: Path, mode: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    (shared / "templates" / "k1").mkdir(parents=True)
    (shared / "templates" / "k1").chmod(mode)
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(shared))
    assert cache_folder("templates", "k1", project) is None


def test_the_cache_can_be_turned_off(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVKIT_CACHE_DIR", "off")
    assert cache_folder("templates", "k1", project) is None


def test_an_unwritable_cache_is_no_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "file"))
    assert cache_folder("templates", "k1", project) is None
