"""A template override from a pull request can format the data it is given, nothing else
(issue 8, item 1): no method calls, no file reads, no objects with methods in the context."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit.cli import main

PICKLE = ("{{ project.parse_raw(\"cos\\nsystem\\n(S'touch /tmp/govkit-pwned'\\ntR.\", "
          "proto='pickle', allow_pickle=True) }}")


def _override(example: Path, text: str | bytes, name: str = "card.md.j2") -> Path:
    path = example / "templates" / name
    path.parent.mkdir(exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize("attack", [
    PICKLE,
    "{{ project.parse_file('/etc/hostname') }}",
    "{{ card.title.upper() }}",
    "{{ release.date.isoformat() }}",
    "{{ (card|attr('items'))() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for k, v in card.items() %}{{ k }}{% endfor %}",
    "{{ lipsum() }}",
    "{{ cycler(1, 2).next() }}",
])
def test_override_that_calls_anything_is_refused(example: Path, attack: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _override(example, "# Card\n\nfine line\n" + attack + "\n")
    before = sorted(p.as_posix() for p in example.parent.rglob("*"))
    assert main(["-C", str(example), "build"]) == 2
    err = capsys.readouterr().err
    assert "templates/card.md.j2:4:" in err, err
    assert "not allowed" in err or "undefined" in err, err
    assert not Path("/tmp/govkit-pwned").exists()
    assert sorted(p.as_posix() for p in example.parent.rglob("*")) == before  # nothing written


def test_context_holds_plain_data_only(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The values a template sees are dicts, lists, strings, numbers, booleans and None."""
    walker = ("{% macro walk(v) %}{% if v is mapping %}{% for k in v %}{{ walk(v[k]) }}"
              "{% endfor %}{% elif v is sequence and v is not string %}{% for x in v %}"
              "{{ walk(x) }}{% endfor %}{% elif v is not none and v is not string and v is not "
              "number and v is not boolean %}NOT-PLAIN{% endif %}{% endmacro %}"
              "{{ walk([project, card, release, metrics, segments, failing, training, "
              "registry, run_info, datasets, details, training_data, evaluation_data, "
              "monitoring, versions, status, latest]) }}\n")
    _override(example, walker)
    assert main(["-C", str(example), "build"]) == 0
    for page in (example.parent / "site/models").rglob("*.md"):
        if "monitoring" not in page.parts and page.name != "history.md":
            assert "NOT-PLAIN" not in page.read_text(), page


def test_undefined_variable_names_the_line(example: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _override(example, "# Card\n\n{{ no_such_value }}\n")
    assert main(["-C", str(example), "build"]) == 2
    assert "templates/card.md.j2:3: template error: 'no_such_value' is undefined" in \
        capsys.readouterr().err


def test_override_that_is_not_utf8_is_an_input_error(example: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _override(example, "# Karte für {{ card.title }}\n".encode("latin-1"))
    assert main(["-C", str(example), "build"]) == 2
    assert "templates/card.md.j2: not UTF-8 text" in capsys.readouterr().err
