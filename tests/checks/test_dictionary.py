"""Data dictionaries: loading, profiling, the four checks with their exit codes, the page."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pyarrow as pa
import pytest

from govkit.checks.project import check_project
from govkit.cli import main
from govkit.commands.build import build
from govkit.commands.loading import load_profiled_project
from govkit.monitoring.dictionary import logical_type, profile_dataset
from govkit.schemas.dictionary import Feature, types_agree
from govkit.site.pages import build_pages
from govkit.sources.project import load_project

CONFIG = """\
project: Dictionary test
models:
  - name: risk
datasets:
  - name: customers
"""
CARD = """\
title: Risk
ethical_considerations:
  - name: Fairness
    description: Compared across age bands.
owners: [{name: Risk Team}]
last_reviewed: 2024-01-15
"""
RELEASE = """\
version: "1.0.0"
date: 2024-01-15
metrics:
  auc:
    value: 0.9
    min: 0.8
training:
  signature:
    inputs:
      - {name: age, type: long}
      - {name: income, type: double}
      - {name: email, type: string}
      - {name: region, type: string}
"""
DICTIONARY = """\
title: Customers
owner: {name: Data Engineering, role: Data Engineer}
source_system: CRM
models: [risk]
reference_data: sample.csv
features:
  - name: age
    type: integer
    unit: years
    sensitivity: {pii: false}
    min: 18
    max: 120
  - name: income
    type: float
    unit: EUR
    min: 0
  - name: email
    type: string
    sensitivity: {pii: true, category: contact, handling: hashed at ingestion}
  - name: region
    type: string
    categories: [north, south]
