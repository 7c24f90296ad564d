"""Generated Markdown is review-friendly: changing one metric value in an input changes exactly
the generated lines that show that metric (its cell, and the change marker of the version
after it), nothing else: one table row per line, stable order, no reflow."""

from __future__ import annotations

import subprocess
from pathlib import Path

from govkit.cli import main

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


def changed_lines(repo: Path) -> dict[str, list[tuple[str, str]]]:
    """Per generated file, (removed, added) line pairs of `git diff` (every hunk 1:1)."""
    out: dict[str, list[tuple[str, str]]] = {}
    removed: list[str] = []
    for line in git(repo, "diff", "-U0", "--no-color", "--", "site").splitlines():
        if line.startswith("+++ b/"):
            name = line[6:]
        elif line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+"):
            out.setdefault(name, []).append((removed.pop(0), line[1:]))
    assert removed == []  # no line removed without its replacement
    return out


def cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def test_one_metric_value_changes_only_the_lines_that_show_it(example: Path) -> None:
    repo = example.parent
    assert main(["-C", str(example), "build"]) == 0
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    release = example / "churn/releases/2.2.0.yaml"
    text = release.read_text(encoding="utf-8")
    assert text.count("value: 0.43") == 1  # precision_at_10 of 2.2.0
    release.write_text(text.replace("value: 0.43", "value: 0.44"), encoding="utf-8")
    assert main(["-C", str(example), "build"]) == 0
    changes = changed_lines(repo)
    # the precision trend chart and the compare page show the value too; the chart's SVG is
    # not reviewed line by line
    chart = "site/models/churn/charts/precision-at-10-versions.svg"
    assert chart in changes
    del changes[chart]
    dossiers = [f"models/churn/dossiers/2.2.0/{p}.md"
                for p in ("eu-ai-act-annex-iv", "nist-ai-rmf", "sr-11-7")]
    assert sorted(changes) == ["site/.govkit-manifest.json", "site/models/churn/compare.md",
                               *(f"site/{d}" for d in dossiers),
                               "site/models/churn/history.md",
                               "site/models/churn/versions/2.2.0.md"]
    # the version's dossiers: the evaluation row's value and the cover's inputs digest
    for dossier in dossiers:
        (_, cover), (old_row, new_row) = changes[f"site/{dossier}"]
        assert cover.startswith("| **Built from** | inputs digest `")
        assert new_row.startswith("| Precision@10% | all | 0.44 |")
        assert old_row.replace("0.43", "0.44") == new_row
    assert all("0.4" in new for _, new in changes["site/models/churn/compare.md"])
    # the manifest: the digests of exactly the changed files
    assert sorted(new.split('"')[1] for _, new in changes["site/.govkit-manifest.json"]) == [
        "models/churn/charts/precision-at-10-versions.svg", "models/churn/compare.md",
        *dossiers, "models/churn/history.md", "models/churn/versions/2.2.0.md"]
    # the version page: the metric's row, only its value cell
    [(old, new)] = changes["site/models/churn/versions/2.2.0.md"]
    # the status column comes first; the label cell carries the check id as its anchor
    value = next(i for i, c in enumerate(cells(old)) if c.startswith("Precision@10%")) + 1
    assert [i for i, (a, b) in enumerate(zip(cells(old), cells(new), strict=True))
            if a != b] == [value]
    assert (cells(old)[value], cells(new)[value]) == ("0.43", "0.44")
    # the history table: the 2.2.0 row's cell and 2.3.0's change marker against it, both
    # in the Precision@10% column and nowhere else
    history = (repo / "site/models/churn/history.md").read_text(encoding="utf-8").splitlines()
    header = cells(next(line for line in history if "Precision@10%" in line and
                        line.startswith("|")))
    column = header.index("Precision@10%")
    pairs = [(o, n) for o, n in changes["site/models/churn/history.md"] if n.startswith("|")]
    # besides the table: the trend chart's caption, which states the numbers (its alt text,
    # the verdict on 2.3.0, is unchanged)
    prose = [n for _, n in changes["site/models/churn/history.md"] if not n.startswith("|")]
    assert len(prose) == 1 and all("2.2.0: overall 0.44" in n for n in prose)
    version = header.index("Version")
    assert [cells(new)[version] for _, new in pairs] == ["[2.3.0](versions/2.3.0.md) (serving)",
                                                          "[2.2.0](versions/2.2.0.md)"]
    for old, new in pairs:
        assert [i for i, (a, b) in enumerate(zip(cells(old), cells(new), strict=True))
                if a != b] == [column]
    marker = "0.45 :material-arrow-up-bold:{ .gk-better }"
    assert [(cells(o)[column], cells(n)[column]) for o, n in pairs] == [
        (f"{marker} +0.02", f"{marker} +0.01"), ("0.43", "0.44")]
