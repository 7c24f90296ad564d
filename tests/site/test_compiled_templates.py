"""Compiled templates are read only from the user's private cache folder, never from a place
a pull request can write (issue 26). A compiled template is code: a planted one that were
read would run in CI. Each test plants, where govkit would look if that folder were allowed,
a compiled `govkit.css` whose code writes PWNED, then builds the example."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.bccache import Bucket

from govkit.commands.build import build
from govkit.output.user_cache import _base
from govkit.site.jinja import _COMPILED, compiler_key, forget_compiled, make_env


def _plant(cache: Path) -> Path:
    """A compiled govkit.css that renders PWNED, filed under the real template's key and
    source checksum, in `cache` laid out as govkit lays out its cache folder."""
    env = make_env()
    source, filename, _ = env.loader.get_source(env, "govkit.css")  # type: ignore[union-attr]
    bucket = Bucket(env, _COMPILED.get_cache_key("govkit.css", filename),
                    _COMPILED.get_source_checksum(source))
    bucket.code = env.compile("PWNED", "govkit.css", filename)  # type: ignore[assignment]
    folder = cache / "templates" / compiler_key()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{bucket.key}.cache"
    with open(path, "wb") as f:
        bucket.write_bytecode(f)
    return path


def _css(example: Path) -> str:
    forget_compiled()  # as a new process: nothing compiled yet
    build(example)
    return (example.parent / "site" / "assets" / "govkit.css").read_text(encoding="utf-8")


def test_a_compiled_template_in_the_private_cache_is_used(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: the planted file is where govkit reads, so the tests below would see it."""
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "private"))
    _plant(tmp_path / "private")
    assert _css(example).startswith("PWNED")


@pytest.mark.parametrize("inside", ["examples/.cache", ".cache", "site/.cache"])
def test_a_compiled_template_planted_in_the_checkout_is_never_used(
    example: Path, tmp_path: Path, inside: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CI job points XDG_CACHE_HOME into its checkout (to save it between runs); the
    pull request commits a compiled template there."""
    (tmp_path / ".git").mkdir()  # the checkout: tmp_path holds examples/, site/, mkdocs.yml
    monkeypatch.delenv("GOVKIT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / inside))
    _plant(_base())  # type: ignore[arg-type]
    css = _css(example)
    assert "PWNED" not in css and ".gk-" in css


def test_a_compiled_template_in_a_shared_folder_is_never_used(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder others may write (a shared /tmp path) is no cache."""
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "shared"))
    planted = _plant(tmp_path / "shared")
    planted.parent.chmod(0o777)
    assert "PWNED" not in _css(example)


def test_a_changed_template_is_compiled_again(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry is keyed by its source's checksum: an override added later is not served
    the packaged template's compiled form."""
    monkeypatch.setenv("GOVKIT_CACHE_DIR", str(tmp_path / "private"))
    first = _css(example)
    assert list((tmp_path / "private" / "templates").rglob("*.cache"))
    (example / "templates" / "govkit.css").write_text("/* team css */\n", encoding="utf-8")
    assert first != _css(example) == "/* team css */\n"