"""
SAMPLE = """\
age,income,email,region,label
30,1200.5,a@x.org,north,0
45,800.25,b@x.org,south,1
52,,c@x.org,north,0
"""


def write_project(root: Path, **files: str) -> Path:
    """A one-model project whose dataset dictionary agrees with everything (no warnings)."""
    defaults = {
        "govkit.yaml": CONFIG, "models/risk/card.yaml": CARD.replace(
            "age bands.", "age bands.\n  - name: Privacy\n    description: email is hashed."),
        "models/risk/releases/1.0.0.yaml": RELEASE, "datasets/customers.yaml": DICTIONARY,
        "datasets/sample.csv": SAMPLE,
    }
    for rel, text in (defaults | files).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def results_of(root: Path) -> dict[str, tuple[str, str, str, int | None]]:
    project = load_profiled_project(root)
    return {r.id: (r.status, r.message, r.source, r.line) for r in check_project(project)
            if r.dataset is not None}


def warnings_of(root: Path) -> dict[str, tuple[str, str, str, int | None]]:
    return {k: v for k, v in results_of(root).items() if v[0] != "pass"}


def test_agreeing_dictionary_passes_every_check(tmp_path: Path) -> None:
    results = results_of(write_project(tmp_path))
    assert warnings_of(tmp_path) == {}
    assert sorted(results) == [
        "dataset/customers/age/documented/risk", "dataset/customers/age/range",
        "dataset/customers/age/signature-type/risk", "dataset/customers/age/type",
        "dataset/customers/email/documented/risk", "dataset/customers/email/pii/risk",
        "dataset/customers/email/signature-type/risk", "dataset/customers/email/type",
        "dataset/customers/income/documented/risk", "dataset/customers/income/range",
        "dataset/customers/income/signature-type/risk", "dataset/customers/income/type",
        "dataset/customers/owner",
        "dataset/customers/region/categories", "dataset/customers/region/documented/risk",
        "dataset/customers/region/signature-type/risk", "dataset/customers/region/type",
    ]


def test_signature_feature_missing_from_the_dictionary(tmp_path: Path) -> None:
    release = RELEASE.replace("      - {name: region", "      - {name: tenure, type: long}\n"
                              "      - {name: region")
    got = warnings_of(write_project(tmp_path, **{"models/risk/releases/1.0.0.yaml": release}))
    status, message, source, line = got["dataset/customers/tenure/documented/risk"]
    assert status == "warn" and source == "datasets/customers.yaml" and line == 6
    assert "risk 1.0.0's signature (models/risk/releases/1.0.0.yaml:13) uses 'tenure'" in message
    assert list(got) == ["dataset/customers/tenure/documented/risk"]


def test_documented_type_disagrees_with_data_and_signature(tmp_path: Path) -> None:
    dictionary = DICTIONARY.replace("    type: float\n    unit: EUR", "    type: integer\n"
                                    "    unit: EUR")
    got = warnings_of(write_project(tmp_path, **{"datasets/customers.yaml": dictionary}))
    assert set(got) == {"dataset/customers/income/type",
                        "dataset/customers/income/signature-type/risk"}
    status, message, source, line = got["dataset/customers/income/type"]
    assert (status, source, line) == ("warn", "datasets/customers.yaml", 14)
    assert message == ("documented integer, but datasets/sample.csv stores float (double) "
                       "(fix the type in the dictionary or the data)")
    assert "signature declares double (models/risk/releases/1.0.0.yaml:11)" in \
        got["dataset/customers/income/signature-type/risk"][1]


def test_whole_floats_agree_with_an_integer_type_and_fractions_do_not() -> None:
    assert types_agree("integer", "float", whole_numbers=True)
    assert not types_agree("integer", "float", whole_numbers=False)
    assert types_agree("float", "integer") and not types_agree("string", "integer")


def test_reference_data_outside_documented_range_and_categories(tmp_path: Path) -> None:
    sample = SAMPLE + "17,-5,d@x.org,west,0\n130,10,e@x.org,west,1\n"
    got = warnings_of(write_project(tmp_path, **{"datasets/sample.csv": sample}))
    assert set(got) == {"dataset/customers/age/range", "dataset/customers/income/range",
                        "dataset/customers/region/categories"}
    _, message, _, line = got["dataset/customers/age/range"]
    assert line == 11  # the documented min
    assert message == ("2 of 5 values in datasets/sample.csv are outside the documented range "
                       "18 – 120 (lowest 17, highest 130)")
    assert got["dataset/customers/income/range"][1].startswith("1 of 4 values")  # 1 missing
    assert got["dataset/customers/region/categories"][1] == (
        "2 of 5 values in datasets/sample.csv are not documented categories: 'west' (2)")
    assert got["dataset/customers/region/categories"][3] == 22


def test_pii_feature_used_by_a_model_whose_card_does_not_mention_it(tmp_path: Path) -> None:
    got = warnings_of(write_project(tmp_path, **{"models/risk/card.yaml": CARD}))
    status, message, source, line = got["dataset/customers/email/pii/risk"]
    assert (status, source, line) == ("warn", "models/risk/card.yaml", 2)
    assert message.startswith("risk uses PII feature 'email' (datasets/customers.yaml:19) but")


def test_pii_feature_not_in_the_signature_is_not_used(tmp_path: Path) -> None:
    release = RELEASE.replace("      - {name: email, type: string}\n", "")
    results = results_of(write_project(tmp_path, **{"models/risk/card.yaml": CARD,
                                                    "models/risk/releases/1.0.0.yaml": release}))
    assert not any("/pii/" in k for k in results)


def test_without_signature_every_feature_counts_as_used(tmp_path: Path) -> None:
    release = RELEASE.split("training:")[0]
    got = warnings_of(write_project(tmp_path, **{"models/risk/card.yaml": CARD,
                                                "models/risk/releases/1.0.0.yaml": release}))
    assert list(got) == ["dataset/customers/email/pii/risk"]


def test_check_warns_without_strict_and_fails_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_project(tmp_path, **{"models/risk/card.yaml": CARD})
    assert main(["-C", str(tmp_path), "check"]) == 0
    out, err = capsys.readouterr()
    # 18 of the dictionary and the card, 1 governance check of the card's default alert, the
    # card's owner and freshness
    assert "21 checks: 20 pass, 1 warn" in out and "pass, 1 warn" in out
    assert "WARN" in out and "FAIL" not in out
    assert "Warnings (not failures; --strict fails on them):" in err
    assert "models/risk/card.yaml:2: dataset/customers/email/pii/risk: risk uses PII" in err
    assert main(["-C", str(tmp_path), "check", "--strict"]) == 1
    out, err = capsys.readouterr()
    assert "21 checks: 20 pass, 1 fail" in out and "Failed checks:" in err
    assert "models/risk/card.yaml:2: dataset/customers/email/pii/risk" in err


def test_check_json_counts_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    write_project(tmp_path, **{"models/risk/card.yaml": CARD})
    assert main(["-C", str(tmp_path), "check", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["failed"], data["warnings"]) == (0, 1)
    warned = [r for r in data["results"] if r["status"] == "warn"]
    assert warned[0]["dataset"] == "customers" and warned[0]["kind"] == "dictionary"


def test_profile_known_answers() -> None:
    table = pa.table({
        "x": pa.array([1.0, 2.0, None, float("nan"), 10.0]),
        "n": pa.array([1, 2, 3, 4, 5]),
        "c": pa.array(["a", "b", "b", None, "z"]),
        "flag": pa.array([True, False, True, True, None]),
        "empty": pa.array([None] * 5, type=pa.string()),
    })
    features = [Feature(name="x", type="float", min=1.5, max=5),
                Feature(name="c", type="string", categories=["a", "b"])]
    p = profile_dataset(table, features, "t.parquet", "0" * 64)
    x = p.columns["x"]
    assert (x.nulls, x.min, x.max, x.below_min, x.above_max) == (2, 1.0, 10.0, 1, 1)
    assert x.mean == pytest.approx(13 / 3) and x.whole_numbers is True
    assert p.columns["n"].type == "integer" and p.columns["n"].quantiles["q0.5"] == 3
    c = p.columns["c"]
    assert (c.nulls, c.distinct, c.top, c.outside_count) == (1, 3, [("b", 2), ("a", 1), ("z", 1)], 1)
    assert p.columns["flag"].type == "boolean" and p.columns["flag"].top == [("true", 3), ("false", 1)]
    assert p.columns["empty"].nulls == 5 and p.columns["empty"].top == []
    assert logical_type(pa.timestamp("s")) == "datetime"
    assert logical_type(pa.dictionary(pa.int8(), pa.string())) == "string"


def test_all_missing_column_is_not_type_checked(tmp_path: Path) -> None:
    sample = "age,income,email,region\n,,,\n,,,\n"
    got = warnings_of(write_project(tmp_path, **{"datasets/sample.csv": sample}))
    assert got["dataset/customers/age/type"][0] == "insufficient_data"
    assert "only missing values" in got["dataset/customers/age/type"][1]
    assert not any(k.endswith(("/range", "/categories")) for k in got)


def _page(root: Path) -> str:
    build(root)
    return (root / "docs/datasets/customers.md").read_text(encoding="utf-8")


def test_page_labels_every_source_and_warns(tmp_path: Path) -> None:
    page = _page(write_project(tmp_path, **{"models/risk/card.yaml": CARD}))
    assert '!!! warning "1 dictionary warning: the dictionary disagrees' in page
    assert "`govkit check --strict` fails on them" in page
    assert "| Type | integer | hand-written |" in page
    assert "| Stored type | integer (int64) | reference sample |" in page
    assert "| Signature type | long (risk 1.0.0) | mlflow-registry |" in page
    assert "| Used by | [risk](../models/risk/index.md) | mlflow-registry |" in page
    assert "| Handling rule | hashed at ingestion | hand-written |" in page
    assert "| Missing values | 33.3% (1 of 3 rows) | reference sample |" in page  # income
    assert "| Missing values | 0.0% (0 of 3 rows) | reference sample |" in page
    assert "| Top categories | north (2), south (1) | reference sample |" in page
    assert "- label (integer)" in page  # in the data, not in the dictionary
    assert "pass" not in page.split("<!-- guidance")[0]  # a warning never reads as a pass
    card = (tmp_path / "docs/models/risk/index.md").read_text(encoding="utf-8")
    assert "- **Data dictionary:** [Customers](../../datasets/customers.md) (1 warning)" in card


def test_minimal_dictionary_page_says_what_is_not_checked(tmp_path: Path) -> None:
    minimal = "title: Minimal\nfeatures:\n  - name: age\n    type: integer\n"
    page = _page(write_project(tmp_path, **{"datasets/customers.yaml": minimal}))
    assert "No reference sample (`reference_data`)" in page
    assert "No model trained on this dataset has an MLflow signature" in page
    assert "!!! success" not in page
    assert '!!! warning "1 dictionary warning' in page and "names no owner" in page
    assert "last reviewed *Not documented*" in page
    assert "| Sensitivity | *Not documented*" in page
    assert "| Used by | no model | – |" in page
    assert "No versions recorded" in page
    card = (tmp_path / "docs/models/risk/index.md").read_text(encoding="utf-8")
    assert "Data dictionary" not in card  # the dataset names no model


def test_page_shows_latest_drift_of_each_feature(tmp_path: Path, example: Path) -> None:
    page = (example.parent / "site/datasets/churn-training.md")
    build(example)
    text = page.read_text(encoding="utf-8")
    assert ("| Drift | [drift](../models/churn/monitoring/2024-02-01.md) (ks, P3), churn window "
            "2024-02-01 | monitoring |") in text
    assert "| Drift | [no drift](../models/churn/monitoring/2024-02-01.md), churn window" in text


def test_versions_from_mlflow_dataset_inputs(tmp_path: Path) -> None:
    def release(version: str, date: str, digest: str, columns: str) -> str:
        return textwrap.dedent(f"""\
            version: "{version}"
            date: {date}
            training:
              source: mlflow
              datasets:
                - name: customers
                  digest: {digest}
                  context: training
                  schema: {{mlflow_colspec: [{columns}]}}
            """)
    a = "{name: age, type: long}, {name: income, type: long}"
    b = "{name: age, type: long}, {name: income, type: double}, {name: region, type: string}"
    write_project(tmp_path, **{
        "models/risk/releases/1.0.0.yaml": release("1.0.0", "2024-01-01", "d1", a),
        "models/risk/releases/1.1.0.yaml": release("1.1.0", "2024-02-01", "d1", a),
        "models/risk/releases/1.2.0.yaml": release("1.2.0", "2024-03-01", "d2", b),
        "models/risk/releases/1.3.0.yaml": release("1.3.0", "2024-04-01", "d3", b),
    })
    page = _page(tmp_path)
    versions = page.split("## Versions")[1]
    assert "| d3 | 2024-04-01 | d3 | 3 | risk 1.3.0 (training) | mlflow-run |" in versions
    assert "| d1 | 2024-01-01 | d1 | 2 | risk 1.0.0 (training), risk 1.1.0 (training) |" in versions
    d3, d2, d1 = (versions.split(f"### {v}\n")[1].split("###")[0] for v in ("d3", "d2", "d1"))
    assert d3.strip() == "- same columns and types; the data changed (new digest)"
    assert d2.strip() == "- added region (string)\n- income: type integer → float"
    assert d1.strip() == "- first known version"


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        pytest.param("datasets/customers.yaml", DICTIONARY.replace("models: [risk]",
                     "models: [risk, fraud]"),
                     "datasets/customers.yaml:4: models[1]: unknown model 'fraud' "
                     "(declared models: risk)", id="unknown-model"),
        pytest.param("datasets/customers.yaml", DICTIONARY.replace(
                     ", handling: hashed at ingestion", ""),
                     "datasets/customers.yaml:19: features[2].sensitivity: a PII feature needs "
                     "a handling rule", id="pii-without-handling"),
        pytest.param("datasets/customers.yaml", DICTIONARY.replace(
                     "categories: [north, south]", "categories: [north, south]\n    min: 1"),
                     "datasets/customers.yaml:20: features[3]: min/max need a numeric type, "
                     "not string", id="range-on-string"),
        pytest.param("datasets/customers.yaml", DICTIONARY.replace("name: income", "name: age"),
                     "datasets/customers.yaml:13: features[1].name: feature 'age' is documented "
                     "twice (first on line 7) (keep one)",
                     id="duplicate-feature"),
        pytest.param("datasets/customers.yaml", DICTIONARY.replace("sample.csv", "nope.csv"),
                     "datasets/customers.yaml:5: reference_data: ", id="missing-sample"),
        pytest.param("datasets/customers.yaml", DICTIONARY.replace("type: float", "type: double"),
                     "datasets/customers.yaml:14: features[1].type: Input should be 'integer', "
                     "'float',", id="unknown-type"),
        pytest.param("datasets/customers.yaml", DICTIONARY.replace("unit: EUR", "units: EUR"),
                     "datasets/customers.yaml:15: features[1].units: unknown field "
                     "(did you mean 'unit'?)", id="unknown-field"),
        pytest.param("datasets/customers.yaml", DICTIONARY.replace("  - name: age\n",
                     "  - name: age\n    used_by: [ghost]\n"),
                     "datasets/customers.yaml:8: features[0].used_by[0]: unknown model 'ghost'",
                     id="unknown-used-by"),
        pytest.param("govkit.yaml", CONFIG + "  - name: orders\n",
                     "govkit.yaml:6: datasets[1]: dataset 'orders' has no dictionary",
                     id="missing-dictionary"),
        pytest.param("datasets/sample.csv", "age,income\n1,2,3\n",
                     "datasets/customers.yaml:5: reference_data: cannot read ", id="bad-sample"),
        pytest.param("datasets/sample.csv", "age,income\n",
                     "datasets/customers.yaml:5: reference_data: cannot profile "
                     "datasets/sample.csv: the sample has no rows", id="empty-sample"),
    ],
)
def test_bad_dictionary_input_exits_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rel: str, text: str, expected: str
) -> None:
    write_project(tmp_path, **{rel: text})
    for command in (["build"], ["check"], ["check", "--strict"]):
        assert main(["-C", str(tmp_path), *command]) == 2
        err = capsys.readouterr().err
        assert expected in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "docs").exists()


def test_pages_need_no_profile(tmp_path: Path) -> None:
    """A page builder given the project as loaded (no profiles) still renders."""
    project = load_project(write_project(tmp_path))
    pages = {p.path: p for p in build_pages(project, check_project(project))}
    text = str(pages["datasets/customers.md"].content)
    assert "No reference sample" not in text  # a sample is declared, only not profiled here
    assert "was not profiled" in text
    assert "| Stored type |" not in text


def test_dictionary_without_owner_warns(tmp_path: Path) -> None:
    dictionary = DICTIONARY.replace("owner: {name: Data Engineering, role: Data Engineer}\n", "")
    got = warnings_of(write_project(tmp_path, **{"datasets/customers.yaml": dictionary}))
    assert got == {"dataset/customers/owner": (
        "warn", "the dictionary names no owner (add owner: with a name and role; the chapter: "
        "a data engineer)", "datasets/customers.yaml", 1)}


VERSIONS = """versions:
  - version: v1
    date: 2023-06-30
    columns: {age: integer, income: float}
  - version: v2
    date: 2023-12-31
    columns: {age: integer, income: float}
    changes: [new month of data, same columns]
  - version: v3
    date: 2024-02-29
    columns: {age: integer, income: float, region: string}
