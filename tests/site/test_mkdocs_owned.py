"""Issue 21: govkit owns the site's mkdocs configuration (failure classes 1, 2, 4 and 6).

A pull request's mkdocs.yml reached `mkdocs build` past a denylist: a merge key, an alias or
an INHERITed file gave the theme a custom_dir (code ran in CI), `java<TAB>script:` URLs and HTML
in site_description reached every page, the tags plugin exported outside the site. An untrusted
build now ignores mkdocs.yml (govkit writes the config from govkit.yaml's `site:` section, or
takes it from a revision CI names); a trusted build resolves merges, aliases and INHERIT first,
then checks the result against allowlists."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govkit.cli import main
from govkit.commands.init import init_project

OVERRIDE = ('{% extends "base.html" %}{% block extrahead %}{{ '
            "self.__init__.__globals__.__builtins__.__import__('os').system('touch "
            "{marker}') }}{% endblock %}\n")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("owned") / "repo"
    init_project(root, "Owned")
    return root


@pytest.fixture
def project(base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(base, root)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GOVKIT_UNTRUSTED", raising=False)
    return root


@pytest.fixture
def marker(project: Path) -> Path:
    marker = project.parent / "outside" / "pwned"
    marker.parent.mkdir()
    (project / "overrides").mkdir()
    (project / "overrides/main.html").write_text(
        OVERRIDE.replace("{marker}", str(marker)))
    return marker


def _build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["-C", str(root), "build", "--html", *args])
    return code, capsys.readouterr().err


def _theme(root: Path, text: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("theme:\n  name: material\n", text))


CUSTOM_DIR = {  # class 1: no key literally named custom_dir under theme
    "merge key": "extra:\n  t: &t\n    custom_dir: overrides\ntheme:\n  <<: *t\n  name: material\n",
    "alias": "extra:\n  t: &t {name: material, custom_dir: overrides}\ntheme: *t\n"
             "x-unused:\n  name: material\n",
    "merge in INHERIT": "INHERIT: base.yml\ntheme:\n  name: material\n",
}


@pytest.mark.parametrize("name", list(CUSTOM_DIR))
def test_custom_dir_through_merge_alias_or_inherit_is_refused(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    text = CUSTOM_DIR[name]
    if name == "merge in INHERIT":
        (project / "base.yml").write_text(
            "extra: {t: &t {custom_dir: overrides}}\ntheme:\n  <<: *t\n  name: material\n")
    if name == "alias":
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace("theme:\n  name: material\n  font: false\n",
                                                     text).replace("x-unused:\n  name: material\n",
                                                                   "x-unused:\n"))
    else:
        _theme(project, text)
    code, err = _build(project, capsys)
    assert code == 2, err
    assert "custom_dir" in err and "mkdocs" in err, err
    assert not marker.exists()
    assert not (project / "build/site-html").exists()


def test_an_untrusted_build_never_reads_mkdocs_yml(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _theme(project, CUSTOM_DIR["merge key"])
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text()
                                        + "hooks:\n  - evil.py\n")
    code, err = _build(project, capsys, "--untrusted")
    assert code == 0, err
    assert not marker.exists()
    page = (project / "build/site-html/index.html").read_text()
    assert "Owned" in page and "fonts.googleapis" not in page


def test_untrusted_build_takes_its_look_from_the_site_section(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "docs/assets").mkdir(parents=True)
    with (project / "govkit.yaml").open("a") as config:
        config.write("site:\n  title: Team models\n  description: Cards and runbooks\n"
                     "  repo_url: https://github.com/acme/models\n  palette: dark\n")
    code, err = _build(project, capsys, "--untrusted")
    assert code == 0, err
    page = (project / "build/site-html/index.html").read_text()
    assert "Team models" in page and 'href="https://github.com/acme/models"' in page
    assert 'content="Cards and runbooks"' in page and 'data-md-color-scheme="slate"' in page


def test_a_project_name_with_markup_needs_a_plain_site_title(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = project / "govkit.yaml"
    config.write_text(config.read_text().replace('project: "Owned"',
                                                 'project: "<img src=x onerror=alert(1)>"'))
    code, err = _build(project, capsys, "--untrusted")
    assert code == 2 and "govkit.yaml:3: project:" in err and "site: {title" in err, err
    config.write_text(config.read_text() + "site:\n  title: Plain\n")
    code, err = _build(project, capsys, "--untrusted")
    assert code == 0, err
    page = (project / "build/site-html/index.html").read_text()
    assert "<img src=x onerror" not in page and "Plain" in page


@pytest.mark.parametrize("field,value", [
    ("title", "<img src=x onerror=alert(1)>"),
    ("description", "x\" onload=\"alert(1)"),
    ("repo_url", "java\tscript:alert(1)"),
    ("repo_url", "http://evil.example/"),
    ("logo", "../secret.png"),
])
def test_site_section_refuses_html_and_bad_urls(
        project: Path, capsys: pytest.CaptureFixture[str], field: str, value: str) -> None:
    import json

    with (project / "govkit.yaml").open("a") as config:
        config.write(f"site:\n  {field}: {json.dumps(value)}\n")
    code, err = _build(project, capsys, "--untrusted")
    assert code == 2, err
    assert "govkit.yaml:" in err and f"site.{field}" in err, err


TEMPLATE_STRINGS = {  # class 2: strings Material prints unescaped, URLs with a tab inside
    "site_description": ("site_description: '\"><img src=x onerror=alert(1)>'\n",
                         "site_description"),
    "site_author": ("site_author: '<script>alert(1)</script>'\n", "site_author"),
    "repo_name": ("repo_url: https://github.com/a/b\nrepo_name: '<svg onload=alert(1)>'\n",
                  "repo_name"),
    "consent": ("extra:\n  consent:\n    title: '<img src=x onerror=alert(1)>'\n",
                "extra.consent.title"),
    "toc permalink": ("", "markdown_extensions[4].toc.permalink"),
    "tab in repo_url": ("repo_url: \"java\\tscript:alert(1)\"\n", "repo_url"),
    "newline in social link": ("extra:\n  social:\n    - icon: fontawesome/brands/github\n"
                               "      link: \"java\\nscript:alert(1)\"\n",
                               "extra.social[0].link"),
    "entity in repo_url": ("repo_url: 'javascript&colon;alert(1)'\n", "repo_url"),
    "outside logo": ("", "theme.logo"),
    "control char in extra_css": ("extra_css:\n  - \"\\x01https://evil.example/x.css\"\n",
                                  "extra_css[0]"),
    "analytics": ("extra:\n  analytics:\n    provider: google\n    property: G-XXXX\n",
                  "extra.analytics"),
}


@pytest.mark.parametrize("name", list(TEMPLATE_STRINGS))
def test_html_and_script_urls_in_mkdocs_yml_are_refused(
        project: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    text, field = TEMPLATE_STRINGS[name]
    config = project / "mkdocs.yml"
    body = config.read_text()
    if name == "toc permalink":
        body = body.replace("permalink: true", "permalink: '<img src=x onerror=alert(1)>'")
    elif name == "outside logo":
        body = body.replace("  font: false\n", "  font: false\n  logo: https://evil.example/l.png\n")
    elif name == "control char in extra_css":
        body = body.replace("extra_css:\n  - assets/govkit.css\n", text)
        text = ""
    config.write_text(body + text)
    code, err = _build(project, capsys)
    assert code == 2, err
    assert f" {field}: " in err, err
    assert not (project / "build/site-html").exists()


@pytest.mark.parametrize("option", ["export_file: ../../../outside/tags.json",
                                    "export_file: {outside}/abs.json",
                                    "listings_map:\n          x: {scope: true, exclude: ''}"])
def test_tags_plugin_paths_stay_in_the_site(
        project: Path, capsys: pytest.CaptureFixture[str], option: str) -> None:
    config = project / "mkdocs.yml"
    outside = project.parent / "outside"
    option = option.replace("{outside}", str(outside))
    config.write_text(config.read_text().replace("  - tags ", f"  - tags:\n        {option}\n #"))
    code, err = _build(project, capsys)
    assert code == 2, err
    assert "plugins[1].tags." in err, err
    assert not (outside / "tags.json").exists() and not (outside / "abs.json").exists()


@pytest.mark.parametrize(("path", "inside"), [
    # fresh forms (passed already): through a folder, Windows forms, a drive, NUL, a URL
    ("a/./../../b.json", False), ("..\\x.json", False), ("C:/x.json", False),
    ("\x00../x.json", False), ("file:///tmp/x.json", False), ("....//x.json", False),
    ("//host/x.json", False), ("sub/tags.json", True), ("%2e%2e/x.json", True),
])
def test_a_plugin_path_option_is_checked_after_normalising(path: str, inside: bool) -> None:
    import yaml

    from govkit.sources.mkdocs_values import plugin_problems

    node = yaml.compose("export_file: " + yaml.safe_dump(path).splitlines()[0])
    problems = plugin_problems("tags", node, "plugins.tags")
    assert (problems == []) == inside, problems


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root,
                   check=True, capture_output=True)


def test_config_from_a_revision_uses_that_config(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(project, "init", "-q", "-b", "main")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace('site_name: "Owned"', 'site_name: "From main"'))
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    # the pull request rewrites the working tree's config
    config.write_text(config.read_text().replace('site_name: "From main"',
                                                 'site_name: "From the PR"'))
    _theme(project, CUSTOM_DIR["merge key"])
    code, err = _build(project, capsys, "--untrusted", "--config-from", "main")
    assert code == 0, err
    page = (project / "build/site-html/index.html").read_text()
    assert "From main" in page and "From the PR" not in page
    assert not marker.exists()
    code, err = _build(project, capsys, "--untrusted", "--config-from", "no-such-branch")
    assert code == 2 and "no-such-branch" in err, err


def test_config_from_a_revision_follows_inherit_in_that_revision(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(project, "init", "-q", "-b", "main")
    config = project / "mkdocs.yml"
    (project / "base.yml").write_text("site_description: Reviewed base\n")
    config.write_text("INHERIT: base.yml\n" + config.read_text())
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    (project / "base.yml").write_text("site_description: From the PR\nhooks: [evil.py]\n")
    code, err = _build(project, capsys, "--untrusted", "--config-from", "main")
    assert code == 0, err
    page = (project / "build/site-html/index.html").read_text()
    assert 'content="Reviewed base"' in page and "From the PR" not in page
    (project / "base.yml").unlink()  # gone from the working tree: still read from main
    assert _build(project, capsys, "--untrusted", "--config-from", "main")[0] == 0


def test_config_from_a_revision_is_vetted(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(project, "init", "-q", "-b", "main")
    _theme(project, CUSTOM_DIR["merge key"])
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    code, err = _build(project, capsys, "--untrusted", "--config-from", "main")
    assert code == 2 and "custom_dir" in err, err
    assert not marker.exists()


@pytest.mark.parametrize("inherited", [
    # in the revision's INHERITed file: an alias to a mapping, a merge of a list of aliases,
    # and a merge key whose mapping is itself an alias of a flow mapping
    "extra: {t: &t {name: material, custom_dir: overrides}}\ntheme: *t\n",
    "extra: {a: &a {name: material}, b: &b {custom_dir: overrides}}\n"
    "theme:\n  <<: [*a, *b]\n",
    "x: &x {custom_dir: overrides}\ny: &y {<<: *x, name: material}\ntheme: {<<: *y}\n",
])
def test_config_from_a_revision_resolves_aliases_in_inherited_files(
        project: Path, marker: Path, capsys: pytest.CaptureFixture[str], inherited: str) -> None:
    _git(project, "init", "-q", "-b", "main")
    config = project / "mkdocs.yml"
    (project / "base.yml").write_text(inherited)
    config.write_text("INHERIT: base.yml\n" + config.read_text())
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    code, err = _build(project, capsys, "--untrusted", "--config-from", "main")
    assert code == 2 and "custom_dir" in err and "base.yml" in err, err
    assert not marker.exists()


VECTORS = ("site_description: '\"><img src=x onerror=alert(1)>'\n"
           "site_author: '<script>alert(2)</script>'\n"
           "repo_url: \"java\\tscript:alert(3)\"\n"
           "repo_name: '<svg onload=alert(4)>'\n"
           "copyright: '<img src=x onerror=alert(5)>'\n"
           "extra:\n  consent:\n    title: '<img src=x onerror=alert(6)>'\n"
           "  analytics: {provider: google, property: G-XXXXXXX}\n"
           "  social:\n    - icon: fontawesome/brands/github\n"
           "      link: \"java\\nscript:alert(7)\"\n"
           "extra_javascript:\n  - https://evil.example/x.js\n")


@pytest.fixture
def chrome(tmp_path: Path) -> Iterator[Any]:
    from tests.browser import chromium, require_chromium

    require_chromium()
    with chromium(tmp_path / "chrome",
                  capabilities={"goog:loggingPrefs": {"performance": "ALL"}}) as driver:
        yield driver


def test_former_vectors_in_mkdocs_yml_do_nothing_in_chromium(
        project: Path, capsys: pytest.CaptureFixture[str], chrome: Any) -> None:
    """The pull request's mkdocs.yml carries every former vector; the untrusted build ignores
    it: no dialog, no request leaving 127.0.0.1 (fonts, analytics, scripts)."""
    import json

    from tests.browser import serve
    from tests.site.test_browser import DIALOG_TRAP, POKE

    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", "")
                      .replace("extra_css:", VECTORS + "extra_css:"))
    code, err = _build(project, capsys)
    assert code == 2  # the same file is refused by a trusted build
    code, err = _build(project, capsys, "--untrusted")
    assert code == 0, err
    site = project / "build/site-html"
    chrome.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_TRAP})
    with serve(site) as base:
        pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
        assert "index.html" in pages
        for page in pages:
            chrome.get(f"{base}/{page}")
            assert chrome.execute_script(POKE) == [], page
        urls = [json.loads(e["message"])["message"]["params"]["request"]["url"]
                for e in chrome.get_log("performance")
                if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
    assert urls
    outside = [u for u in urls if not u.startswith((base, "data:", "about:", "chrome:"))]
    assert outside == []


@pytest.mark.parametrize("url,remote,refused", [
    ("https://github.com/a/b", True, False),
    ("http://localhost:8000/", True, False),
    ("http://127.0.0.1/x", True, False),
    ("assets/x.css", False, False),
    ("java\tscript:alert(1)", True, True),
    ("java\nscript:alert(1)", True, True),
    ("\x01javascript:alert(1)", True, True),
    (" JaVaScRiPt:alert(1)", True, True),
    ("javascript&colon;alert(1)", True, True),
    ("javascript&amp;colon;alert(1)", True, True),
    # entity-encoded tab and named entities, NUL and mixed case (passed already: new forms)
    ("java&#x09;script:alert(1)", True, True),
    ("java&Tab;script:alert(1)", True, True),
    ("java&NewLine;script:alert(1)", True, True),
    ("\x00javascript:alert(1)", True, True),
    ("JaVaScRiPt:alert(1)", True, True),
    ("javascript&colon;alert(1)", True, True),
    ("&#0000106avascript:alert(1)", True, True),
    ("&#106;avascript:alert(1)", True, True),
    ("http://evil.example/", True, True),
    ("//evil.example/x.css", False, True),
    ("\x01https://evil.example/x.css", False, True),
    ("https://evil.example/x.css", False, True),
    ("/etc/passwd", False, True),
])
def test_urls_are_normalised_before_the_scheme_is_checked(url: str, remote: bool,
                                                          refused: bool) -> None:
    from govkit.schemas.site import url_problem

    assert (url_problem(url, remote=remote) is not None) == refused
