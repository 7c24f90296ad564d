import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govkit.errors import InputError, MonitoringInputError
from govkit.sources.datasets import DatasetBatches
from tests.monitoring.flat import compute_result

N = 200


def base(**cols):
    rng = np.random.default_rng(0)
    data = {"x": rng.normal(size=N), "c": rng.choice(["a", "b"], N)}
    data.update(cols)
    return pa.table(data)


def run(ref, cur, **kw):
    return compute_result(
        ref,
        cur,
        model="m",
        window="w",
        reference_path="ref.parquet",
        current_path="cur.parquet",
        **kw,
    )


def test_error_is_an_input_error_with_fields():
    with pytest.raises(MonitoringInputError) as ei:
        run(base(), base().drop(["x"]))
    err = ei.value
    assert isinstance(err, InputError) and not isinstance(err, ValueError)
    assert (err.path, err.column) == ("cur.parquet", "x")
    assert err.hint and "columns are" in err.hint
    assert "cur.parquet" in str(err) and "x" in str(err)


def test_type_mismatch():
    with pytest.raises(MonitoringInputError, match="type mismatch") as ei:
        run(base(), base(c=np.arange(N)))
    assert ei.value.column == "c"


def test_empty_window():
    with pytest.raises(MonitoringInputError, match="no rows") as ei:
        run(base(), base().slice(0, 0))
    assert ei.value.path == "cur.parquet"
    with pytest.raises(MonitoringInputError, match="no rows"):
        run(base().slice(0, 0), base())


def test_all_null_column_is_a_null_rate_finding_not_a_refusal():
    """Issue 23, item 11: the window is monitored; the column's null rate is the finding."""
    nulls = pa.array([None] * N, type=pa.float64())
    for ref, cur, which in ((base(), base(x=nulls), "current"),
                            (base(x=nulls), base(), "reference")):
        x = [f for f in run(ref, cur).features if f.feature == "x"]
        assert [(f.test, f.status, f.detail["only_nulls"]) for f in x] == [
            ("null_rate", "drift", which)]


def test_non_numeric_values_in_numeric_column():
    bad = [str(v) for v in np.arange(N, dtype=float)]
    bad[5] = "n/a"
    with pytest.raises(MonitoringInputError, match="non-numeric") as ei:
        run(base(), base(x=bad))
    assert ei.value.column == "x" and "'n/a'" in str(ei.value)
    ok = run(base(), base(x=[str(v) for v in np.arange(N, dtype=float)]))  # numbers as text
    assert any(f.feature == "x" for f in ok.features)


def test_non_binary_labels():
    s = np.linspace(0, 1, N)
    ref = base(score=s, y=np.zeros(N, dtype=int))
    cur = base(score=s, y=np.arange(N) % 3)
    with pytest.raises(MonitoringInputError, match="3 classes") as ei:
        run(ref, cur, predictions="score", labels="y")
    assert ei.value.column == "y"


def test_missing_file_and_column_in_dataset(tmp_path):
    with pytest.raises(MonitoringInputError, match="not found") as ei:
        run(base(), DatasetBatches(tmp_path / "nope.parquet"))
    assert ei.value.path.endswith("nope.parquet")
    pq.write_table(base().drop(["c"]), tmp_path / "cur.parquet")
    with pytest.raises(MonitoringInputError) as ei:
        run(base(), DatasetBatches(tmp_path / "cur.parquet"))
    assert ei.value.column == "c" and ei.value.path.endswith("cur.parquet")
