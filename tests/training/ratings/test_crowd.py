"""Crowd favourites in training: shrinkage by hand, alignment with the catalogue, the quality check, and genres."""
from __future__ import annotations

import io

import numpy as np
import pytest

from training.data.films import FilmRecord
from training.data.movielens import MovieLensRatings
from training.ratings.crowd import CHECKED_AT, SHRINK_RATINGS, crowd_favourites, shrink


def test_shrink_by_hand():
    assert SHRINK_RATINGS == 5
    shrunk = shrink(np.array([1.5, 0.6, -1.0, 0.9]), np.array([3, 95, 5, 0]))
    np.testing.assert_allclose(shrunk, [1.5 * 3 / 8, 0.6 * 95 / 100, -0.5, 0.0], rtol=1e-6)


def ratings_of(per_item: list[list[float]]) -> MovieLensRatings:
    """Ratings where item i (MovieLens id 100 + i) has the stars in per_item[i], each from its own user."""
    items = np.concatenate([np.full(len(stars), i) for i, stars in enumerate(per_item)]).astype(np.int32)
    values = np.concatenate([np.asarray(stars, dtype=np.float32) for stars in per_item])
    users = np.arange(len(values), dtype=np.int32)
    return MovieLensRatings(users, items, values, np.arange(len(values)), np.arange(100, 100 + len(per_item)))


def test_a_film_with_three_ratings_ranks_below_one_with_many_and_the_check_is_recorded():
    # item 0: 3 ratings and the largest raw bias; items 1-3: CHECKED_AT or more ratings, biases in the means' order
    per_item = [[5.0] * 3, [4.5] * CHECKED_AT, [3.0] * (CHECKED_AT + 10), [4.0] * CHECKED_AT]
    ratings = ratings_of(per_item)
    raw = np.array([1.5, 0.9, -0.5, 0.4], dtype=np.float32)
    # the catalogue: items 3, 0, none, 1, 2 (joined on MovieLens id)
    out = io.StringIO()
    crowd = crowd_favourites(raw, ratings, ratings, [103, 100, None, 101, 102], ["D", "A", "X", "B", "C"], out)
    np.testing.assert_array_equal(crowd.counts, [CHECKED_AT, 3, 0, CHECKED_AT, CHECKED_AT + 10])
    np.testing.assert_allclose(crowd.biases, [0.4 * 50 / 55, 1.5 * 3 / 8, 0.0, 0.9 * 50 / 55, -0.5 * 60 / 65], rtol=1e-6)
    info = crowd.info
    assert [entry["title"] for entry in info["top"]] == ["B", "A", "D", "C"]  # "X" has no ratings: not listed
    assert info["films_checked"] == 3 and info["spearman_vs_mean_rating"] == pytest.approx(1.0)
    assert "Spearman with the mean rating 1.0" in out.getvalue() and "1. B  +0.82 stars (50 ratings)" in out.getvalue()


def test_genres_come_from_the_infobox_else_movielens_in_the_same_words():
    assert FilmRecord("A", {"genres": ["Horror", "Comedy", "Horror"]}, ()).genres == ("Horror", "Comedy")
    assert FilmRecord("B", {"ml_genres": ["Sci-Fi", "IMAX", "Animation"]}, ()).genres == ("Science Fiction", "Animated")
    assert FilmRecord("C", {}, ()).genres == ()
