"""`govkit diff` and governance-profile coverage: a requirement that lost evidence is flagged
like a loosened range (`--fail-on loosened` exits 1); one that gained it is only noted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkit.cli import main
from tests.checks.test_profiles import CARD, _project


def _states(tmp_path: Path, base_card: str, head_card: str) -> tuple[str, str]:
    base = _project(tmp_path / "base", base_card)
    head = _project(tmp_path / "head", head_card)
    return f"dir:{base}", f"dir:{head}"


WRITTEN = CARD.replace("[TBD]", "[Loans over 1M]")


def test_lost_evidence_is_flagged_and_fails_on_loosened(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, head = _states(tmp_path, WRITTEN, CARD)  # out_of_scope back to placeholder text
    code = main(["-C", base[4:], "diff", base, head, "--fail-on", "loosened"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "1 governance-profile requirement(s) lost evidence" in out
    assert ("| Team\\: Intended use (`risk/governance/profile/team/uses`) | evidenced | partly "
            "evidenced | ⚠️ **lost evidence**: partly evidenced\\: intended\\_use.out\\_of\\_scope "
            "holds placeholder text in card.yaml |") in out, out
    assert "**Metrics**" not in out  # a profile check is not a metric row
    assert main(["-C", base[4:], "diff", base, head, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["coverage_lost"] == 1 and data["loosened"] == 0
    [change] = data["models"][0]["coverage"]
    assert (change["old"], change["new"], change["lost"]) == (
        "evidenced", "partly evidenced", True)


def test_gained_evidence_is_noted_not_flagged(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    base, head = _states(tmp_path, CARD, WRITTEN)
    assert main(["-C", base[4:], "diff", base, head, "--fail-on", "loosened"]) == 0
    out = capsys.readouterr().out
    assert "lost evidence" not in out and "| partly evidenced | evidenced | gained evidence |" \
        in out, out
