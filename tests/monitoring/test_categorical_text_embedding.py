import math

import numpy as np
import pytest
from scipy import stats
from scipy.stats.contingency import association

from govkit.monitoring import categorical as cat
from govkit.monitoring import embedding as emb
from govkit.monitoring import text


def test_chi_square_known_answer():
    ref = {"a": 50, "b": 30, "c": 20}
    cur = {"a": 30, "b": 30, "c": 40}
    # expected per cell = row_total * col_total / N with N = 200, col totals 80/60/60
    # ref row: 40 30 30; cur row: 40 30 30 -> chi2 = 2 * (100/40 + 0 + 100/30)
    expected_chi2 = 2 * (100 / 40 + 100 / 30)
    res = cat.chi_square(ref, cur)
    assert res.statistic == pytest.approx(expected_chi2, rel=1e-12)
    assert res.dof == 2
    assert res.p_value == pytest.approx(stats.chi2.sf(expected_chi2, 2), rel=1e-12)
    assert res.cramers_v == pytest.approx(math.sqrt(expected_chi2 / 200), rel=1e-12)
    table = np.array([[50, 30, 20], [30, 30, 40]])
    assert res.cramers_v == pytest.approx(association(table, method="cramer"), rel=1e-12)


def test_chi_square_single_category_and_unseen():
    assert cat.chi_square({"a": 5}, {"a": 9}).p_value == 1.0
    res = cat.chi_square({"a": 100, "b": 100}, {"a": 100, "b": 50, "z": 50})
    assert res.dof == 2
    new, share = cat.unseen_categories({"a": 100, "b": 100}, {"a": 100, "b": 50, "z": 50})
    assert new == ["z"]
    assert share == 0.25


def test_category_psi_hand_computed():
    ref = {"a": 50, "b": 50}
    cur = {"a": 70, "b": 30}
    expected = (0.7 - 0.5) * math.log(0.7 / 0.5) + (0.3 - 0.5) * math.log(0.3 / 0.5)
    assert cat.category_psi(ref, cur) == pytest.approx(expected, rel=1e-12)
    # an unseen category is floored at 0.001 on the reference side
    got = cat.category_psi({"a": 10}, {"a": 5, "b": 5})
    exp = (0.5 - 1) * math.log(0.5) + (0.5 - 0.001) * math.log(0.5 / 0.001)
    assert got == pytest.approx(exp, rel=1e-12)


def test_top_k_and_bucket():
    counts = {"a": 5, "b": 3, "c": 3, "d": 1}
    assert cat.top_k(counts, 2) == {"a": 5, "b": 3, "__other__": 4}
    assert cat.bucket_to({"a", "b"}, {"a": 1, "x": 2, "y": 1}) == {"a": 1, "__other__": 3}


def test_tokenizer_and_oov():
    assert text.tokenize("Hello, World! it's 2024") == ["hello", "world", "it", "s", "2024"]
    vocab = set(text.vocabulary(text.token_counts(["the cat sat", "The dog"])))
    assert vocab == {"the", "cat", "sat", "dog"}
    # 5 tokens, 2 unseen ("a", "bird")
    assert text.oov_counts(["The cat", "a bird sat", None], vocab) == (2, 5)
    assert text.oov_rate(["The cat", "a bird sat"], vocab) == 0.4
    assert text.vocabulary(text.token_counts(["a a b c c c"]), max_size=2) == ["a", "c"]


def test_cosine_distance_known_answers():
    assert emb.cosine_distance([1, 0], [0, 1]) == pytest.approx(1.0)
    assert emb.cosine_distance([1, 1], [2, 2]) == pytest.approx(0.0, abs=1e-15)
    assert emb.cosine_distance([1, 0], [-1, 0]) == pytest.approx(2.0)
    # mean of [[1,0],[1,2]] = [1,1]; mean of [[1,0]] = [1,0]: 1 - 1/sqrt(2)
    got = emb.mean_embedding_distance([[1, 0], [1, 2]], [[1, 0]])
    assert got == pytest.approx(1 - 1 / math.sqrt(2), rel=1e-12)
