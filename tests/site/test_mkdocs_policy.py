"""mkdocs.yml from a pull request cannot run code in CI (issue 8 follow-up).

`govkit build --html` runs `mkdocs build`, which imports hooks, plugins and Markdown extensions
named in mkdocs.yml, constructs `!!python` tags, renders theme overrides in an unsandboxed
Jinja and follows INHERIT. Each attack below writes a marker file outside the project when it
runs; govkit must refuse it (exit 2, FILE:LINE, the fix) before mkdocs starts. The last tests
show the attacks are real: trusted, the hook runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main
from govkit.commands.init import init_project

PAYLOAD = "import pathlib; pathlib.Path({marker!r}).write_text('pwned')"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("policy") / "repo"
    init_project(root, "Policy")
    return root


@pytest.fixture
def project(base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(base, root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "outside" / "pwned"  # outside the project


def _write_module(root: Path, name: str, marker: Path, body: str = "") -> None:
    path = root / f"{name.replace('.', '/')}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAYLOAD.format(marker=str(marker)) + "\n" + body)


def _add(root: Path, text: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + text)


def _build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(root), "build", "--html", *args])
    return code, capsys.readouterr().err


EXTENSION = "def makeExtension(**kwargs):\n    from markdown import Extension\n    return Extension()\n"


def _hook(root: Path, marker: Path) -> str:
    _write_module(root, "hooks.evil", marker)
    return "hooks:\n  - hooks/evil.py\n"


def _extension(root: Path, marker: Path) -> str:
    _write_module(root, "evilext", marker, EXTENSION)
    return "  - evilext\n"  # appended to markdown_extensions (the last key of the scaffold)


def _python_tag(root: Path, marker: Path) -> str:
    return f"extra:\n  x: !!python/object/apply:os.system ['touch {marker}']\n"


def _python_name_tag(root: Path, marker: Path) -> str:
    _write_module(root, "evilname", marker, "def f(*a, **k):\n    return ''\n")
    return ("  - pymdownx.emoji:\n      emoji_index: !!python/name:evilname.f\n")


def _inherit(root: Path, marker: Path) -> str:
    parent = marker.parent / "base.yml"
    _write_module(marker.parent, "evil2", marker)
    parent.write_text(f"hooks:\n  - {marker.parent / 'evil2.py'}\n")
    return f"INHERIT: {parent}\n"


def _inherit_inside(root: Path, marker: Path) -> str:
    _write_module(root, "hooks.evil", marker)
    (root / "base.yml").write_text("hooks:\n  - hooks/evil.py\n")
    return "INHERIT: base.yml\n"


def _custom_dir(root: Path, marker: Path) -> str:
    (root / "overrides").mkdir()
    (root / "overrides/main.html").write_text(
        '{% extends "base.html" %}{% block extrahead %}{{ '
        "self.__init__.__globals__.__builtins__.__import__('os').system('touch "
        f"{marker}') }}}}{{% endblock %}}\n")
    return ""  # custom_dir is set in the theme mapping below


def _plugin(root: Path, marker: Path) -> str:
    return "  - macros\n"  # placed under plugins below


def _env(root: Path, marker: Path) -> str:
    return "extra:\n  token: !ENV GITHUB_TOKEN\n"


ATTACKS = {
    "hook": (_hook, "hooks", "runs Python"),
    "markdown extension": (_extension, "markdown_extensions[8]", "not on govkit's list"),
    "python/object/apply tag": (_python_tag, "extra.x", "!!python/object/apply:os.system"),
    "python/name tag": (_python_name_tag, "markdown_extensions[8].pymdownx.emoji.emoji_index",
                        "!!python/name:evilname.f"),
    "INHERIT outside": (_inherit, "INHERIT", "resolves outside the project"),
    "INHERIT with a hook": (_inherit_inside, "hooks", "runs Python"),
    "custom_dir": (_custom_dir, "theme.custom_dir", "unsandboxed Jinja"),
    "unknown plugin": (_plugin, "plugins[3]", "not on govkit's list"),  # search, govkit, tags, then it
    "!ENV": (_env, "extra.token", "!ENV"),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_attacks_in_mkdocs_yml_are_refused_before_mkdocs_runs(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    make, field, why = ATTACKS[name]
    text = make(project, marker)
    config = project / "mkdocs.yml"
    if name == "custom_dir":
        config.write_text(config.read_text().replace(
            "  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    elif name == "unknown plugin":
        config.write_text(config.read_text().replace("  - govkit", "  - govkit\n" + text))
    else:
        _add(project, text)
    code, err = _build(project, capsys)
    assert code == 2, err
    assert f" {field}: " in err and why in err, err
    assert "mkdocs.yml:" in err or "base.yml:" in err
    # the fix: trust, when the team reviewed it (a path out of the project is never trusted)
    assert ("trust_mkdocs_config" in err) == (name != "INHERIT outside")
    assert not marker.exists()
    assert not (project / "build/site-html").exists()


def test_a_whole_document_tag_is_refused(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mkdocs.yml").write_text(f"!!python/object/apply:os.system ['touch {marker}']\n")
    code, err = _build(project, capsys)
    assert code == 2 and "mkdocs.yml:1: (document): tag !!python/object/apply:os.system" in err
    assert not marker.exists()


def test_modules_in_the_working_directory_do_not_shadow_mkdocs(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m mkdocs` would import ./mkdocs/ from the CI checkout first."""
    _write_module(project, "mkdocs.__main__", marker)
    (project / "mkdocs/__init__.py").write_text("")
    code, err = _build(project, capsys)
    assert code == 0, err
    assert not marker.exists() and (project / "build/site-html/index.html").is_file()


