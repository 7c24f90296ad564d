"""A symlink in what govkit and mkdocs read may not lead out of the project (issue 8 follow-up).

A pull request can add a link to `~/.ssh/id_rsa` or to the CI runner's credentials; mkdocs
copies what a link in docs_dir points to into the site, and govkit reads templates, cards,
releases, dictionaries and samples through links. Real symlinks, the real CLI, a real
`mkdocs build`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from govkit.cli import main
from govkit.commands.init import init_project
from tests.conftest import snapshot

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- govkit-test-secret"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "home/.ssh/id_rsa"  # outside the project folder below
    path.parent.mkdir(parents=True)
    path.write_text(SECRET + "\n")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    init_project(root, "Links")
    monkeypatch.chdir(root)
    return root


def _run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(project), *args])
    return code, capsys.readouterr().err


def _holds_secret(folder: Path) -> list[str]:
    return [rel for rel, data in snapshot(folder).items() if SECRET.encode() in data]


def test_link_in_docs_to_a_secret_is_refused_and_the_site_stays(
        project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(project, capsys, "build", "--html")[0] == 0
    html, docs = project / "build/site-html", project / "docs"
    (docs / "assets/id_rsa.txt").symlink_to(secret)
    (docs / "keys").symlink_to(secret.parent)  # a folder: mkdocs would copy all of it
    html_before, docs_before = snapshot(html), snapshot(docs)
    code, err = _run(project, capsys, "build", "--html")
    assert code == 2, err
    assert "docs/assets/id_rsa.txt: is a symlink to" in err and "outside the project" in err
    assert "docs/keys: is a symlink to" in err
    assert "copy what it should show into the project, or remove the link" in err
    assert snapshot(html) == html_before and _holds_secret(html) == []
    assert snapshot(docs) == docs_before


def test_links_into_git_metadata_or_back_to_the_project_are_refused(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Inside the project but still a leak: .git/config holds CI tokens (actions/checkout
    keeps one there); a link to a folder holding it would publish the whole project."""
    (project / ".git").mkdir()
    (project / ".git/config").write_text("[http]\n\textraheader = AUTHORIZATION: basic x\n")
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs/git").symlink_to("../.git")
    (project / "docs/everything").symlink_to("..")
    code, err = _run(project, capsys, "build")
    assert code == 2
    assert "docs/git: is a symlink to ../.git, a hidden path" in err
    assert "docs/everything: is a symlink to .., a folder that holds it" in err


@pytest.mark.parametrize("where", [
    "templates/card.md.j2",  # a template override
    "models/example/releases/9.9.9.yaml",  # an input YAML file
    "models/example/monitoring",  # an input folder
    "models",  # models_dir itself
])
def test_links_out_of_input_folders_are_refused(
        project: Path, secret: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    link = project / where
    if link.is_dir():
        os.rename(link, project / "real-models")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret if link.suffix else secret.parent)
    code, err = _run(project, capsys, "build")
    assert code == 2, err
    assert f"{where}: is a symlink to {secret if link.suffix else secret.parent}" in err
    assert not (project / "docs").exists() or _holds_secret(project / "docs") == []


def test_a_sample_linked_from_outside_is_refused(
        project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret.with_name("users.csv").write_text("name,token\nalice," + SECRET + "\n")
    (project / "data").mkdir()
    (project / "data/sample.csv").symlink_to(secret.with_name("users.csv"))
    (project / "datasets").mkdir()
    (project / "datasets/users.yaml").write_text(
        "title: Users\nreference_data: ../data/sample.csv\nfeatures:\n"
        "  - {name: name, type: string}\n  - {name: token, type: string}\n")
    with (project / "govkit.yaml").open("a") as config:
        config.write("datasets:\n  - name: users\n")
    code, err = _run(project, capsys, "build")
    assert code == 2, err
    assert "datasets/users.yaml:2: reference_data: " in err and "outside the project" in err


def test_configured_paths_may_not_leave_the_project(
        project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (secret.parent / "card.yaml").write_text((project / "models/example/card.yaml").read_text())
    config = project / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "  - name: example\n", f"  - name: example\n    path: {secret.parent}\n"))
    code, err = _run(project, capsys, "check")
    assert code == 2, err
    line = config.read_text().splitlines().index(f"    path: {secret.parent}") + 1
    assert f"govkit.yaml:{line}: models[0].path: " in err and "leaves the project" in err


def test_a_configured_path_through_a_link_out_of_the_project(
        project: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (secret.parent / "example").mkdir()
    (secret.parent / "example/card.yaml").write_text(
        (project / "models/example/card.yaml").read_text())
    (project / "via").symlink_to(secret.parent)
    config = project / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "  - name: example\n", "  - name: example\n    path: via/example\n"))
    code, err = _run(project, capsys, "check")
    assert code == 2, err
    assert "via/example: is reached through a symlink: it resolves outside the project" in err


def test_links_that_stay_inside_still_work(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(project, capsys, "build")[0] == 0
    (project / "notes").mkdir()
    (project / "notes/about.md").write_text("# About\n\nHand-written.\n")
    (project / "docs/about.md").symlink_to("../notes/about.md")
    code, err = _run(project, capsys, "build", "--html")
    assert code == 0, err
    assert "Hand-written." in (project / "build/site-html/about.html").read_text()


def test_a_project_may_live_in_a_hidden_folder_of_its_repository(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    root = tmp_path / ".govkit"
    init_project(root, "Hidden")
    (root / "docs").mkdir()
    (root / "docs/git").symlink_to("../../.git")  # still refused: the repository's .git
    code, err = _run(root, capsys, "build")
    assert code == 2 and "docs/git: is a symlink to ../../.git, a hidden path (.git)" in err
    (root / "docs/git").unlink()
    assert _run(root, capsys, "build")[0] == 0
