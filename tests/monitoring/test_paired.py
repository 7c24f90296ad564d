"""Known answers for the release gate's paired and unpaired tests (issue 23).

Each statistic is checked against scipy, sklearn, statsmodels, a published value or a direct
computation from its definition, never against itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats
from sklearn.metrics import roc_auc_score
from statsmodels.stats.multitest import multipletests

from govkit.monitoring.inference import hanley_mcneil_se, holm
from govkit.monitoring.paired import paired_accuracy, paired_bootstrap, tango_z
from govkit.monitoring.paired_auc import delong_paired, unpaired_auc
from tests.conftest import examples


def _pairs(n: int, both: int, new_errors: int, fixes: int) -> tuple[np.ndarray, np.ndarray]:
    """Correctness vectors of n rows: `both` right in both, then new errors, then fixes."""
    cand = np.zeros(n, dtype=bool)
    serv = np.zeros(n, dtype=bool)
    cand[:both] = serv[:both] = True
    serv[both:both + new_errors] = True
    cand[both + new_errors:both + new_errors + fixes] = True
    return cand, serv


# --- McNemar / Tango -------------------------------------------------------------------------

def test_45_new_errors_and_no_fixes_is_a_regression_at_margin_0() -> None:
    # issue 23 item 2: the independent-samples gate passed this with z = 1.02
    cand, serv = _pairs(4000, 3300, 45, 0)
    r = paired_accuracy(cand, serv, margin=0.0)
    assert r.test == "exact McNemar"
    assert r.p_value == pytest.approx(2.0 ** -45, rel=1e-9)  # 2.8e-14
    assert r.estimate == pytest.approx(-45 / 4000)
    assert r.n == 4000
    assert r.reason == ("paired: same 4,000 rows; exact McNemar on 45 discordant pairs "
                        "(45 new errors, 0 fixes)")


def test_independent_samples_se_hides_the_45_errors() -> None:
    # what the old gate did: SE of a difference of two independent proportions
    acc_s, acc_c = 3345 / 4000, 3300 / 4000
    se = math.sqrt(acc_s * (1 - acc_s) / 4000 + acc_c * (1 - acc_c) / 4000)
    assert (acc_s - acc_c) / se == pytest.approx(1.34, abs=0.01)  # < 1.645: passed
    assert paired_accuracy(*_pairs(4000, 3300, 45, 0)).p_value < 1e-13


@settings(max_examples=examples(60), deadline=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 50))
def test_exact_mcnemar_is_scipys_binomial_test(b: int, c: int, both: int) -> None:
    r = paired_accuracy(*_pairs(b + c + both + 5, both, b, c))
    want = 1.0 if b + c == 0 else stats.binomtest(b, b + c, 0.5, alternative="greater").pvalue
    assert r.p_value == pytest.approx(want, rel=1e-12)
    assert 0.0 <= r.p_value <= 1.0


def _tango_by_optimisation(b: int, c: int, n: int, d0: float) -> float:
    """The score statistic from its definition: restricted MLE of p01 found numerically."""
    def nll(p01: float) -> float:
        p10 = p01 + d0
        rest = 1.0 - p10 - p01
        return -(c * math.log(p10) + b * math.log(p01) + (n - b - c) * math.log(rest))
    lo = max(0.0, -d0) + 1e-12
    hi = (1.0 - d0) / 2.0 - 1e-12
    p01 = optimize.minimize_scalar(nll, bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-13}).x
    var = (2 * p01 + d0 - d0 * d0) / n
    return ((c - b) / n - d0) / math.sqrt(var)


@pytest.mark.parametrize(("b", "c", "n", "margin"), [
    (45, 0, 4000, 0.01), (30, 12, 500, 0.05), (8, 9, 200, 0.02), (120, 100, 1000, 0.001),
])
def test_tango_score_matches_the_restricted_mle_by_optimisation(
    b: int, c: int, n: int, margin: float,
) -> None:
    assert tango_z(b, c, n, -margin) == pytest.approx(
        _tango_by_optimisation(b, c, n, -margin), rel=1e-5)


def test_tango_at_margin_0_is_the_mcnemar_z() -> None:
    assert tango_z(30, 12, 500, 0.0) == pytest.approx((12 - 30) / math.sqrt(42))


def test_margin_turns_a_small_regression_into_a_pass() -> None:
    cand, serv = _pairs(4000, 3300, 45, 0)  # 1.1 points worse
    assert paired_accuracy(cand, serv, margin=0.0).p_value < 0.05
    tolerant = paired_accuracy(cand, serv, margin=0.02)
    assert tolerant.test == "Tango score"
    assert tolerant.p_value > 0.5
    strict = paired_accuracy(cand, serv, margin=0.005)
    assert strict.p_value < 0.05


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(1, 40),
       st.sampled_from([0.0, 0.01, 0.05]))
def test_swapping_versions_mirrors_the_statistic(b: int, c: int, both: int,
                                                 margin: float) -> None:
    n = b + c + both
    assert tango_z(b, c, n, 0.0) == pytest.approx(-tango_z(c, b, n, 0.0))
    cand, serv = _pairs(n, both, b, c)
    fwd, back = paired_accuracy(cand, serv, margin), paired_accuracy(serv, cand, margin)
    assert fwd.estimate == pytest.approx(-back.estimate)
    assert 0.0 <= fwd.p_value <= 1.0 and 0.0 <= back.p_value <= 1.0


def test_bad_correctness_vectors_are_refused() -> None:
    with pytest.raises(ValueError, match="0 or 1"):
        paired_accuracy([0, 2], [1, 1])
    with pytest.raises(ValueError, match="same rows"):
        paired_accuracy([0, 1], [1, 1, 0])
    with pytest.raises(ValueError, match="margin"):
        paired_accuracy([0, 1], [1, 1], margin=-0.1)


# --- DeLong ----------------------------------------------------------------------------------

def _delong_direct(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """DeLong et al. (1988) from the definition: psi over all m x n pairs."""
    def comps(s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos, neg = s[y == 1], s[y == 0]
        psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
        return psi.mean(axis=1), psi.mean(axis=0)
    (a10, a01), (b10, b01) = comps(a), comps(b)
    m, n = a10.size, a01.size
    s10 = np.cov(np.vstack([a10, b10]))
    s01 = np.cov(np.vstack([a01, b01]))
    s = s10 / m + s01 / n
    return a10.mean(), b10.mean(), s[0, 0] + s[1, 1] - 2 * s[0, 1]


def _scored(seed: int, n: int, ties: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    base = rng.normal(size=n) + 1.2 * y
    a = base + rng.normal(scale=0.6, size=n)
    b = base + rng.normal(scale=0.9, size=n)
    if ties:
        a, b = np.round(a), np.round(b * 2) / 2
    return y, a, b


@pytest.mark.parametrize(("seed", "ties"), [(1, False), (2, True), (3, True), (4, False)])
def test_delong_matches_sklearn_and_the_direct_computation(seed: int, ties: bool) -> None:
    y, a, b = _scored(seed, 400, ties)
    r = delong_paired(y, a, b)
    auc_a, auc_b, var = _delong_direct(y, a, b)
    assert auc_a == pytest.approx(roc_auc_score(y, a), abs=1e-12)
    assert auc_b == pytest.approx(roc_auc_score(y, b), abs=1e-12)
    assert r.estimate == pytest.approx(auc_a - auc_b, abs=1e-12)
    assert r.stderr == pytest.approx(math.sqrt(var), rel=1e-9)
    assert r.statistic == pytest.approx((auc_a - auc_b) / math.sqrt(var), rel=1e-9)
    assert r.p_value == pytest.approx(stats.norm.cdf(r.statistic), rel=1e-12)


def test_delong_with_margin_and_swap() -> None:
    y, a, b = _scored(5, 300, False)
    fwd, back = delong_paired(y, a, b), delong_paired(y, b, a)
    assert fwd.statistic == pytest.approx(-back.statistic)  # type: ignore[operator]
    assert fwd.p_value + back.p_value == pytest.approx(1.0)
    with_margin = delong_paired(y, b, a, margin=0.05)
    assert with_margin.statistic == pytest.approx((back.estimate + 0.05) / back.stderr)  # type: ignore[operator]


def test_delong_of_identical_scores_is_not_a_regression() -> None:
    y, a, _ = _scored(6, 200, True)
    r = delong_paired(y, a, a)
    assert (r.estimate, r.stderr, r.p_value) == (0.0, 0.0, 1.0)


def test_delong_needs_two_of_each_class() -> None:
    with pytest.raises(ValueError, match="two positives"):
        delong_paired([1, 0, 0, 0], [0.9, 0.1, 0.2, 0.3], [0.8, 0.1, 0.2, 0.3])


# --- Hanley-McNeil ---------------------------------------------------------------------------

def test_hanley_mcneil_published_example() -> None:
    # Hanley & McNeil (1982), the CT rating example: 51 abnormal, 58 normal, A = 0.893,
    # SE 0.032 as printed (to 3 decimals, from the unrounded area); the formula gives 0.0325
    assert hanley_mcneil_se(0.893, 51, 58) == pytest.approx(0.032, abs=0.001)


def test_hanley_mcneil_issue_numbers() -> None:
    # issue 23 item 3: 4,000 rows, 125 positives; an AUC of 0.9585 has SE 0.0125, where a
    # proportion's SE over all rows (what the old gate used) is 0.0032: 3.9 times smaller
    assert hanley_mcneil_se(0.9585, 125, 3875) == pytest.approx(0.0125, abs=0.00005)
    assert math.sqrt(0.9585 * 0.0415 / 4000) == pytest.approx(0.0032, abs=0.00005)


def test_unpaired_auc_z_test() -> None:
    r = unpaired_auc(0.948, 125, 3875, 0.958, 125, 3875, margin=0.0)
    se = math.hypot(hanley_mcneil_se(0.948, 125, 3875), hanley_mcneil_se(0.958, 125, 3875))
    assert r.stderr == pytest.approx(se)
    assert r.statistic == pytest.approx(-0.01 / se)
    assert r.p_value == pytest.approx(stats.norm.cdf(-0.01 / se))
    assert r.p_value > 0.05  # not significantly worse with 125 positives
    assert r.reason.startswith("unpaired: no shared row ids; z-test with Hanley-McNeil")


# --- paired bootstrap ------------------------------------------------------------------------

def _accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(y == pred))


def test_bootstrap_is_reproducible_and_matches_the_paired_se() -> None:
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 2000).astype(float)
    serv = np.where(rng.random(2000) < 0.85, y, 1 - y)
    cand = np.where(rng.random(2000) < 0.05, 1 - serv, serv)
    one = paired_bootstrap(y, cand, serv, _accuracy, resamples=1000, seed=3, name="accuracy")
    two = paired_bootstrap(y, cand, serv, _accuracy, resamples=1000, seed=3, name="accuracy")
    assert one == two
    exact = paired_accuracy(cand == y, serv == y)
    assert one.estimate == pytest.approx(exact.estimate)
    assert one.stderr == pytest.approx(exact.stderr, rel=0.1)
    assert one.ci is not None and one.ci[0] < one.estimate < one.ci[1]


def test_bootstrap_finds_the_45_errors_and_passes_identical_versions() -> None:
    cand, serv = _pairs(4000, 3300, 45, 0)
    y = np.ones(4000)
    worse = paired_bootstrap(y, cand.astype(float), serv.astype(float), _accuracy,
                             resamples=500)
    assert worse.p_value == pytest.approx(1 / 501)
    same = paired_bootstrap(y, serv.astype(float), serv.astype(float), _accuracy,
                            resamples=500)
    assert same.p_value == 1.0


def test_bootstrap_lower_is_better_metric() -> None:
    rng = np.random.default_rng(8)
    y = rng.integers(0, 2, 1000).astype(float)
    serv = np.clip(y * 0.7 + rng.random(1000) * 0.3, 0.01, 0.99)
    cand = np.clip(serv + rng.normal(0.08, 0.02, 1000) * (1 - 2 * y), 0.01, 0.99)

    def log_loss(t: np.ndarray, p: np.ndarray) -> float:
        return float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))

    r = paired_bootstrap(y, cand, serv, log_loss, higher_is_better=False, resamples=400)
    assert r.estimate > 0  # candidate's loss is higher: worse
    assert r.p_value < 0.01
    flipped = paired_bootstrap(y, serv, cand, log_loss, higher_is_better=False,
                               resamples=400)
    assert flipped.p_value > 0.5


def test_bootstrap_drops_and_counts_undefined_resamples() -> None:
    y = np.array([1.0, 1.0] + [0.0] * 198)

    def recall(t: np.ndarray, p: np.ndarray, least: int = 1) -> float:
        hits = np.sum((t == 1) & (p == 1))
        return float(hits / np.sum(t == 1)) if t.sum() >= least else math.nan

    # P(no positive drawn) = (198/200)^200 = 13%: dropped and counted
    r = paired_bootstrap(y, y, y, recall, resamples=400, name="recall")
    dropped = int(r.reason.split(", ")[-1].split(" ")[0])
    assert 20 < dropped < 90
    assert r.reason.endswith("undefined resamples dropped")
    # a metric defined only when row 0 is drawn exactly once (P = 37%): refused
    marked = np.arange(200.0)
    with pytest.raises(ValueError, match="undefined in most resamples"):
        paired_bootstrap(marked, y, y, lambda t, p: 0.0 if np.sum(t == 0) == 1 else math.nan,
                         resamples=200, name="odd")


# --- Holm ------------------------------------------------------------------------------------

@settings(max_examples=examples(15), deadline=None)  # multipletests takes ~0.4 s a call here
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12))
def test_holm_matches_statsmodels(p: list[float]) -> None:
    want = multipletests(p, method="holm")[1]
    assert holm(p) == pytest.approx(list(want), abs=1e-12)


@pytest.mark.parametrize("p", [
    [0.01, 0.04, 0.03, 0.005], [0.2, 0.2, 0.2], [0.0, 1.0, 0.5], [0.049, 0.051, 0.0001, 0.9],
])
def test_holm_matches_statsmodels_on_ties_and_edges(p: list[float]) -> None:
    assert holm(p) == pytest.approx(list(multipletests(p, method="holm")[1]), abs=1e-12)


@settings(max_examples=examples(80), deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12))
def test_holm_is_at_least_raw_capped_and_monotone(p: list[float]) -> None:
    adjusted = holm(p)
    assert all(a >= r for a, r in zip(adjusted, p, strict=True))
    assert all(a <= 1.0 for a in adjusted)
    by_raw = [a for _, a in sorted(zip(p, adjusted, strict=True))]
    assert by_raw == sorted(by_raw)


# --- calibration: under H0 at the margin's boundary, rejections at 5% happen about 5% of the time

def test_delong_is_calibrated_under_equal_aucs() -> None:
    rng = np.random.default_rng(11)
    rejections = 0
    for _ in range(400):
        y = (rng.random(300) < 0.3).astype(int)
        shared = rng.normal(size=300) + y
        a = shared + rng.normal(scale=0.8, size=300)  # same signal, same noise: equal AUCs
        b = shared + rng.normal(scale=0.8, size=300)
        rejections += delong_paired(y, a, b).p_value < 0.05
    assert 0.025 <= rejections / 400 <= 0.08


def test_tango_is_calibrated_at_the_margin() -> None:
    # true accuracy difference exactly -margin: p10 = 0.03, p01 = 0.05, margin 0.02
    rng = np.random.default_rng(12)
    rejections = 0
    for _ in range(2000):
        cells = rng.multinomial(1000, [0.03, 0.05, 0.92])  # fixes, new errors, concordant
        cand, serv = _pairs(1000, cells[2], cells[1], cells[0])
        rejections += paired_accuracy(cand, serv, margin=0.02).p_value < 0.05
    assert 0.035 <= rejections / 2000 <= 0.065
