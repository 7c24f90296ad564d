"""sources/git.py on a real repository: hostile revisions and paths are never options, pathspecs
or shell, and reading changes nothing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

import pytest

from govkit.errors import InputError
from govkit.sources import git

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    _git(root, "init", "-q", "-b", "main")
    (root / "sub").mkdir()
    (root / "sub/a.yaml").write_text("a: 1\n")
    (root / "*.yaml").write_text("star\n")  # a file whose name is a glob
    (root / "link.yaml").symlink_to("/etc/hostname")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "one",
         env=dict(os.environ, GIT_COMMITTER_DATE="2024-01-02T03:04:05+01:00"))
    (root / "sub/a.yaml").write_text("a: 2\n")
    _git(root, "commit", "-qam", "two")
    return root


@pytest.mark.parametrize("spec", [
    "--output=/tmp/govkit-pwned", "-h", "HEAD:sub/a.yaml", "$(touch pwned)", "HEAD..main",
    "a b", "main\n--all", "", "x" * 300,
])
def test_hostile_revisions_are_refused_before_git_sees_them(repo: Path, spec: str) -> None:
    with pytest.raises(InputError, match="not a git revision"):
        git.commit_of(repo, spec)
    assert not Path("/tmp/govkit-pwned").exists() and not (repo / "pwned").exists()


def test_revisions_people_write_resolve(repo: Path) -> None:
    head = _git(repo, "rev-parse", "HEAD").strip()
    assert git.commit_of(repo / "sub", "main") == head
    assert git.commit_of(repo, "HEAD~1") == _git(repo, "rev-parse", "HEAD~1").strip()
    assert git.toplevel(repo / "sub") == repo.resolve()
    assert git.prefix(repo / "sub") == PurePosixPath("sub/")


def test_files_of_a_revision_leave_symlinks_out_and_change_nothing(repo: Path) -> None:
    before = _git(repo, "status", "--porcelain")
    old = git.input_files(repo, git.commit_of(repo, "HEAD~1"), lambda p: p.suffix == ".yaml")
    assert old == {"*.yaml": b"star\n", "sub/a.yaml": b"a: 1\n"}  # no link.yaml
    assert _git(repo, "status", "--porcelain") == before


def test_last_changes_read_paths_literally(repo: Path) -> None:
    import datetime as dt

    from govkit.model import Changed

    later = dt.date(2030, 1, 1)
    top = git.toplevel(repo)
    changes = git.last_changes(repo, top, ["*.yaml", "no-such-file", "--all"], later)
    # '*.yaml' is the file of that name (commit of 2024-01-02), not a glob; '--all' no option
    assert changes == {"*.yaml": Changed(dt.date(2024, 1, 2), "git")}
    (repo / "*.yaml").write_text("changed\n")
    assert git.last_changes(repo, top, ["*.yaml"], later) == {
        "*.yaml": Changed(later, "working tree")}


def test_outside_a_repository(tmp_path: Path) -> None:
    assert git.toplevel(tmp_path) is None


def test_outside_any_repository_git_is_not_started(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No `.git` from the folder up and no GIT_* variable: git could find no repository, so
    it is not run (issue 26); with GIT_DIR set, or inside a work tree, git is asked."""
    started: list[list[str]] = []
    real = subprocess.run

    def run(args: list[str], *a: object, **k: object) -> subprocess.CompletedProcess[bytes]:
        started.append(list(args))
        return real(args, *a, **k)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(subprocess, "run", run)
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert git.toplevel(tmp_path / "a" / "b") is None and started == []
    _git(tmp_path / "a", "init", "-q")
    assert git.toplevel(tmp_path / "a" / "b") == (tmp_path / "a").resolve() and started
    started.clear()
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "a" / ".git"))
    assert git.toplevel(tmp_path) is not None and started
