"""Compare versions (issue 11): each version beside the one before it."""

from __future__ import annotations

from pathlib import Path

from govkit.commands.build import build


def _page(example: Path, model: str = "churn") -> str:
    build(example)
    return (example.parent / f"site/models/{model}/compare.md").read_text()


def test_compare_shows_metrics_ranges_data_and_text(example: Path) -> None:
    release = example / "churn/releases/2.3.0.yaml"
    release.write_text(release.read_text().replace(
        "  auc_roc:\n    value: 0.87\n", "  auc_roc:\n    value: 0.87\n    min: 0.86\n")
        + "description: Retrained with *billing* features.\n"
        + "training:\n  source: csv-log\n  log_file: t.csv\n  params: {depth: '8', lr: '0.1'}\n")
    older = example / "churn/releases/2.2.0.yaml"
    older.write_text(older.read_text()
                     + "training:\n  source: csv-log\n  log_file: t.csv\n  params: {depth: '6', lr: '0.1'}\n")
    page = _page(example)
    assert "## 2.3.0 vs 2.2.0" in page
    assert ("| AUC-ROC | overall | 0.86 | 0.87 | :material-arrow-up-bold:{ .gk-better } +0.01 "
            "| &gt; 0.85 | **≥ 0.86** (changed) |") in page
    assert "| Recall@10% | overall | 0.58 | 0.62 |" in page
    assert "| depth | 6 | 8 |" in page and "| lr |" not in page  # only what differs
    assert ("| size | 1.1M users, 13.9% churn rate | 1.2M users, 14.3% churn rate |") in page
    assert "| label definition |" not in page  # the same in both
    assert "Retrained with *billing* features." in page
    history = (example.parent / "site/models/churn/history.md").read_text()
    assert "[Compare versions](compare.md)" in history


def test_compare_lists_failing_rows_first_and_new_segments(example: Path) -> None:
    page = _page(example, "upsell")
    rows = [line for line in page.splitlines() if line.startswith("| :material")]
    assert "**FAIL** | Accuracy | New Users | – | 0.70 |" in rows[0]
    assert len(rows) == 6


def test_one_version_has_nothing_to_compare(example: Path) -> None:
    (example / "churn/releases/2.2.0.yaml").unlink()
    assert "Only one version is released: there is nothing to compare yet." in _page(example)
