"""Proxy metrics for delayed labels: documented on the card, computed from a window column,
checked like any metric."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scipy import stats

from govkit.cli import main
from govkit.commands.build import build
from govkit.monitoring.proxies import proxy_metric


def test_proxy_statistics_by_hand():
    values = np.array([1.0, 0.0, 1.0, 1.0, np.nan])
    rate = proxy_metric("e", values, "rate", "active", "auc_roc", 0.95)
    assert rate.value == 0.75 and rate.sample_size == 4
    assert rate.method == "proxy: rate of active for auc_roc"
    mean = proxy_metric("m", np.array([2.0, 4.0, 6.0]), "mean", "x", None, 0.95)
    half = stats.t.ppf(0.975, 2) * 2.0 / np.sqrt(3)
    assert (mean.value, mean.ci_low, mean.ci_high) == pytest.approx((4.0, 4 - half, 4 + half))
    assert proxy_metric("m", np.array([2.0]), "mean", "x", None, 0.95).status == "not_evaluated"


@pytest.mark.parametrize(("share", "status"), [(0.6, "pass"), (0.2, "fail")])
def test_proxy_documented_on_the_card_is_checked(
    example: Path, churn_windows: Path, capsys: pytest.CaptureFixture[str], share: float,
    status: str
) -> None:
    data = churn_windows
    rng = np.random.default_rng(2)
    for name, p in (("churn_reference", 0.6), ("churn_2024-02-01", share)):
        t = pq.read_table(data / f"{name}.parquet")
        active = (rng.random(t.num_rows) < p).astype(np.int64)
        pq.write_table(t.append_column("active_7d", pa.array(active)), data / f"{name}.parquet")
    card = example / "churn/card.yaml"
    card.write_text(card.read_text().replace("metrics:\n", "metrics:\n" + (
        "  engagement_7d:\n"
        "    label: 7-day engagement\n"
        "    description: Share of users active in the 7 days after scoring (proxy for churn).\n"
        "    min: 0.5\n"), 1))
    config = example / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "      rules:\n", "      proxies:\n"
        "        engagement_7d: {column: active_7d, statistic: rate, stands_for: auc_roc}\n"
        "      rules:\n", 1))
    assert main(["-C", str(example), "monitor", "churn", "--window", "2024-02-01",
                 "--reference", str(data / "churn_reference.parquet"),
                 "--current", str(data / "churn_2024-02-01.parquet")]) == 0
    result = json.loads((example / "churn/monitoring/2024-02-01.json").read_text())
    proxy = next(m for m in result["performance"] if m["name"] == "engagement_7d")
    assert proxy["value"] == pytest.approx(share, abs=0.02)
    assert "active_7d" not in {f["feature"] for f in result["features"]}
    capsys.readouterr()
    main(["-C", str(example), "check", "--format", "json"])
    checks = {r["id"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    live = checks["churn/live/2024-02-01/engagement_7d"]
    assert live["status"] == status and live["label"] == "7-day engagement"
    build(example)
    page = (example.parent / "site/models/churn/monitoring/2024-02-01.md").read_text()
    marker = {"pass": "pass", "fail": "**FAIL**"}[status]
    assert (f"{marker}<br>≥ 0.50 | **7-day engagement**<br>all rows<br>"
            '<span class="gk-check" id="churn/live/2024-02-01/engagement_7d">'
            "churn/live/2024-02-01/engagement\\_7d</span> | proxy: see range check |") in page
