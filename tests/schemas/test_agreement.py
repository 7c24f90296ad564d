"""check-jsonschema against the exported JSON Schemas and govkit's own validation give the
same verdict on a corpus of broken (and valid) inputs. Where they cannot agree, because
JSON Schema cannot compare two values or see a file's name, the schema says so in a
`$comment` ("checked by govkit") at the place of the rule."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from govkit.cli import main
from govkit.schemas.export import schema_files

CHECKER = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
pytestmark = pytest.mark.skipif(CHECKER is None, reason="check-jsonschema not installed "
                                "(pip install check-jsonschema)")

BASE = {
    "govkit.yaml": "project: Agreement\nmodels:\n  - name: churn\n"
                   "datasets:\n  - name: churn-data\n",
    "models/churn/card.yaml": "title: Churn\nowners:\n  - name: ML Team\n"
                              "metrics:\n  auc:\n    min: 0.8\n",
    "models/churn/releases/1.0.0.yaml": 'version: "1.0.0"\ndate: 2024-01-15\n'
                                        "metrics:\n  auc:\n    value: 0.85\n",
    "models/churn/alerts.yaml": "alerts:\n  - id: auc-low\n    title: AUC low\n"
                                "    metric: auc\n    severity: P2\n    owner: ML Team\n"
                                "    action: Page the owner\n    for: 5m\n",
    "models/churn/incidents.yaml": "incidents: []\n",
    "waivers.yaml": "waivers: []\n",
    "datasets/churn-data.yaml": "title: Churn data\nfeatures:\n"
                                "  - name: tenure\n    type: integer\n",
}
SCHEMA = {  # file -> the JSON Schema that describes it
    "govkit.yaml": "govkit.schema.json",
    "models/churn/card.yaml": "card.schema.json",
    "models/churn/releases/1.0.0.yaml": "release.schema.json",
    "models/churn/alerts.yaml": "alerts.schema.json",
    "models/churn/incidents.yaml": "incidents.schema.json",
    "models/churn/training.yaml": "training.schema.json",
    "waivers.yaml": "waivers.schema.json",
    "datasets/churn-data.yaml": "dictionary.schema.json",
}
CARD, RELEASE = "models/churn/card.yaml", "models/churn/releases/1.0.0.yaml"
REL_HEAD = 'version: "1.0.0"\ndate: 2024-01-15\n'
ALERT_HEAD = "alerts:\n  - id: auc-low\n    title: AUC low\n    severity: P2\n"
DICT_HEAD = "title: D\nfeatures:\n  - name: plan\n"
STAGE = "    stages:\n      - name: train\n"
ALERT = ("alerts:\n  - id: auc-low\n    title: AUC low\n    metric: auc\n    owner: ML Team\n"
         "    action: Page the owner\n")


@dataclass(frozen=True)
class Case:
    name: str
    file: str
    text: str
    valid: bool = False


CASES = [
    # both accept
    Case("base project", "govkit.yaml", BASE["govkit.yaml"], valid=True),
    Case("release with ci and segments", RELEASE, REL_HEAD + "metrics:\n  auc:\n    value: 0.85"
         "\n    ci: [0.83, 0.87]\n    min: 0.8\nsegments:\n  - name: New Users\n"
         "    metrics:\n      auc: {value: 0.8}\n", valid=True),
    Case("incident", "models/churn/incidents.yaml", "incidents:\n  - id: i-1\n    date: "
         "2024-02-01\n    alert: auc-low\n    severity: P2\n    summary: AUC fell.\n",
         valid=True),
    # govkit.yaml
    Case("config unknown key", "govkit.yaml", BASE["govkit.yaml"] + "modles: []\n"),
    Case("config models not a list", "govkit.yaml", "project: A\nmodels: churn\n"),
    Case("config model without name", "govkit.yaml", "project: A\nmodels:\n  - path: x\n"),
    Case("config model name not a slug", "govkit.yaml", "project: A\nmodels:\n"
         "  - name: Churn Model\n"),
    Case("config site_url not http", "govkit.yaml", BASE["govkit.yaml"]
         + "site_url: 'javascript:alert(1)'\n"),
    Case("config alias with a space", "govkit.yaml", BASE["govkit.yaml"]
         + "mlflow:\n  serving_alias: my alias\n"),
    Case("config empty project", "govkit.yaml", "project: ''\nmodels:\n  - name: churn\n"),
    # card.yaml
    Case("card without title", CARD, "metrics:\n  auc:\n    min: 0.8\n"),
    Case("card unknown key", CARD, "tittle: Churn\n"),
    Case("card min > max", CARD, "title: C\nmetrics:\n  auc:\n    min: 0.9\n    max: 0.8\n"),
    Case("card min .nan", CARD, "title: C\nmetrics:\n  auc:\n    min: .nan\n"),
    Case("card min 1e400", CARD, "title: C\nmetrics:\n  auc:\n    min: 1e400\n"),
    Case("card bad goal", CARD, "title: C\nmetrics:\n  auc:\n    goal: up\n"),
    Case("card quoted number", CARD, "title: C\nmetrics:\n  auc:\n    min: '0.8'\n"),
    Case("card empty title", CARD, "title: ''\n"),
    Case("card negative margin", CARD, "title: C\nmetrics:\n  auc:\n    margin: -0.1\n"),
    Case("card review date not a date", CARD, "title: C\nlast_reviewed: yesterday\n"),
    # release
    Case("release min > max", RELEASE, REL_HEAD + "metrics:\n  auc:\n    value: 0.85\n"
         "    min: 0.9\n    max: 0.8\n"),
    Case("release ci low > high", RELEASE, REL_HEAD + "metrics:\n  auc:\n    value: 0.85\n"
         "    ci: [0.9, 0.8]\n"),
    Case("release version != file name", RELEASE, 'version: "2.0.0"\ndate: 2024-01-15\n'),
    Case("release duplicate segments", RELEASE, REL_HEAD + "segments:\n  - name: New\n"
         "    metrics: {auc: {value: 0.8}}\n  - name: New\n    metrics: {auc: {value: 0.7}}\n"),
    Case("release value .nan", RELEASE, REL_HEAD + "metrics:\n  auc:\n    value: .nan\n"),
    Case("release value -.inf", RELEASE, REL_HEAD + "metrics:\n  auc:\n    value: -.inf\n"),
    Case("release bad stage", RELEASE, REL_HEAD + "stage: prod\n"),
    Case("release metric without value", RELEASE, REL_HEAD + "metrics:\n  auc:\n    min: 0.8\n"),
    Case("release version as a float", RELEASE, "version: 1.0\ndate: 2024-01-15\n"),
    Case("release ci of three", RELEASE, REL_HEAD + "metrics:\n  auc:\n    value: 0.85\n"
         "    ci: [0.8, 0.85, 0.9]\n"),
    Case("release segment without metrics", RELEASE, REL_HEAD + "segments:\n  - name: New\n"
         "    metrics: {}\n"),
    Case("release metric key with a space", RELEASE, REL_HEAD + "metrics:\n  bad key:\n"
         "    value: 0.85\n"),
    Case("release negative sample size", RELEASE, REL_HEAD + "metrics:\n  auc:\n"
         "    value: 0.85\n    sample_size: -1\n"),
    Case("release missing date", RELEASE, 'version: "1.0.0"\n'),
    # alerts, incidents, waivers, training, dictionary
    Case("alert bad severity", "models/churn/alerts.yaml", ALERT + "    severity: P9\n"),
    Case("alert python name for_", "models/churn/alerts.yaml", ALERT
         + "    severity: P2\n    for_: 5m\n"),
    Case("alert bad duration", "models/churn/alerts.yaml", ALERT
         + "    severity: P2\n    for: 5 minutes\n"),
    Case("incident without id", "models/churn/incidents.yaml", "incidents:\n  - date: "
         "2024-02-01\n    alert: auc-low\n    severity: P2\n    summary: AUC fell.\n"),
    Case("incident negative minutes", "models/churn/incidents.yaml", "incidents:\n  - id: i-1\n"
         "    date: 2024-02-01\n    alert: auc-low\n    severity: P2\n    summary: AUC fell.\n"
         "    minutes_to_detect: -5\n"),
    Case("waiver unknown rule", "waivers.yaml", "waivers:\n  - rule: everything\n"
         "    subject: churn/card\n    reason: later\n    expires: 2099-01-01\n"),
    Case("waiver without expiry", "waivers.yaml", "waivers:\n  - rule: document-owner\n"
         "    subject: churn/card\n    reason: later\n"),
    Case("alert with metric and statistic", "models/churn/alerts.yaml", ALERT_HEAD
         + "    metric: auc\n    statistic: psi\n"),
    Case("alert with neither metric nor statistic", "models/churn/alerts.yaml", ALERT_HEAD),
    Case("alert bound on a statistic", "models/churn/alerts.yaml", ALERT_HEAD
         + "    statistic: psi\n    bound: min\n"),
    Case("alert feature on a model statistic", "models/churn/alerts.yaml", ALERT_HEAD
         + "    statistic: rollback_relative_drop\n    feature: plan\n"),
    Case("alert expr without {threshold}", "models/churn/alerts.yaml", ALERT
         + "    severity: P2\n    expr: churn_auc < 0.8\n"),
    Case("dictionary with categories and pii", "datasets/churn-data.yaml", DICT_HEAD
         + "    type: string\n    categories: [basic, pro]\n    sensitivity:\n"
         "      pii: true\n      handling: hashed at ingestion\n", valid=True),
    Case("dictionary min on a string", "datasets/churn-data.yaml", DICT_HEAD
         + "    type: string\n    min: 0\n"),
    Case("dictionary categories on a float", "datasets/churn-data.yaml", DICT_HEAD
         + "    type: float\n    categories: [a]\n"),
    Case("dictionary category twice", "datasets/churn-data.yaml", DICT_HEAD
         + "    type: string\n    categories: [basic, basic]\n"),
    Case("dictionary pii without handling", "datasets/churn-data.yaml", DICT_HEAD
         + "    type: string\n    sensitivity: {pii: true, handling: ' '}\n"),
    Case("dictionary min > max", "datasets/churn-data.yaml", DICT_HEAD
         + "    type: float\n    min: 2\n    max: 1\n"),
    Case("training guide", "models/churn/training.yaml", "pipeline:\n    name: p\n" + STAGE,
         valid=True),
    Case("training stage twice", "models/churn/training.yaml", "pipeline:\n    name: p\n"
         + STAGE + "      - name: train\n"),
    # rules in govkit/schemas/layers.py and predictions.py
    Case("database with url and url_env", "govkit.yaml", BASE["govkit.yaml"]
         + "observe:\n  databases:\n    w: {url: 'sqlite:///k.db', url_env: K}\n"),
    Case("service slo with query and metric", CARD, "title: C\nservice:\n  slos:\n"
         "    p99: {kind: latency, query: up, metric: up}\n"),
    Case("business kpi sql without database", CARD, "title: C\nbusiness:\n  retention:\n"
         "    connection: Discounts keep users\n    source: {sql: select 1, column: v}\n"),
    Case("predictions artifact outside the run", "govkit.yaml", BASE["govkit.yaml"]
         + "mlflow:\n  predictions: {artifact: ../x.csv}\n"),
    Case("predictions without prediction and score", "govkit.yaml", BASE["govkit.yaml"]
         + "mlflow:\n  predictions: {columns: {prediction: null, score: null}}\n"),
    Case("predictions column named twice", "govkit.yaml", BASE["govkit.yaml"]
         + "mlflow:\n  predictions: {columns: {row_id: id, target: id}}\n"),
    Case("layers in card and govkit.yaml", CARD, BASE[CARD] + "service:\n  defaults: seed\n"
         "  slos:\n    p99: {kind: latency, unit: ms, metric: req_seconds, quantile: 0.99,"
         " labels: {job: api}}\n    up: {kind: throughput, query: up, baseline: 100,"
         " min_ratio: 0.8}\nbusiness:\n  retention:\n    connection: Discounts keep users\n"
         "    max_relative_change: 0.05\n    baseline_window: '2024-01'\n"
         "    source: {sql: select 1, database: warehouse, column: v}\n"
         "  revenue:\n    connection: Offers cost\n    source: {file: kpi.csv, column: v}\n",
         valid=True),
    Case("observe and predictions", "govkit.yaml", BASE["govkit.yaml"]
         + "observe:\n  prometheus: {url: 'http://prom:9090/x@y'}\n  databases:\n"
         "    warehouse: {url_env: KPI_DB}\nmlflow:\n  predictions: {artifact: eval/p.CSV,"
         " columns: {prediction: null, segments: [plan]}}\n", valid=True),
    Case("service slo labels with query", CARD, "title: C\nservice:\n  slos:\n"
         "    p99: {kind: latency, query: up, labels: {job: api}}\n"),
    Case("service slo min_ratio without baseline", CARD, "title: C\nservice:\n  slos:\n"
         "    up: {kind: throughput, metric: up, min_ratio: 0.8}\n"),
    Case("seed defaults with latency in minutes", CARD, "title: C\nservice:\n"
         "  defaults: seed\n  slos:\n    p99: {kind: latency, unit: min, metric: up}\n"),
    Case("business kpi file neither csv nor parquet", CARD, "title: C\nbusiness:\n"
         "  retention:\n    connection: Discounts keep users\n"
         "    source: {file: kpi.xlsx, column: v}\n"),
    Case("business kpi change without baseline window", CARD, "title: C\nbusiness:\n"
         "  retention:\n    connection: Discounts keep users\n    max_relative_change: 0.05\n"
         "    source: {file: kpi.csv, column: v}\n"),
    Case("observe prometheus and openmetrics", "govkit.yaml", BASE["govkit.yaml"]
         + "observe:\n  prometheus: {url: 'http://prom:9090'}\n  openmetrics: m.om\n"),
    Case("prometheus url with a password", "govkit.yaml", BASE["govkit.yaml"]
         + "observe:\n  prometheus: {url: 'http://u:pw@prom:9090'}\n"),
    Case("predictions artifact not a table", "govkit.yaml", BASE["govkit.yaml"]
         + "mlflow:\n  predictions: {artifact: model.pkl}\n"),
    Case("training without pipeline", "models/churn/training.yaml", "approach: full\n"),
    Case("dictionary bad feature type", "datasets/churn-data.yaml", "title: D\nfeatures:\n"
         "  - name: tenure\n    type: decimal\n"),
]
# Rules JSON Schema cannot state: comparing two values of one file (draft 2020-12 has no
# $data), the file's own name, uniqueness by one key of list items. The schema carries a
# `$comment` naming the rule at the object that holds it.
CANNOT = {
    "card min > max": ("card.schema.json", "MetricDefinition", "min <= max"),
    "release min > max": ("release.schema.json", "MetricValue", "min <= max"),
    "release ci low > high": ("release.schema.json", "MetricValue", "ci low <= ci high"),
    "release version != file name": ("release.schema.json", "", "file name"),
    "release duplicate segments": ("release.schema.json", "", "segment names"),
    "dictionary min > max": ("dictionary.schema.json", "Feature", "min <= max"),
    "training stage twice": ("training.schema.json", "Pipeline", "stage names"),
    "predictions column named twice": ("govkit.schema.json", "PredictionColumns",
                                       "different columns"),
}
# Rules JSON Schema could state but the schemas do not state yet; each must disagree here,
# and once its schema states it, it moves out of this list. Empty since the layers and
# predictions rules were written into the schemas.
NOT_YET: dict[str, str] = {}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def _schema_rejects(tmp_path: Path, cases: dict[str, Path]) -> set[str]:
    """The cases check-jsonschema rejects: one run per schema over all its files."""
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    for name, data in schema_files().items():
        (schemas / name).write_bytes(data)
    by_schema: dict[str, list[str]] = {}
    for case in CASES:
        by_schema.setdefault(SCHEMA[case.file], []).append(case.name)
    rejected: set[str] = set()
    for schema, names in sorted(by_schema.items()):
        files = {str(cases[n]): n for n in names}
        run = subprocess.run([str(CHECKER), "-o", "json", "--schemafile",
                              str(schemas / schema), *files], capture_output=True, text=True)
        report = json.loads(run.stdout)
        for error in report["errors"] + report["parse_errors"]:
            rejected.add(files[error["filename"]])
        assert (run.returncode == 0) == (not rejected & set(names)), run.stdout + run.stderr
    return rejected


def _govkit_rejects(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> bool:
    code = main(["-C", str(root), "check"])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), (case.name, code, err)
    return code == 2


def test_check_jsonschema_and_govkit_agree(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    files: dict[str, Path] = {}
    govkit: dict[str, bool] = {}
    for i, case in enumerate(CASES):
        root = tmp_path / f"case{i:02d}"
        _write(root, {**BASE, case.file: case.text})
        files[case.name] = root / case.file
        govkit[case.name] = _govkit_rejects(case, root, capsys)
    schema = _schema_rejects(tmp_path, files)
    wrong = [f"{c.name}: govkit {'rejects' if govkit[c.name] else 'accepts'}, "
             f"check-jsonschema {'rejects' if c.name in schema else 'accepts'}"
             for c in CASES if govkit[c.name] != (not c.valid)
             or (c.name in schema) != (not c.valid and c.name not in {**CANNOT, **NOT_YET})]
    agree = sum(govkit[c.name] == (c.name in schema) for c in CASES)
    print(f"agreement: {agree} of {len(CASES)} inputs ({len(CANNOT)} rules JSON Schema "
          f"cannot state, {len(NOT_YET)} it could but does not yet)")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("case", sorted(CANNOT))
def test_rules_json_schema_cannot_state_are_named_in_the_schema(case: str) -> None:
    schema_name, definition, rule = CANNOT[case]
    schema = json.loads(schema_files()[schema_name])
    node = schema["$defs"][definition] if definition else schema
    assert "checked by govkit" in node.get("$comment", ""), (case, node.get("$comment"))
    assert rule in node["$comment"], (case, node["$comment"])
