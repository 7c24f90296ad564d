import json
from pathlib import Path

import pytest

from govkit.errors import MonitoringInputError
from govkit.monitoring.evidently_import import import_evidently_report

FIXTURE = Path(__file__).parent / "fixtures" / "evidently_data_drift.json"


def test_maps_drift_table():
    report = json.loads(FIXTURE.read_text())
    res = import_evidently_report(report, model="churn", window="2024-06-01")
    f = {x.feature: x for x in res.features}
    assert set(f) == {"(dataset)", "monthly_charges", "plan", "tenure_months"}
    ks = f["tenure_months"]
    assert (ks.kind, ks.test, ks.p_value, ks.statistic) == (
        "numeric",
        "evidently:K-S p_value",
        0.0012,
        None,
    )
    assert ks.thresholds == {"p_value": 0.05}
    assert (ks.status, ks.severity) == ("drift", "P3")
    assert f["plan"].kind == "categorical" and f["plan"].status == "ok"
    w = f["monthly_charges"]
    assert w.statistic == 0.0431 and w.p_value is None and w.thresholds == {"distance": 0.1}
    ds = f["(dataset)"]
    assert ds.statistic == pytest.approx(1 / 3) and ds.status == "ok"
    assert res.drifted_features == ["tenure_months"]
    assert res.max_severity == "P3"
    assert res.reference.source == "evidently"
    assert json.loads(res.to_json())["features"][0]["feature"] == "(dataset)"


def test_rejects_non_reports():
    with pytest.raises(MonitoringInputError, match="metrics"):
        import_evidently_report({"foo": 1}, model="m", window="w")
    with pytest.raises(MonitoringInputError, match="no DataDriftTable"):
        import_evidently_report(
            {"metrics": [{"metric": "ColumnSummaryMetric", "result": {}}]}, model="m", window="w"
        )