def test_a_trusted_config_runs_its_hook_unless_the_build_is_untrusted(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _add(project, _hook(project, marker))
    with (project / "govkit.yaml").open("a") as config:
        config.write("site:\n  trust_mkdocs_config: true\n")
    # untrusted (issue 21): mkdocs.yml is not read at all; govkit writes the configuration
    code, err = _build(project, capsys, "--untrusted")
    assert code == 0 and not marker.exists(), err
    monkeypatch.setenv("GOVKIT_UNTRUSTED", "1")
    assert _build(project, capsys)[0] == 0 and not marker.exists()
    monkeypatch.delenv("GOVKIT_UNTRUSTED")
    code, err = _build(project, capsys)
    assert code == 0, err
    assert marker.read_text() == "pwned"  # the attack is real: trusted, the hook ran


SCRIPT_INTO_THE_SITE = {  # what a pull request's mkdocs.yml can put on every page
    "extra_javascript": ("extra_javascript:\n  - assets/evil.js\n", "extra_javascript",
                         "script"),
    "copyright HTML": ("copyright: '<img src=x onerror=alert(1)>'\n", "copyright", "HTML"),
    "javascript: repo_url": ("repo_url: 'javascript:alert(1)'\n", "repo_url", "javascript:"),
    "javascript: social link": (
        "extra:\n  social:\n    - icon: fontawesome/brands/github\n"
        "      link: ' JavaScript:alert(1)'\n", "extra.social[0].link", "javascript:"),
    "outside stylesheet": ("extra_css:\n  - https://evil.example/x.css\n", "extra_css[0]",
                           "outside the site"),
}


@pytest.mark.parametrize("name", list(SCRIPT_INTO_THE_SITE))
def test_script_or_outside_requests_from_mkdocs_yml_need_trust(
        project: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    text, field, why = SCRIPT_INTO_THE_SITE[name]
    (project / "docs/assets").mkdir(parents=True, exist_ok=True)
    (project / "docs/assets/evil.js").write_text("alert(document.cookie)\n")
    _add(project, text)
    code, err = _build(project, capsys)
    assert code == 2, err
    assert f" {field}: " in err and why in err and "trust_mkdocs_config" in err, err
    assert not (project / "build/site-html").exists()


def test_copyright_html_reaches_every_page_when_trusted(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The attack is real: mkdocs puts the copyright into the footer unescaped."""
    _add(project, "copyright: '<b id=\"injected\">x</b>'\n")
    with (project / "govkit.yaml").open("a") as config:
        config.write("site:\n  trust_mkdocs_config: true\n")
    code, err = _build(project, capsys)
    assert code == 0, err
    assert '<b id="injected">x</b>' in (project / "build/site-html/index.html").read_text()


def test_custom_icons_outside_the_project_are_refused_even_when_trusted(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Material inlines every SVG under `custom_icons` into the pages that name it."""
    marker.parent.mkdir(parents=True)
    (marker.parent / "secret.svg").write_text("<svg><text>secret</text></svg>\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n",
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        f"      options:\n        custom_icons:\n          - {marker.parent}\n"))
    assert str(marker.parent) in config.read_text()
    with (project / "govkit.yaml").open("a") as govkit_config:
        govkit_config.write("site:\n  trust_mkdocs_config: true\n")
    code, err = _build(project, capsys)
    assert code == 2, err
    assert "custom_icons: " in err and "outside the project" in err, err