"""


@pytest.mark.parametrize(("reviewed", "status", "message"), [
    (None, "insufficient_data", "no last_reviewed date: freshness against the last schema "
     "change (version v3, 2024-02-29) not evaluated (add last_reviewed: YYYY-MM-DD)"),
    ("2024-01-31", "warn", "last reviewed 2024-01-31, before the last schema change (version "
     "v3, 2024-02-29): check the features against the new schema and update last_reviewed"),
    ("2024-02-29", "pass", "last reviewed 2024-02-29, after the last schema change (version "
     "v3, 2024-02-29)"),
])
def test_dictionary_reviewed_since_the_last_schema_change(
    tmp_path: Path, reviewed: str | None, status: str, message: str
) -> None:
    text = DICTIONARY + VERSIONS + (f"last_reviewed: {reviewed}\n" if reviewed else "")
    got = results_of(write_project(tmp_path, **{"datasets/customers.yaml": text}))
    assert got["dataset/customers/reviewed"][:2] == (status, message)
    assert got["dataset/customers/reviewed"][3] == (34 if reviewed else 1)


def test_a_new_digest_with_the_same_columns_is_no_schema_change(tmp_path: Path) -> None:
    text = DICTIONARY + VERSIONS.split("  - version: v3")[0] + "last_reviewed: 2023-07-01\n"
    got = results_of(write_project(tmp_path, **{"datasets/customers.yaml": text}))
    assert got["dataset/customers/reviewed"][0] == "pass"  # v2 changed data, not columns


def test_every_model_using_a_feature_is_listed(tmp_path: Path) -> None:
    config = CONFIG.replace("  - name: risk\n", "  - name: risk\n  - name: scoring\n")
    dictionary = DICTIONARY.replace("models: [risk]", "models: [risk, scoring]")
    write_project(tmp_path, **{"govkit.yaml": config, "datasets/customers.yaml": dictionary,
                               "models/scoring/card.yaml": "title: Scoring\n"})
    page = _page(tmp_path)
    assert "- **Models trained on it:** [Risk](../models/risk/index.md), [Scoring]" in page
    assert "| age | integer | years | not PII | 18 – 120 | risk, scoring | not monitored |" in page
    assert "| Used by | [scoring](../models/scoring/index.md) | hand-written (dataset models) |" \
        in page


def test_dictionary_warning_is_waived_in_waivers_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same waiver shape and mechanism as the alert rules of alerts.yaml."""
    waiver = ("waivers:\n  - rule: dictionary\n    subject: customers/email/pii/risk\n"
              "    reason: Card update in review\n    expires: 2099-01-31\n")
    write_project(tmp_path, **{"models/risk/card.yaml": CARD, "waivers.yaml": waiver})
    got = results_of(tmp_path)["dataset/customers/email/pii/risk"]
    assert got[0] == "waived"
    assert got[1].endswith("; waived until 2099-01-31: Card update in review")
    assert main(["-C", str(tmp_path), "check", "--strict"]) == 0
    capsys.readouterr()
    write_project(tmp_path, **{"waivers.yaml": waiver.replace("pii/risk", "pii/other")})
    assert main(["-C", str(tmp_path), "check"]) == 2
    assert ("waivers.yaml:2: subject: dictionary of 'customers/email/pii/other' waives no "
            "check (no dataset/customers/email/pii/other)") in capsys.readouterr().err


