"""Evaluation maths on inputs small enough to check by hand."""
from __future__ import annotations

import math

import numpy as np

from training.data.films import FilmRecord
from training.evaluation.links import best_other_columns, franchise_hit_rate, link_share, tfidf_matrix, vector_neighbours
from training.links.dataset import build_dataset


def test_best_other_columns_best_first_without_the_excluded_column():
    scores = np.array([[0.1, 0.9, 0.5, 0.7], [0.3, 0.2, 0.8, 0.1]])
    assert best_other_columns(scores, 2, np.array([1, 0])).tolist() == [[3, 2], [2, 1]]


def test_tfidf_weights_rare_links_more():
    films = [FilmRecord(t, {}, links) for t, links in [("A", ("x", "y")), ("B", ("x", "y")), ("C", ("x",)), ("D", ("z",)), ("E", ("z",))]]
    data = build_dataset(films, min_films_per_link=2)
    matrix = tfidf_matrix(data).toarray()
    # idf(x) = log(5/3), idf(y) = log(5/2): film A's row is their L2-normalised pair.
    x, y = math.log(5 / 3), math.log(5 / 2)
    np.testing.assert_allclose(matrix[0, :2], np.array([x, y]) / math.hypot(x, y), rtol=1e-5)
    np.testing.assert_allclose(matrix[2, 0], 1.0, rtol=1e-5)


def test_franchise_hit_rate_and_link_share_on_hand_made_vectors():
    vectors = np.array([[1, 0], [0.99, 0.14], [0, 1], [-1, 0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert franchise_hit_rate(vector_neighbours(vectors), [(0, 1), (0, 3)], k=1) == 0.5
    films = [FilmRecord("A", {}, ("l0",)), FilmRecord("B", {}, ("l0", "l1")), FilmRecord("C", {}, ("l1",))]
    data = build_dataset(films, min_films_per_link=1)
    links = np.array([[1, 0], [0, 1]], dtype=np.float32)
    film_vectors = np.array([[1, 0], [0.7, 0.7], [0, 1]], dtype=np.float32)
    assert link_share(film_vectors, links, data, sample=3) == 1.0
    assert link_share(film_vectors[::-1].copy(), links, data, sample=3) < 1.0
