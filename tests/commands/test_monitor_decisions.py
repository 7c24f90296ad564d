"""A metric that was not evaluated is never counted or worded as passing: `check`, the
monitoring page and the card banner (finding 1)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from govkit.cli import main
from govkit.commands.build import build


@pytest.fixture
def small_window(example: Path, churn_windows: Path) -> Path:
    """A no-drift current window drawn from the reference, with a 3-row segment 'Tiny'."""
    data = churn_windows
    ref = pq.read_table(data / "churn_reference.parquet")
    rng = np.random.default_rng(4)
    keep = ref.filter(pc.not_equal(ref.column("user_segment"), "New Users"))  # AUC 0.74 there
    cur = keep.take(rng.choice(keep.num_rows, 3000, replace=False))
    seg = cur.column("user_segment").to_numpy(zero_copy_only=False).copy()
    seg[:3] = "Tiny"
    cur = cur.set_column(cur.schema.get_field_index("user_segment"), "user_segment",
                         pa.array(seg.tolist()))
    pq.write_table(cur, data / "small.parquet")
    code = main(["-C", str(example), "monitor", "churn", "--window", "2024-03-01",
                 "--reference", str(data / "churn_reference.parquet"),
                 "--current", str(data / "small.parquet")])
    assert code == 0
    return example / "churn/monitoring/2024-03-01.json"


def test_not_evaluated_is_never_a_pass(
    example: Path, small_window: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["-C", str(example), "check", "--format", "json"]) == 1  # upsell fails
    live = [r for r in json.loads(capsys.readouterr().out)["results"]
            if r.get("window") == "2024-03-01"]
    tiny = [r for r in live if r["segment"] == "user_segment=Tiny"]
    assert [r["status"] for r in tiny] == ["insufficient_data"]
    assert "not evaluated: AUC needs at least 2 positives and 2 negatives" in tiny[0]["message"]
    assert "(n = 3)" in tiny[0]["message"]
    passed = sum(r["status"] == "pass" for r in live)
    assert passed == len(live) - 1

    build(example)
    site = example.parent / "site"
    card = (site / "models/churn/index.md").read_text()
    assert '!!! warning "Monitoring status: last checked 2024-03-01"' in card
    assert (f"{passed} live documented metrics are within range; 1 was not evaluated "
            "(too few rows or not yet significant).") in card
    page = (site / "models/churn/monitoring/2024-03-01.md").read_text()
    result = json.loads(small_window.read_text())
    skipped = [m for m in result["performance"] if m["status"] == "not_evaluated"]
    assert {m["segment"] for m in skipped} == {"user_segment=Tiny"}
    assert result["recommended_action"]["not_evaluated"] == len(skipped)
    assert (f"{len(skipped)} live metrics were not evaluated: too few rows, never counted as "
            "passing") in page
    assert ("insufficient data<br>&gt; 0.85 | **AUC-ROC**<br>user\\_segment=Tiny<br>"
            '<span class="gk-check" id="churn/live/2024-03-01/segment/user-segment-tiny/auc_roc">'
            "churn/live/2024-03-01/segment/user-segment-tiny/auc\\_roc</span> | not evaluated | "
            "–<br>– | 0.87 (overall) | 3 (0) rows |") in page


def test_release_segment_is_the_baseline_and_range_of_its_monitored_segment(
    example: Path, churn_windows: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `segments:` entry of the release (by value) gives New Users its own baseline and
    range; the page says which baseline each segment used."""
    data = churn_windows
    release = example / "churn/releases/2.3.0.yaml"
    release.write_text(release.read_text() + (
        "segments:\n"
        "  - name: New Users\n"
        "    metrics:\n"
        "      auc_roc: {value: 0.72, min: 0.55}\n"))
    assert main(["-C", str(example), "monitor", "churn", "--window", "seg",
                 "--reference", str(data / "churn_reference.parquet"),
                 "--current", str(data / "churn_2024-02-01.parquet")]) == 0
    result = json.loads((example / "churn/monitoring/seg.json").read_text())
    auc = {m["segment"]: m for m in result["performance"] if m["name"] == "roc_auc"}
    new = auc["user_segment=New Users"]
    assert (new["baseline"], new["baseline_source"]) == (0.72, "segment New Users")
    assert new["relative_drop"] == pytest.approx((0.72 - new["value"]) / 0.72)
    assert auc["user_segment=Power Users"]["baseline_source"] == "overall"
    capsys.readouterr()
    assert main(["-C", str(example), "check", "--format", "json"]) == 1
    checks = {r["id"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    live = checks["churn/live/seg/segment/user-segment-new-users/auc_roc"]
    assert live["min"] == 0.55 and live["status"] == "pass"  # 0.60 > its own 0.55
    assert live["source"] == "churn/releases/2.3.0.yaml"
    build(example)
    page = (example.parent / "site/models/churn/monitoring/seg.md").read_text()
    assert "| user\\_segment = New Users | 2880 | segment New Users |" in page
    assert "| 0.72 (segment New Users)<br>drop " in page