@pytest.fixture(scope="module")
def wide_samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Reference data 100,000 columns wide, as Parquet and as CSV (written once)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder = tmp_path_factory.mktemp("wide")
    n = 100_000
    column = pa.array([1, 2], pa.int8())
    table = pa.Table.from_arrays([column] * n, names=[f"c{i}" for i in range(n)])
    pq.write_table(table, folder / "wide.parquet", write_statistics=False,
                   use_dictionary=False, compression="none")
    pacsv.write_csv(table, folder / "wide.csv")
    return {"parquet": folder / "wide.parquet", "csv": folder / "wide.csv"}


@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_reference_data_too_wide_is_refused_quickly(
        kind: str, wide_samples: dict[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import shutil
    import time

    root = write_project(tmp_path, **{"datasets/customers.yaml": DICTIONARY.replace(
        "sample.csv", f"wide.{kind}")})
    shutil.copy(wide_samples[kind], root / "datasets" / f"wide.{kind}")
    started = time.process_time()  # CPU: a loaded machine must not fail it, a hang still does
    code = main(["-C", str(root), "check"])
    took = time.process_time() - started
    err = capsys.readouterr().err
    assert code == 2, err
    assert took < 10, f"{took:.1f} s"
    # a CSV header is read only as far as the limit needs: a lower bound, said so
    count = "100000" if kind == "parquet" else r"at least \d{5}"
    assert re.search(f"datasets/customers.yaml:5: reference_data: datasets/wide.{kind} has "
                     f"{count} columns, more than limits.max_sample_columns \\(2000\\)", err), err
    assert "raise limits.max_sample_columns in govkit.yaml" in err


def test_reference_data_limits_can_be_raised_and_rows_are_bounded(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = SAMPLE + "".join(f"{20 + i % 50},{i}.5,e{i}@x.org,north,0\n" for i in range(30))
    root = write_project(tmp_path, **{"datasets/sample.csv": rows, "govkit.yaml": CONFIG +
                                      "limits:\n  max_sample_rows: 10\n"})
    assert main(["-C", str(root), "check"]) == 2
    err = capsys.readouterr().err
    assert "datasets/sample.csv has 33 rows, more than limits.max_sample_rows (10)" in err
    (root / "govkit.yaml").write_text(CONFIG + "limits:\n  max_sample_rows: 100\n"
                                      "  max_sample_columns: 5\n", encoding="utf-8")
    assert main(["-C", str(root), "check"]) == 0, capsys.readouterr().err
    (root / "govkit.yaml").write_text(CONFIG + "limits:\n  max_sample_columns: 4\n",
                                      encoding="utf-8")
    assert main(["-C", str(root), "check"]) == 2
    assert "has 5 columns, more than limits.max_sample_columns (4)" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["dictionary", "plain"])
def test_reference_data_that_decodes_past_the_size_limit_is_refused(
        encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A few kilobytes of Parquet can decode to terabytes (one long string, dictionary
    encoded, on every row; or plain pages that compress well): the decoded size is measured
    against limits.max_sample_mb before the values are built (issue 21, class 9)."""
    import pyarrow.parquet as pq

    n, long = (1_000_000, "x" * 2_000_000) if encoding == "dictionary" else (300, "y" * 1_000_000)
    column = pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), pa.array([long]))
    root = write_project(tmp_path, **{"datasets/customers.yaml": DICTIONARY.replace(
        "sample.csv", "bomb.parquet")})
    pq.write_table(pa.table({"s": column if encoding == "dictionary" else column.cast(
        pa.string())}), root / "datasets/bomb.parquet", compression="zstd",
        use_dictionary=encoding == "dictionary")
    assert (root / "datasets/bomb.parquet").stat().st_size < 1_000_000
    code = main(["-C", str(root), "check"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert re.search(r"datasets/customers.yaml:5: reference_data: datasets/bomb.parquet "
                     r"decodes to [\d.]+ MB, more than limits.max_sample_mb \(256\)", err), err


def test_a_row_wider_than_the_header_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A narrow header passes the column limit; a data row 100,000 cells wide is then a
    parse error at the reference_data line, exit 2, quickly (passed already: a new form)."""
    import time

    root = write_project(tmp_path, **{"datasets/sample.csv": SAMPLE + ",".join(
        ["1"] * 100_000) + "\n"})
    started = time.process_time()
    assert main(["-C", str(root), "check"]) == 2
    assert time.process_time() - started < 10
    assert "reference_data: cannot read" in capsys.readouterr().err
