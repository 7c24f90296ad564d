"""`govkit alerts` in an untrusted run (GOVKIT_UNTRUSTED=1, as `build --untrusted`): the
working tree's mkdocs.yml comes from the unreviewed change, so it is not read; runbook URLs
follow the configuration the untrusted build writes from govkit.yaml's `site:` section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from govkit.cli import main


def _urls(out: str) -> list[str]:
    return [r["annotations"]["runbook_url"] for g in yaml.safe_load(out)["groups"]
            for r in g["rules"]]


def test_untrusted_alerts_do_not_read_mkdocs_yml(
        example: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    (example.parent / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("GOVKIT_UNTRUSTED", "1")
    assert main(["-C", str(example), "alerts"]) == 0, capsys.readouterr().err
    urls = _urls(capsys.readouterr().out)
    assert "https://models.example.com/models/churn/runbooks/auc-degradation.html" in urls


def test_untrusted_alerts_link_the_pages_the_untrusted_build_writes(
        example: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A change that turns directory URLs on in mkdocs.yml does not change the links of an
    untrusted run: its build ignores that file too, and status.json agrees with the rules."""
    mkdocs = example.parent / "mkdocs.yml"
    text = mkdocs.read_text().replace("use_directory_urls: false", "use_directory_urls: true")
    mkdocs.write_text(text.replace("  - govkit ", "  - govkit:\n      offline: false\n  #"))
    assert main(["-C", str(example), "alerts"]) == 0  # trusted: the file decides
    assert "https://models.example.com/models/churn/runbooks/auc-degradation/" in _urls(
        capsys.readouterr().out)
    monkeypatch.setenv("GOVKIT_UNTRUSTED", "1")
    assert main(["-C", str(example), "alerts"]) == 0
    urls = _urls(capsys.readouterr().out)
    assert main(["-C", str(example), "build"]) in (0, 1)
    status = json.loads((example.parent / "site/status.json").read_text(encoding="utf-8"))
    page = next(m["page"] for m in status["models"] if m["name"] == "churn")
    assert page.endswith(".html")
    assert all(u.endswith(".html") for u in urls), urls


def test_the_untrusted_option_does_the_same(example: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (example.parent / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    assert main(["-C", str(example), "alerts"]) == 2  # trusted: read, and refused
    assert main(["-C", str(example), "alerts", "--untrusted"]) == 0
