import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from govkit.monitoring import categorical as cat
from govkit.monitoring import numeric as nm
from govkit.monitoring import performance as perf
from tests.conftest import examples

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
samples = arrays(np.float64, st.integers(1, 300), elements=finite)
counts = st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 1000), min_size=1)


@settings(max_examples=examples(60), deadline=None)
@given(samples)
def test_psi_self_is_zero(x):
    assert abs(nm.psi(x, x)) < 1e-12


@settings(max_examples=examples(60), deadline=None)
@given(samples, samples)
def test_psi_non_negative(a, b):
    assert nm.psi(a, b) >= 0.0


@settings(max_examples=examples(60), deadline=None)
@given(samples, samples)
def test_ks_symmetric_and_bounded(a, b):
    d1 = nm.ks_statistic_sorted(np.sort(a), np.sort(b))
    d2 = nm.ks_statistic_sorted(np.sort(b), np.sort(a))
    assert d1 == d2
    assert 0.0 <= d1 <= 1.0


@settings(max_examples=examples(60), deadline=None)
@given(counts, counts)
def test_cramers_v_in_unit_interval(a, b):
    if sum(a.values()) == 0 or sum(b.values()) == 0:
        return
    v = cat.chi_square(a, b).cramers_v
    assert 0.0 <= v <= 1.0


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.tuples(st.booleans(), finite), min_size=2, max_size=200))
def test_auc_bounds_and_negation(rows):
    y = np.array([r[0] for r in rows])
    s = np.array([r[1] for r in rows])
    auc = perf.roc_auc(y, s)
    if y.all() or not y.any():
        assert auc is None
        return
    assert auc is not None
    neg = perf.roc_auc(y, -s)
    assert neg is not None
    assert 0.0 <= auc <= 1.0
    assert abs(auc - (1.0 - neg)) < 1e-12
