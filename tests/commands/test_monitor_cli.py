"""`govkit monitor` end to end on real Parquet/CSV files, into the project and onto the site."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from govkit.cli import main
from govkit.commands.build import build
from tests.conftest import REPO, snapshot

EVIDENTLY = REPO / "tests/monitoring/fixtures/evidently_data_drift.json"


@pytest.fixture
def windows(churn_windows: Path) -> Path:
    return churn_windows


def _monitor(example: Path, *args: str) -> int:
    return main(["-C", str(example), "monitor", "churn", *args])


def test_monitor_reproduces_the_committed_result(
    example: Path, windows: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = example / "churn/monitoring/2024-02-01.json"
    committed = target.read_bytes()
    target.unlink()
    args = ["--reference", "examples/data/churn_reference.parquet",
            "--current", "examples/data/churn_2024-02-01.parquet", "--window", "2024-02-01"]
    assert _monitor(example, *args) == 0
    # then the window's other two layers, as examples/run.sh reads them after monitor
    assert main(["-C", str(example), "observe", "churn", "--window", "2024-02-01"]) == 0
    assert target.read_bytes() == committed
    assert _monitor(example, *args) == 0
    # monitor recomputes drift and performance and keeps the layers observe read
    assert "unchanged examples/churn/monitoring/2024-02-01.json" in capsys.readouterr().out


def test_monitor_result_reaches_card_checks_and_site(example: Path, windows: Path) -> None:
    build(example)
    site = example.parent / "site"
    card = (site / "models/churn/index.md").read_text()
    assert '!!! failure "Monitoring status: last checked 2024-02-01"' in card
    page = (site / "models/churn/monitoring/2024-02-01.md").read_text()
    assert ("**FAIL**<br>&gt; 0.85 | **AUC-ROC**<br>user\\_segment=New Users<br><span class="
            '"gk-check" id="churn/live/2024-02-01/segment/user-segment-new-users/auc_roc">'
            "churn/live/2024-02-01/segment/user-segment-new-users/auc\\_roc</span> | "
            "**degraded** | 0.6032<br>0.5738 – 0.6325 | 0.87 (overall)<br>drop 30.7% | "
            "2880 (424) rows<br>p &lt; 1e-12<br>severity P1 |") in page
    charts = sorted(p.name for p in (site / "models/churn/monitoring/2024-02-01").iterdir())
    assert charts == ["device.svg", "session-minutes.svg", "sessions-30d.svg"]
    minutes = (site / "models/churn/monitoring/2024-02-01/session-minutes.svg").read_text()
    assert "<title>session_minutes: KS 0.156 (p &lt; 1e-12)</title>" in minutes
    assert ("![session\\_minutes drifted from the reference: KS 0.156 (p &lt; 1e-12).]"
            "(2024-02-01/session-minutes.svg)") in page  # the finding as alt text, once
    assert "*Share of rows per bin, reference → current, with PSI" in page  # the caption
    home = (site / "index.md").read_text()
    anchor = "models/churn/monitoring/2024-02-01.md#churn/live/2024-02-01/segment/"
    assert ("**P1** [AUC-ROC (user\\_segment=New Users): live 0.6032 is below the allowed range "
            f"&gt; 0.85 (95% interval 0.5738 – 0.6325, n = 2880)]({anchor}"
            "user-segment-new-users/auc_roc)") in home
    assert (f"- [2.3.0 **AUC-ROC** (user\\_segment=New Users)]({anchor}"
            "user-segment-new-users/auc_roc): live 0.6032 is below") in home


def test_profile_reference_and_parquet_folder_current(example: Path, windows: Path) -> None:
    profile = windows / "churn_reference.profile.json"
    assert _monitor(example, "--reference", str(windows / "churn_reference.parquet"),
                    "--current", str(windows / "churn_2024-02-01.parquet"),
                    "--window", "exact", "--save-profile", str(profile)) == 0
    parts = windows / "current_parts"
    parts.mkdir()
    table = pq.read_table(windows / "churn_2024-02-01.parquet")
    for i in range(4):
        pq.write_table(table.slice(i * 5000, 5000), parts / f"part-{i}.parquet")
    assert _monitor(example, "--reference", str(profile), "--current", str(parts),
                    "--window", "batched") == 0
    exact = json.loads((example / "churn/monitoring/exact.json").read_text())
    batched = json.loads((example / "churn/monitoring/batched.json").read_text())
    assert batched["reference"]["source"] == "profile"
    assert batched["current"] == {"path": str(parts.relative_to(example.parent)), "rows": 20000,
                                  "source": "dataset"}

    def stats(result: dict, test: str) -> dict[str, float]:
        return {f["feature"]: f["statistic"] for f in result["features"] if f["test"] == test}

    assert stats(batched, "psi") == pytest.approx(stats(exact, "psi"), rel=1e-6)
    for feature, d in stats(exact, "ks").items():
        assert abs(stats(batched, "ks")[feature] - d) <= 1.5 / 2000 + 1e-9
    assert batched["performance"] == exact["performance"]


def test_csv_windows_work_too(example: Path, windows: Path) -> None:
    for name in ("churn_reference", "churn_2024-02-01"):
        pacsv.write_csv(pq.read_table(windows / f"{name}.parquet"), windows / f"{name}.csv")
    assert _monitor(example, "--reference", str(windows / "churn_reference.csv"),
                    "--current", str(windows / "churn_2024-02-01.csv"), "--window", "csv") == 0
    result = json.loads((example / "churn/monitoring/csv.json").read_text())
    assert result["drifted_features"] == ["device", "session_minutes", "sessions_30d"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.drop_columns(["sessions_30d"]),
         "churn_2024-02-01.parquet: column sessions_30d: column 'sessions_30d' not found (columns are:"),
        (lambda t: t.slice(0, 0), "churn_2024-02-01.parquet: window has no rows"),
        (lambda t: t.set_column(0, "sessions_30d", pa.array(["x"] * t.num_rows)),
         "column sessions_30d:"),
        (lambda t: t.set_column(t.schema.get_field_index("churned"), "churned",
                                pa.array([i % 3 for i in range(t.num_rows)])),
         "column churned:"),
    ],
    ids=["missing-column", "empty-window", "type-mismatch", "non-binary-labels"],
)
def test_bad_windows_exit_2_and_write_nothing(
    example: Path, windows: Path, capsys: pytest.CaptureFixture[str], mutate, message: str
) -> None:
    current = windows / "churn_2024-02-01.parquet"
    pq.write_table(mutate(pq.read_table(current)), current)
    before = snapshot(example)
    code = _monitor(example, "--reference", str(windows / "churn_reference.parquet"),
                    "--current", str(current), "--window", "bad")
    err = capsys.readouterr().err
    assert code == 2, err
    assert message in err
    assert snapshot(example) == before


def test_unknown_model_and_bad_window_label(
    example: Path, windows: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = str(windows / "churn_reference.parquet")
    assert main(["-C", str(example), "monitor", "nope", "--reference", ref, "--current", ref]) == 2
    assert "unknown model 'nope' (declared models: churn, upsell)" in capsys.readouterr().err
    assert _monitor(example, "--reference", ref, "--current", ref, "--window", "../x") == 2
    assert "is not a safe window label" in capsys.readouterr().err


def test_import_evidently_report(example: Path) -> None:
    assert _monitor(example, "--import", str(EVIDENTLY), "--window", "evidently") == 0
    result = json.loads((example / "churn/monitoring/evidently.json").read_text())
    assert result["current"]["source"] == "evidently"
    assert result["features"], "drift findings mapped from the report"
    build(example)
    assert (example.parent / "site/models/churn/monitoring/evidently.md").is_file()


def test_import_evidently_07_report(example: Path) -> None:
    report = REPO / "tests/monitoring/fixtures/evidently_0_7_data_drift.json"
    assert _monitor(example, "--import", str(report), "--window", "2024-06-01") == 0
    result = json.loads((example / "churn/monitoring/2024-06-01.json").read_text())
    assert result["drifted_features"] == ["monthly_charges", "tenure_months"]
    assert result["model_version"] == "2.3.0"
    build(example)
    page = (example.parent / "site/models/churn/monitoring/2024-06-01.md").read_text()
    assert "verdicts are Evidently's own, with its thresholds" in page
