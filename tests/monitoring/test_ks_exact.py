"""The branch-and-bound KS statistic equals evaluating the ECDFs at every data point."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from govkit.monitoring.ks_exact import ks_statistic_sorted
from tests.conftest import examples


def every_point(a: np.ndarray, b: np.ndarray) -> float:
    """Reference: both ECDFs at every point (the previous implementation, integer exact)."""
    n1, n2 = a.shape[0], b.shape[0]
    best = 0
    for own, other, n_own, n_other in ((a, b, n1, n2), (b, a, n2, n1)):
        count = np.searchsorted(other, own, side="right")
        last = np.append(own[1:] != own[:-1], True)
        idx = np.flatnonzero(last)
        diff = (idx + 1) * n_other - count[idx] * n_own
        best = max(best, int(diff.max()), -int(diff.min()))
    return best / (n1 * n2)


STEP_SETS = [(256, 32, 4), (8, 2), (3,), (2, 2, 2), ()]
tied = arrays(np.float64, st.integers(1, 400), elements=st.integers(-5, 5).map(float))
spread = arrays(
    np.float64,
    st.integers(1, 400),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # scipy's p-value for degenerate samples
@settings(max_examples=examples(150), deadline=None)
@given(st.one_of(tied, spread), st.one_of(tied, spread), st.sampled_from(STEP_SETS))
def test_equals_every_point_evaluation(x, y, steps):
    a, b = np.sort(x), np.sort(y)
    expected = every_point(a, b)
    assert ks_statistic_sorted(a, b, steps) == expected
    assert ks_statistic_sorted(b, a, steps) == expected
    assert expected == pytest.approx(
        float(stats.ks_2samp(x, y, method="asymp").statistic), abs=1e-12
    )


def _large_cases() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(11)
    n = 200_000
    same = rng.normal(size=n)
    return {
        "shift": (rng.normal(size=n), rng.normal(0.02, 1.1, n)),
        "null": (rng.normal(size=n), rng.normal(size=n)),
        "identical": (same, same.copy()),
        "integers": (rng.integers(0, 50, n) * 1.0, rng.integers(0, 51, 3 * n // 4) * 1.0),
        "rounded": (np.round(rng.normal(size=n), 2), np.round(rng.normal(0.01, 1, n), 2)),
        "one value": (np.full(n, 3.0), np.full(n // 2, 3.0)),
        "disjoint": (rng.normal(size=n), rng.normal(50, 1, n // 3)),
        "inside": (rng.normal(size=n), rng.normal(0, 0.01, n)),
        "sizes": (rng.exponential(size=n), rng.exponential(1.01, 20_011)),
    }


@pytest.mark.parametrize("name", list(_large_cases()))
def test_large_known_answers(name):
    x, y = _large_cases()[name]
    a, b = np.sort(x), np.sort(y)
    expected = every_point(a, b)
    assert ks_statistic_sorted(a, b) == expected
    assert ks_statistic_sorted(b, a) == expected
    scipy_d = float(stats.ks_2samp(x, y, method="asymp").statistic)
    assert expected == pytest.approx(scipy_d, abs=1e-12)
