"""Governance profiles: one test per evidence selector kind, shipped profiles valid, and a
team's profile loaded from the project with its problems at FILE:LINE (exit 2)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from govkit.checks.project import check_project
from govkit.checks.results import CheckResult
from govkit.cli import main
from govkit.errors import InputError
from govkit.model import Project
from govkit.sources.profiles import shipped_doc, shipped_names
from govkit.sources.project import load_project

CONFIG = """\
project: Profiles test
models:
  - name: risk
    monitoring: {cadence_days: 30}
profiles:
  - profiles/team.yaml
"""
CARD = """\
title: Risk
intended_use:
  primary_uses: [Score credit risk]
  out_of_scope: [TBD]
owners:
  - {name: ML Team, role: ML Engineer}
last_reviewed: 2024-03-02
metrics:
  auc: {label: AUC, min: 0.8}
"""
RELEASE = """\
version: "2.0"
date: 2024-03-01
metrics:
  auc: {value: 0.9}
"""
PROFILE = """\
id: team
title: Team checklist
short: Team
source: our model policy v3
requirements:
  - id: uses
    title: Intended use
    summary: What it is for and what not.
    reference: Policy 1.1
    required: true
    evidence:
      - {kind: present, field: intended_use.primary_uses}
      - {kind: present, field: intended_use.out_of_scope}
  - id: card-fresh
    title: Card reviewed
    summary: The card is reviewed each version.
    reference: Policy 2
    evidence:
      - {kind: fresh, document: card}
  - id: ranges
    title: Ranges hold
    summary: Documented ranges hold.
    reference: Policy 3
    evidence:
      - {kind: passed, family: release}
  - id: monitored
    title: Monitored
    summary: A window in the last 30 days.
    reference: Policy 4
    evidence:
      - {kind: within_cadence}
  - id: incidents
    title: Postmortems
    summary: Every incident has a postmortem.
    reference: Policy 5
    evidence:
      - {kind: postmortem}
