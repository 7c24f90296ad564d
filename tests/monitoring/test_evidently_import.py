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
    with pytest.raises(MonitoringInputError, match="legacy DataDriftTable"):
        import_evidently_report(
            {"metrics": [{"metric": "ColumnSummaryMetric", "result": {}}]}, model="m", window="w"
        )


FIXTURE_07 = Path(__file__).parent / "fixtures" / "evidently_0_7_data_drift.json"


def test_maps_evidently_07_report():
    """A real report of evidently 0.7.23 (see fixtures/make_evidently_07_report.py)."""
    report = json.loads(FIXTURE_07.read_text())
    res = import_evidently_report(report, model="churn", window="2024-06-01")
    f = {x.feature: x for x in res.features}
    assert set(f) == {"(dataset)", "monthly_charges", "plan", "tenure_months"}
    ks = f["tenure_months"]
    assert (ks.kind, ks.test, ks.statistic) == ("numeric", "evidently:K-S p_value", None)
    assert ks.p_value == pytest.approx(8.513756583610105e-19)
    assert (ks.status, ks.severity, ks.thresholds) == ("drift", "P3", {"p_value": 0.05})
    assert ks.detail["verdict"] == "Evidently: drift when p < 0.05"
    w = f["monthly_charges"]
    assert (w.kind, w.statistic, w.thresholds) == ("numeric", pytest.approx(0.35393910231),
                                                   {"distance": 0.1})
    assert w.status == "drift"  # Evidently: distance >= threshold
    chi = f["plan"]
    assert (chi.kind, chi.status) == ("categorical", "ok")  # p = 0.33
    ds = f["(dataset)"]
    assert ds.statistic == pytest.approx(2 / 3) and ds.status == "drift"  # share >= 0.5
    assert res.drifted_features == ["monthly_charges", "tenure_months"]
    assert "verdicts are Evidently's own" in res.ks_method


def test_07_report_without_drift_metrics_is_refused():
    report = {"metrics": [{"config": {"type": "evidently:metric_v2:RowCount"}, "value": 3}],
              "tests": []}
    with pytest.raises(MonitoringInputError, match=r"0\.7 ValueDrift or DriftedColumnsCount"):
        import_evidently_report(report, model="m", window="w")
