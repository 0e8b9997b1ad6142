"""The shared top-k and row normalisation, on inputs small enough to check by hand."""
from __future__ import annotations

import numpy as np

from engine.vectors import normalize_rows, top_k, top_k_rows


def test_top_k_best_first_skipping_ids_and_keeping_k():
    scores = np.array([0.2, 0.95, 0.5, 0.9, 0.1, 0.7])
    assert top_k(scores, 3).tolist() == [1, 3, 5]
    assert top_k(scores, 3, skip={1, 5}).tolist() == [3, 2, 0]  # still 3 after skipping
    assert top_k(scores, 10).tolist() == [1, 3, 5, 2, 0, 4]  # k beyond the scores: all of them
    assert set(top_k(np.array([0.5, 0.9, 0.9]), 2).tolist()) == {1, 2}
    assert top_k(scores, 0).tolist() == []


def test_top_k_skips_by_mapped_ids():
    scores = np.array([0.3, 0.8, 0.6])
    film_ids = np.array([40, 10, 70])  # positions 0..2 are films 40, 10, 70
    top = top_k(scores, 2, skip={10}, ids=film_ids)
    assert film_ids[top].tolist() == [70, 40]


def test_top_k_rows_per_row_best_first():
    scores = np.array([[0.1, 0.9, 0.5, 0.7], [0.3, -np.inf, 0.8, 0.1]])
    assert top_k_rows(scores, 2).tolist() == [[1, 3], [2, 0]]
    assert top_k_rows(scores, 9).shape == (2, 4)


def test_normalize_rows_unit_length_and_zero_rows_stay_zero():
    rows = normalize_rows(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert rows.dtype == np.float32
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 0.0]])


def test_top_k_finds_the_best_among_a_catalogue_of_ties():
    # A catalogue where three in four films tie at the bottom (nobody rated them), as recommend() and movie night
    # rank: the picks are the highest scores, best first, whatever the ties.
    rng = np.random.default_rng(3)
    scores = np.where(rng.random(37_500) < 0.25, rng.random(37_500), 0.0).astype(np.float32)
    scores[rng.integers(0, 37_500, 500)] = -np.inf  # films already rated
    top = top_k(scores, 100)
    assert np.array_equal(scores[top], np.sort(scores)[::-1][:100])
    assert np.array_equal(top_k_rows(scores[None, :], 100)[0], top)
    few = np.where(np.arange(1000) < 5, 1.0 + np.arange(1000), 0.0)  # fewer real scores than asked: ties fill in
    assert top_k(few, 8)[:5].tolist() == [4, 3, 2, 1, 0] and set(top_k(few, 8)[5:].tolist()) <= set(range(5, 1000))


def test_top_k_never_picks_a_missing_score_and_ranks_counts():
    assert top_k(np.array([0.3, np.nan, 0.9, 0.1]), 2).tolist() == [2, 0]
    counts = np.array([0, 250, 7, 3], dtype=np.uint8)  # negating an unsigned count would wrap (0 would lead)
    assert top_k(counts, 4).tolist() == [1, 2, 3, 0]
    assert top_k_rows(counts[None, :], 4).tolist() == [[1, 2, 3, 0]]
    assert top_k(np.array([-128, 5, 3, 1], dtype=np.int8), 1).tolist() == [1]  # -(-128) wraps in int8
    assert top_k(np.array([False, True, False]), 1).tolist() == [1]
