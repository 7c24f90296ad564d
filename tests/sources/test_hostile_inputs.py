"""Input files from a hostile pull request: never a hang, a crash or a silent misreading.

Each test is a finding of issue 8 (items 6, 8 and 9, input side), run through the real CLI on
files in a copy of the example project: exit 2, `FILE:LINE: field: message (fix)`.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from govkit.cli import main
from tests.conftest import snapshot

REPO = Path(__file__).resolve().parents[2]
RELEASE = (REPO / "examples/churn/releases/2.3.0.yaml").read_text(encoding="utf-8")
WINDOW = (REPO / "examples/churn/monitoring/2024-02-01.json").read_text(encoding="utf-8")
RELEASE_REL = "churn/releases/2.3.0.yaml"
WINDOW_REL = "churn/monitoring/2024-02-01.json"


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` so that a regression fails instead of hanging."""

    def _alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    with deadline(30):
        code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def check(example: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return run(["-C", str(example), "check"], capsys)


def line_of(text: str, start: str) -> int:
    """1-based number of the first line of `text` that starts with `start`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def billion_laughs(levels: int) -> str:
    """Top-level keys lol0..lolN, each a list of nine aliases of the one before."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


# -- item 6: budgets ------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [8, 9])
def test_alias_bomb_fails_in_well_under_a_second(
    example: Path, capsys: pytest.CaptureFixture[str], levels: int
) -> None:
    check(example, capsys)  # warm: lazy imports are not the bomb's cost
    text = RELEASE + billion_laughs(levels)
    (example / RELEASE_REL).write_text(text, encoding="utf-8")
    start = time.process_time()  # CPU time: a loaded CI machine does not make it flaky
    code, _, err = check(example, capsys)
    elapsed = time.process_time() - start
    assert code == 2, err
    assert elapsed < 1.0, elapsed
    # lol4 is 66430 values; lol5's nine aliases of it cross 500000
    assert (f"examples/{RELEASE_REL}:{line_of(text, 'lol5:')}: more than 500000 values once "
            "aliases are expanded (an alias bomb?) (write the values out or use fewer aliases)"
            ) in err


def test_recursive_alias_is_refused(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = RELEASE + "loop: &loop [1, *loop]\n"
    (example / RELEASE_REL).write_text(text, encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert (f"examples/{RELEASE_REL}:{line_of(text, 'loop:')}: alias *loop refers to a value "
            "that contains it (remove the recursive alias)") in err


def test_deep_nesting_is_refused(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = RELEASE + "deep: " + "[" * 500 + "]" * 500 + "\n"
    (example / RELEASE_REL).write_text(text, encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert (f"examples/{RELEASE_REL}:{line_of(text, 'deep:')}: nested deeper than 100 levels "
            "(flatten the structure)") in err


@pytest.mark.parametrize(("depth", "expected"), [
    (500, "nested deeper than 100 levels (flatten the structure)"),
    (100_000, "malformed JSON: nested too deeply (flatten the structure)"),
])
def test_deeply_nested_json_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str], depth: int, expected: str
) -> None:
    (example / WINDOW_REL).write_text('{"model":\n ' + "[" * depth + "]" * depth + "}")
    code, _, err = check(example, capsys)
    assert code == 2, err
    where = f"examples/{WINDOW_REL}:2" if depth < 1000 else f"examples/{WINDOW_REL}"
    assert f"{where}: {expected}" in err


def _padded(text: str, megabytes: float) -> str:
    line = "# " + "x" * 97 + "\n"
    return text + line * int(megabytes * 1_000_000 / len(line))


def test_release_over_the_size_limit_is_refused_before_parsing(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / RELEASE_REL).write_text(_padded(RELEASE, 6), encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert (f"examples/{RELEASE_REL}: file is 6.0 MB, over the limit of 5 MB (split it, or "
            "raise limits.max_file_mb in govkit.yaml if it is meant to be this big)") in err


def test_monitoring_json_over_the_size_limit_is_refused(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (example / WINDOW_REL).write_text(WINDOW + " " * 5_100_000, encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert f"examples/{WINDOW_REL}: file is 5.1 MB, over the limit of 5 MB" in err


def test_size_limit_is_set_in_govkit_yaml(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = check(example, capsys)
    config = example / "govkit.yaml"
    config.write_text(config.read_text() + "limits:\n  max_file_mb: 8\n", encoding="utf-8")
    (example / RELEASE_REL).write_text(_padded(RELEASE, 6), encoding="utf-8")
    assert check(example, capsys) == expected
    (example / RELEASE_REL).write_text(_padded(RELEASE, 9), encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2
    assert f"examples/{RELEASE_REL}: file is 9.0 MB, over the limit of 8 MB" in err


def test_govkit_yaml_itself_is_read_with_the_default_limit(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = example / "govkit.yaml"
    text = config.read_text() + "limits:\n  max_file_mb: 100\n"
    config.write_text(_padded(text, 6), encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2
    assert ("examples/govkit.yaml: file is 6.0 MB, over the limit of 5 MB (govkit.yaml is "
            "always read with the default limit: make it smaller)") in err


def test_aliases_within_the_budget_still_work(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = check(example, capsys)
    text = RELEASE.replace("  auc_roc:\n    value: 0.87", "  auc_roc: &auc\n    value: 0.87")
    text += "segments:\n" + "".join(
        f"  - name: Segment {i}\n    metrics:\n      auc_roc: *auc\n" for i in range(50))
    (example / RELEASE_REL).write_text(text, encoding="utf-8")
    code, out, err = check(example, capsys)
    assert code == expected[0], err
    assert "[Segment 0]" in out and "[Segment 49]" in out


# -- item 9: merge keys -------------------------------------------------------------------


def test_merge_keys_share_a_range_between_metrics(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # precision and recall share a range (not auc_roc: the example's own alerts on auc_roc
    # name no bound, so a max there would make them ambiguous)
    text = RELEASE.replace(
        "  precision_at_10:\n    value: 0.45\n",
        "  precision_at_10: &range\n    value: 0.45\n    min: 0.40\n    max: 0.50\n",
    ).replace(
        "  recall_at_10:\n    value: 0.62\n",
        "  recall_at_10:\n    <<: *range\n    value: 0.62\n",
    )
    (example / RELEASE_REL).write_text(text, encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 1, err  # recall 0.62 is above the shared maximum 0.50
    assert "duplicate key" not in err
    failed = [line for line in err.splitlines() if ": churn/2.3.0/recall_at_10: " in line]
    # the failing range is documented on the lines of the shared range (its 'min' first)
    assert failed == [f"{RELEASE_REL}:{line_of(text, '    min: 0.40')}: "
                      "churn/2.3.0/recall_at_10: 0.62 is above the allowed range 0.40 – 0.50"]


# -- item 9: keys that YAML reads as something other than text ----------------------------


@pytest.mark.parametrize(("key", "kind"), [
    ("yes", "a boolean"), ("2024-01-01", "a date"), ("10", "a number"), ("1.5", "a number"),
    ("~", "null"),
])
def test_a_key_yaml_reads_as_another_type_is_reported_on_its_own_line(
    example: Path, capsys: pytest.CaptureFixture[str], key: str, kind: str
) -> None:
    text = RELEASE.replace("  recall_at_10:\n", f"  {key}:\n    value: 0.5\n  recall_at_10:\n")
    (example / RELEASE_REL).write_text(text, encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert (f"examples/{RELEASE_REL}:{line_of(text, f'  {key}:')}: metrics.{key}: key is read "
            f"as {kind}, not as text (quote it: \"{key}\":)") in err.splitlines()[1]


def test_a_top_level_key_of_another_type_names_the_key_as_written(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = example / "churn/card.yaml"
    text = card.read_text(encoding="utf-8") + "on: push\n"
    card.write_text(text, encoding="utf-8")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert (f"examples/churn/card.yaml:{line_of(text, 'on:')}: on: key is read as a boolean, "
            "not as text (quote it: \"on\":)") in err


# -- item 9: types as strict as the published JSON Schemas ---------------------------------

UPSELL_REL = "upsell/releases/1.1.0.yaml"
CARD_REL = "churn/card.yaml"


def _edit(example: Path, rel: str, old: str, new: str) -> str:
    path = example / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize(("rel", "old", "new", "field", "message"), [
    (RELEASE_REL, "value: 0.87", 'value: "0.87"', "metrics.auc_roc.value",
     "Input should be a valid number, got '0.87' (remove the quotes: write 0.87)"),
    (CARD_REL, "exclusive: true", 'exclusive: "yes"', "metrics.auc_roc.exclusive",
     "Input should be a valid boolean, got 'yes' (remove the quotes: write true or false)"),
    (CARD_REL, "min: 0.85", "min: '0.85'", "metrics.auc_roc.min",
     "Input should be a valid number, got '0.85' (remove the quotes: write 0.85)"),
    (UPSELL_REL, "sample_size: 30000", 'sample_size: "30000"', "metrics.accuracy.sample_size",
     "Input should be a valid integer, got '30000' (remove the quotes: write 30000)"),
    (UPSELL_REL, "ci: [0.79, 0.83]", 'ci: [0.79, "0.83"]', "metrics.auc_roc.ci[1]",
     "Input should be a valid number, got '0.83' (remove the quotes: write 0.83)"),
    (RELEASE_REL, "value: 0.87", "value: 1e-3", "metrics.auc_roc.value",
     "Input should be a valid number, got '1e-3' (YAML 1.1 reads 1e-3 as text: write 0.001)"),
    (RELEASE_REL, "value: 0.87", "value: true", "metrics.auc_roc.value",
     "Input should be a valid number, got True (write a number, e.g. 0.85)"),
    (CARD_REL, "exclusive: true", "exclusive: 1", "metrics.auc_roc.exclusive",
     "Input should be a valid boolean, got 1 (write true or false)"),
    ("govkit.yaml", "require_effect_size: true", 'psi: "0.2"\n        require_effect_size: true',
     "models[0].monitoring.rules.psi",
     "Input should be a valid number, got '0.2' (remove the quotes: write 0.2)"),
    (WINDOW_REL, '"statistic": 0.10410039464843845', '"statistic": "0.1041"', "features[0].statistic",
     "Input should be a valid number, got '0.1041' (remove the quotes: write 0.1041)"),
])
def test_quoted_numbers_and_booleans_are_errors_not_conversions(
    example: Path, capsys: pytest.CaptureFixture[str], rel: str, old: str, new: str, field: str,
    message: str,
) -> None:
    text = _edit(example, rel, old, new)
    code, _, err = check(example, capsys)
    assert code == 2, err
    line = next(i for i, t in enumerate(text.splitlines(), 1) if new.split("\n")[0] in t)
    assert f"examples/{rel}:{line}: {field}: {message}" in err


def test_yaml_native_types_still_read_as_before(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = check(example, capsys)
    _edit(example, RELEASE_REL, "value: 0.87", "value: 1")  # an int where a float goes
    _edit(example, UPSELL_REL, "ci: [0.79, 0.83]", "ci: [0, 1]")  # a list for a tuple
    _edit(example, "upsell/releases/1.0.0.yaml", "date: 2024-03-01", 'date: "2024-03-01"')
    config = example / "govkit.yaml"
    config.write_text(config.read_text().replace(
        "  - name: upsell\n", "  - name: upsell\n    monitoring:\n      rules:\n        severity:\n"
        "          performance_drop: P1\n        features:\n"
        "          age: {kind: numeric, psi: 1}\n"), encoding="utf-8")
    code, out, err = check(example, capsys)
    assert code == expected[0], err
    assert "1.00" in out or " 1 " in out


# -- item 8: tracebacks become input errors ----------------------------------------------


def test_a_release_path_that_is_a_folder(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "churn/releases/2.0.0.yaml").mkdir()
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert ("examples/churn/releases/2.0.0.yaml: is a folder, not a file (move the folder "
            "away or rename it)") in err


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_release_that_is_not_a_regular_file(
    example: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    import os

    path = example / "churn/releases/2.0.0.yaml"
    if kind == "device":
        path.symlink_to("/dev/zero")  # endless: read_text() never returned
    else:
        os.mkfifo(path)  # open() blocked, waiting for a writer
    code, _, err = check(example, capsys)
    assert code == 2, err
    if kind == "device":  # refused before reading: a link that leaves the project
        assert "examples/churn/releases/2.0.0.yaml: is a symlink to /dev/zero, outside" in err
    else:
        assert ("examples/churn/releases/2.0.0.yaml: is not a regular file (replace it with a "
                "file)") in err


def test_a_date_that_does_not_exist(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _edit(example, RELEASE_REL, "date: 2024-01-15", "date: 2024-13-45")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert (f"examples/{RELEASE_REL}:{line_of(text, 'date:')}: date: not a valid date: month "
            "must be in 1..12, got '2024-13-45' (write a date like 2024-01-15)") in err


@pytest.mark.parametrize("value", ["2024-01-15 10:30:00", "20240115", "Jan 15 2024"])
def test_a_date_with_a_time_or_in_another_format(
    example: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    text = _edit(example, RELEASE_REL, "date: 2024-01-15", f"date: {value}")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert f"examples/{RELEASE_REL}:{line_of(text, 'date:')}: date: " in err
    assert "(write a date like 2024-01-15)" in err


def test_a_segment_without_metrics(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _edit(example, UPSELL_REL, "segments:\n", "segments:\n  - name: Empty\n    metrics: {}\n")
    code, _, err = check(example, capsys)
    assert code == 2, err
    assert (f"examples/{UPSELL_REL}:{line_of(text, '    metrics: {}')}: segments[0].metrics: "
            "a segment needs at least one metric (add one, e.g. 'auc: {value: 0.8}')") in err


def test_ingest_beside_a_release_with_a_date_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "govkit.yaml").write_text("project: Logs\nmodels:\n  - name: churn\n")
    releases = tmp_path / "models/churn/releases"
    releases.mkdir(parents=True)
    (tmp_path / "models/churn/card.yaml").write_text("title: Churn\n")
    (releases / "0.1.0.yaml").write_text('version: "0.1.0"\ndate: 2024-13-45\n')
    log = tmp_path / "log.jsonl"
    log.write_text('{"epoch": 0, "val_loss": 0.7}\n{"epoch": 1, "val_loss": 0.5}\n')
    code, _, err = run(["-C", str(tmp_path), "ingest", "churn", "--log", str(log),
                        "--version", "0.1.0"], capsys)
    assert code == 1, err  # the file on disk differs from the log: kept, diff shown
    assert "differs from the source; not overwritten" in err
    assert "-date: 2024-13-45" in err


# -- item 9: wrong behaviour -------------------------------------------------------------


@pytest.mark.parametrize(("second", "written"), [
    ("New Users", ""), ("new-users", " as 'new-users'"), ("NEW USERS!", " as 'NEW USERS!'"),
])
def test_two_segments_with_the_same_name_are_refused(
    example: Path, capsys: pytest.CaptureFixture[str], second: str, written: str
) -> None:
    text = _edit(example, UPSELL_REL, "  - name: Power Users\n", f"  - name: {second}\n")
    code, _, err = check(example, capsys)
    assert code == 2, err
    line = [i for i, t in enumerate(text.splitlines(), 1) if t.startswith("  - name:")][1]
    assert (f"examples/{UPSELL_REL}:{line}: segments[1].name: "
            f"duplicate segment 'New Users' (also segments[0]{written}) "
            "(give each segment its own name)") in err


@pytest.mark.parametrize("name", [
    "Team docs\\", 'Say "hi"', "It's ours", "a: b # not a comment", "two\nlines", "{project}",
    "tab\tand \x1b[31mESC",
])
def test_init_writes_the_project_name_as_a_yaml_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    from mkdocs.config import load_config

    from govkit.sources.project import load_project

    target = tmp_path / "proj"
    code, _, err = run(["init", str(target), "--name", name], capsys)
    assert code == 0, err
    code, _, err = run(["-C", str(target), "build"], capsys)
    assert code == 0, err
    assert load_project(target).config.project == name
    assert load_config(str(target / "mkdocs.yml"))["site_name"] == name


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "-1E+400"])
def test_non_finite_numbers_in_a_monitoring_result_are_refused(
    example: Path, capsys: pytest.CaptureFixture[str], token: str
) -> None:
    text = _edit(example, WINDOW_REL, '"statistic": 0.10410039464843845', f'"statistic": {token}')
    code, _, err = check(example, capsys)
    assert code == 2, err
    line = next(i for i, t in enumerate(text.splitlines(), 1) if f'"statistic": {token}' in t)
    assert (f"examples/{WINDOW_REL}:{line}: features[0].statistic: {token} is not a finite number (NaN and infinity are not "
            "allowed: write a finite number, or null if unknown)") in err


# -- item 9: monitoring inputs -------------------------------------------------------------


@pytest.fixture
def window_files(example: Path) -> tuple[Path, Path]:
    """Small reference and current windows with the columns govkit.yaml names for churn."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(8)
    paths = []
    for name in ("reference", "current"):
        n = 400
        table = pa.table({
            "sessions": rng.normal(10, 2, n), "device": rng.choice(["ios", "android"], n),
            "churn_score": rng.random(n), "churned": rng.integers(0, 2, n),
            "user_segment": rng.choice(["New Users", "Power Users"], n),
        })
        paths.append(example.parent / f"{name}.parquet")
        pq.write_table(table, paths[-1])
    return paths[0], paths[1]


def monitor(example: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code, _, err = run(["-C", str(example), "monitor", "churn", "--window", "w", *args], capsys)
    return code, err


def test_a_garbage_saved_profile_is_blamed_on_itself_with_every_problem(
    example: Path, capsys: pytest.CaptureFixture[str], window_files: tuple[Path, Path]
) -> None:
    profile = example.parent / "x.json"
    profile.write_text('{"format": "govkit-reference-profile/1",\n "rows": "many",\n'
                       ' "psi_bins": 10, "psi_floor": 0.001, "sketch_size": 2000,\n'
                       ' "features": {"sessions": {"kind": "numeric", "rows": 400}}}\n')
    before = snapshot(example)
    code, err = monitor(example, capsys, "--reference", str(profile),
                        "--current", str(window_files[1]))
    assert code == 2, err
    problems = [line.strip() for line in err.splitlines()[1:]]
    assert problems[0] == ("x.json: not a govkit reference profile (pass the reference data "
                           "file, or a profile written by --save-profile)")
    assert ("x.json:2: rows: Input should be a valid integer, got 'many' (write a whole number, "
            "e.g. 1000)") in problems
    missing = [p for p in problems if p.startswith("x.json:4: features.sessions.")]
    assert {p.split(": ")[1] for p in missing} >= {
        "features.sessions.nulls", "features.sessions.mean", "features.sessions.edges"}
    assert all(p.startswith("x.json") for p in problems), problems
    assert snapshot(example) == before


@pytest.mark.parametrize(("text", "expected"), [
    ("not json at all", "x.json:1: malformed JSON: Expecting value"),
    ("[1, 2]", "x.json:1: expected a mapping of fields, got list"),
    ("\xe9t\xe9", "x.json:1: not UTF-8 text"),
    ("{}" + " " * 5_100_000, "x.json: file is 5.1 MB, over the limit of 5 MB"),
])
def test_a_saved_profile_that_is_not_one(
    example: Path, capsys: pytest.CaptureFixture[str], window_files: tuple[Path, Path],
    text: str, expected: str,
) -> None:
    profile = example.parent / "x.json"
    profile.write_bytes(text.encode("latin-1"))
    code, err = monitor(example, capsys, "--reference", str(profile),
                        "--current", str(window_files[1]))
    assert code == 2, err
    assert expected in err


def test_a_latin_1_csv_window_says_not_utf_8(
    example: Path, capsys: pytest.CaptureFixture[str], window_files: tuple[Path, Path]
) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    for path in window_files:
        pacsv.write_csv(pq.read_table(path), path.with_suffix(".csv"))
    current = window_files[1].with_suffix(".csv")
    text = current.read_text(encoding="utf-8").replace("android", "andr\xf6id")
    current.write_bytes(text.encode("latin-1"))
    code, err = monitor(example, capsys, "--reference", str(window_files[0].with_suffix(".csv")),
                        "--current", str(current))
    assert code == 2, err
    assert "current.csv: column device: not UTF-8 text (save the file as UTF-8)" in err
    assert "type" not in err


def test_bytes_that_are_not_utf_8_late_in_a_csv_are_named_too(tmp_path: Path) -> None:
    from govkit.errors import InputError
    from govkit.sources.datasets import iter_batches, read_table

    rows = ["x,device", *(f"{i},ios" for i in range(300_000)), "1,andr\xf6id"]
    path = tmp_path / "late.csv"  # past Arrow's first block, which types the columns
    path.write_bytes("\n".join(rows).encode("latin-1"))
    for read in (lambda: read_table(path), lambda: list(iter_batches(path, ["x", "device"]))):
        with pytest.raises(InputError) as exc:
            read()
        problem = exc.value.problems[0]
        assert problem.message.startswith("not UTF-8 text: ")
        assert problem.hint == "save the file as UTF-8"


@pytest.mark.parametrize("trick", ["\\r", "\\e[2K\\r", "\\n", "\\x85", "\\u2028", "\\u202e"])
def test_a_control_character_in_a_label_cannot_fake_a_check_row(
    example: Path, capsys: pytest.CaptureFixture[str], trick: str
) -> None:
    fake = "churn   9.9.9   AUC-ROC   0.99   > 0.85   pass"
    _edit(example, CARD_REL, "label: AUC-ROC", f'label: "AUC-ROC{trick}{fake}"')
    code, out, err = check(example, capsys)
    assert code == 1, err
    text = out + err
    assert not set(text) & {"\r", "\x1b", "\x85", "\u2028", "\u202e"}
    rows = [line for line in out.splitlines() if line.startswith("churn ")]
    assert not any(re.match(r"churn +9\.9\.9", line) for line in rows)
    faked = [line for line in rows if "9.9.9" in line]
    assert faked and all(re.match(r"churn +2\.3\.0", line) or "live" in line for line in faked)


def test_a_csv_row_longer_than_arrows_block_names_its_line(tmp_path: Path) -> None:
    from govkit.errors import InputError
    from govkit.sources.datasets import iter_batches, read_sample_file, read_table

    rows = ["x,note", *(f"{i},short" for i in range(300_000)), "1," + "y" * 3_000_000, "2,z"]
    path = tmp_path / "long.csv"  # the long row is past Arrow's first block
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for read in (lambda: read_table(path), lambda: list(iter_batches(path, ["x", "note"])),
                 lambda: read_sample_file(path)):
        with pytest.raises(InputError) as exc:
            read()
        problem = exc.value.problems[0]
        assert problem.line == 300_002
        assert "3,000,002 bytes" in problem.message and "1 MiB" in problem.message
        assert "straddl" not in problem.message
        assert "Parquet" in problem.hint


def test_a_csv_header_that_is_not_utf_8_is_named(tmp_path: Path) -> None:
    from govkit.errors import InputError
    from govkit.sources.datasets import iter_batches, read_sample_file, read_table

    path = tmp_path / "latin.csv"
    path.write_bytes("x,d\xe9vice\n1,ios\n".encode("latin-1"))
    for read in (lambda: read_table(path), lambda: list(iter_batches(path, ["x"])),
                 lambda: read_sample_file(path)):
        with pytest.raises(InputError) as exc:
            read()
        problem = exc.value.problems[0]
        assert (problem.line, problem.hint) == (1, "save the file as UTF-8")
        assert problem.message == "the header row is not UTF-8 text (byte 4)"


def test_the_row_limit_is_arrows_block_size() -> None:
    import pyarrow.csv as pacsv

    from govkit.sources.csv_rows import _BLOCK

    assert pacsv.ReadOptions().block_size == _BLOCK


@pytest.mark.parametrize(("tail", "line", "fields"), [
    ("7,ios,extra\n8,ios\n", 300_003, "3 fields"),
    ('"7,ios\n8,ios\n', 300_003, "1 field;"),
    ("\n\n7\n", 300_005, "1 field;"),
])
def test_a_csv_row_with_another_number_of_fields_names_its_line(
    tmp_path: Path, tail: str, line: int, fields: str
) -> None:
    from govkit.errors import InputError
    from govkit.sources.datasets import iter_batches, read_sample_file, read_table

    path = tmp_path / "fields.csv"  # the bad row is past Arrow's first block
    path.write_text("x,device\n" + "".join(f"{i},ios\n" for i in range(300_001)) + tail)
    for read in (lambda: read_table(path), lambda: list(iter_batches(path, ["x"])),
                 lambda: read_sample_file(path)):
        with pytest.raises(InputError) as exc:
            read()
        problem = exc.value.problems[0]
        assert problem.line == line, problem
        assert fields in problem.message and "the header has 2" in problem.message