"""


def _project(tmp_path: Path, card: str = CARD, profile: str = PROFILE,
             config: str = CONFIG) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "govkit.yaml").write_text(config, encoding="utf-8")
    model = tmp_path / "models" / "risk"
    (model / "releases").mkdir(parents=True)
    (model / "card.yaml").write_text(card, encoding="utf-8")
    (model / "releases" / "2.0.yaml").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "team.yaml").write_text(profile, encoding="utf-8")
    return tmp_path


def _checks(project: Project) -> dict[str, CheckResult]:
    return {r.id.rsplit("/", 1)[1]: r for r in check_project(project)
            if "/governance/profile/" in r.id}


def _load(root: Path, today: str = "2024-03-10") -> Project:
    return load_project(root, dt.date.fromisoformat(today))


def test_present_placeholder_text_is_not_evidence(tmp_path: Path) -> None:
    checks = _checks(_load(_project(tmp_path)))
    uses = checks["uses"]
    assert uses.status == "fail"  # required: partly evidenced fails
    assert uses.message.startswith("partly evidenced: intended_use.out_of_scope holds "
                                   "placeholder text")
    assert [f.holds for f in uses.evidence] == [True, False]
    assert uses.evidence[1].line == 4  # where the placeholder is written
    written = _checks(_load(_project(tmp_path / "b", CARD.replace("[TBD]", "[Loans > 1M]"))))
    assert written["uses"].status == "pass" and written["uses"].message == "evidenced"


def test_fresh_follows_the_cards_cadence(tmp_path: Path) -> None:
    assert _checks(_load(_project(tmp_path)))["card-fresh"].status == "pass"
    stale = _project(tmp_path / "b", CARD.replace("2024-03-02", "2024-02-01"))
    check = _checks(_load(stale))["card-fresh"]
    assert check.status == "warn"  # not required: a warning
    assert "card not within its cadence" in check.message


def test_passed_needs_the_family_to_run_and_pass(tmp_path: Path) -> None:
    assert _checks(_load(_project(tmp_path)))["ranges"].status == "pass"
    failing = _project(tmp_path / "b", CARD.replace("min: 0.8", "min: 0.95"))
    check = _checks(_load(failing))["ranges"]
    assert check.status == "warn"
    assert "1 of 1 release checks not passed: risk/2.0/auc (fail)" in check.message


EXAMPLE_WINDOW = Path(__file__).parents[2] / "examples/churn/monitoring/2024-02-01.json"


def _window(root: Path, name: str) -> None:
    """The example's window, as this model's window `name`."""
    data = json.loads(EXAMPLE_WINDOW.read_text(encoding="utf-8"))
    data.update(model="risk", window=name, model_version="2.0")
    folder = root / "models" / "risk" / "monitoring"
    folder.mkdir()
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def test_within_cadence_needs_a_recent_window(tmp_path: Path) -> None:
    root = _project(tmp_path)
    none = _checks(_load(root))["monitored"]
    assert none.status == "warn" and "no monitoring window recorded" in none.message
    _window(root, "2024-03-01")
    assert _checks(_load(root, "2024-03-31"))["monitored"].status == "pass"
    late = _checks(_load(root, "2024-04-01"))["monitored"]
    assert late.status == "warn"
    assert "latest window 2024-03-01 older than 30 days" in late.message


def test_postmortem_owed_for_every_incident(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _checks(_load(root))["incidents"].message == "evidenced"
    (root / "models" / "risk" / "incidents.yaml").write_text(textwrap.dedent("""\
        incidents:
          - id: 2024-03-05-auc
            date: 2024-03-05
            alert: auc-below-min
            severity: P2
            summary: AUC dropped
        """), encoding="utf-8")
    check = _checks(_load(root))["incidents"]
    assert check.status == "warn"
    assert "1 of 1 incidents without a postmortem: 2024-03-05-auc" in check.message


def test_check_ids_and_exit_code_of_a_required_requirement(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    root = _project(tmp_path)
    ids = sorted(r.id for r in check_project(_load(root)) if "/profile/" in r.id)
    assert ids[0] == "risk/governance/profile/team/card-fresh"
    assert main(["-C", str(root), "check"]) == 1  # the required requirement fails
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "Team: Intended use          –      Policy 1.1: Intended use (required)  FAIL" in out
    assert "profiles/team.yaml:6: risk/governance/profile/team/uses" in out


BAD_PROFILE = PROFILE.replace("kind: fresh, document: card", "kind: fresh, document: cards") \
    .replace("    reference: Policy 3\n", "")


def test_team_profile_problems_at_file_and_line(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    root = _project(tmp_path, profile=BAD_PROFILE)
    with pytest.raises(InputError) as info:
        _load(root)
    shown = sorted(f"{p.path.rsplit('/', 2)[-2]}/{Path(p.path).name}:{p.line}: {p.field}"
                   for p in info.value.problems)
    assert shown == [
        "profiles/team.yaml:19: requirements[1].evidence[0].document",
        "profiles/team.yaml:20: requirements[2].reference",
    ], shown
    assert main(["-C", str(root), "check"]) == 2
    # a valid file naming a card field that does not exist
    typo = _project(tmp_path / "b", profile=PROFILE.replace("intended_use.out_of_scope",
                                                            "intended_use.scope"))
    assert main(["-C", str(typo), "check"]) == 2
    err = capsys.readouterr().err
    assert ("profiles/team.yaml:13: requirements[0].evidence[1].field: card.yaml has no "
            "field 'intended_use.scope'") in err, err


def test_unknown_profile_name_and_path_outside(tmp_path: Path) -> None:
    config = CONFIG.replace("profiles/team.yaml", "annex-iv") + "  - ../elsewhere.yaml\n"
    with pytest.raises(InputError) as info:
        _load(_project(tmp_path / "p", config=config))
    messages = [f"{p.path}:{p.line}: {p.message}" for p in info.value.problems]
    assert messages[0].endswith("govkit.yaml:6: 'annex-iv' is no shipped profile and no "
                                "YAML file"), messages
    assert "leaves the project" in messages[1] or "outside the project" in messages[1]


@pytest.mark.parametrize("name", shipped_names())
def test_shipped_profiles_validate(name: str, tmp_path: Path) -> None:
    config = CONFIG.replace("profiles/team.yaml", name)
    project = _load(_project(tmp_path, config=config))
    assert [p.profile.id for p in project.profiles] == [name]
    assert shipped_doc(name).data["id"] == name
    assert len(_checks(project)) == len(project.profiles[0].profile.requirements)


def test_three_profiles_are_shipped() -> None:
    assert shipped_names() == ["eu-ai-act-annex-iv", "nist-ai-rmf", "sr-11-7"]


def test_coverage_page_and_dossier_escape_a_team_profiles_text(tmp_path: Path) -> None:
    from govkit.site.pages import build_pages

    hostile = PROFILE.replace("title: Intended use", 'title: "<script>x</script> | [a](javascript:b)"')
    project = _load(_project(tmp_path, profile=hostile))
    pages = {p.path: p.content for p in build_pages(project, check_project(project))}
    for path in ("models/risk/profiles/team.md", "models/risk/dossiers/2.0/team.md"):
        text = str(pages[path])
        assert "<script>" not in text and "[a](javascript:" not in text, path
        assert "\\[a\\](javascript:b)" in text, path  # brackets escaped: no link
        assert "&lt;script&gt;" in text, path
    assert ("| [3 of 5](models/risk/profiles/team.md) (**1 required not evidenced**) |"
            in str(pages["index.md"]))


def test_present_reads_the_versions_override_of_the_card(tmp_path: Path) -> None:
    """A release's training_data overrides the card's for that version (its card page shows
    it): `present` judges the version's text, at the release file's line."""
    from govkit.checks.profiles import evaluate
    from govkit.schemas.profiles import Present

    root = _project(tmp_path, card=CARD + "training_data:\n  description: TBD\n")
    (root / "models/risk/releases/1.0.yaml").write_text(
        RELEASE.replace('"2.0"', '"1.0"').replace("2024-03-01", "2023-09-01"))
    (root / "models/risk/releases/2.0.yaml").write_text(
        RELEASE + "training_data:\n  description: Loans 2019-2023\n")
    project = _load(root)
    model = project.models[0]
    selector = Present(kind="present", field="training_data.description")
    serving = evaluate(project, model, selector, [])
    assert serving.holds and serving.source == "models/risk/releases/2.0.yaml"
    assert serving.line == 6
    old = evaluate(project, model, selector, [], model.release("1.0"))
    assert not old.holds and old.source == "models/risk/card.yaml"  # no override: the card's
