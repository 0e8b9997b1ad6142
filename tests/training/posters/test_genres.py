"""The genre-sharing figure on a tiny case worked out by hand."""
from __future__ import annotations

import numpy as np

from training.posters.genres import genre_share

A, B, C = "Action", "Comedy", "Drama"


def unit(*rows) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_shares_by_posters_links_served_links_and_random():
    # Films 0-3 and 5 have posters; 5 has no genres, so it is neither asked about nor counted as a neighbour.
    genres = [frozenset({A}), frozenset({A}), frozenset({B}), frozenset({C}), frozenset({A}), frozenset()]
    poster_films = np.array([0, 1, 2, 3, 5])
    posters = unit((1, 0), (0.9, 0.1), (0, 1), (0.1, 0.9), (0.95, 0.05))
    # Nearest poster with genres: 0 <-> 1 (both A: shared), 2 <-> 3 (B, C: not) -> 2 of 4.
    film_vectors = unit((1, 0), (0, 1), (1, 0.1), (0.1, 1), (1, 1), (1, 0))
    # Nearest by links among 0-3: 0 -> 2, 1 -> 3, 2 -> 0, 3 -> 1: never a shared genre -> 0 of 4.
    stored = np.array([[5, 4, 1], [3, 0, 2], [0, 1, 3], [2, 0, 1], [0, 1, 2], [0, 1, 2]])
    # Served links, first neighbour with genres: 0 -> 4 (A: shared), 1 -> 3, 2 -> 0, 3 -> 2 -> 1 of 4.
    # Random: 0 and 1 share with 1 of the other 3, 2 and 3 with none -> (1/3 + 1/3) / 4 = 1/6.
    figures = genre_share(poster_films, posters, genres, film_vectors, stored, k=1)
    assert figures == {"k": 1, "films": 4, "posters": 0.5, "links_among_posters": 0.0, "links": 0.25, "random": 0.1667}


def test_too_few_films_give_no_figure():
    genres = [frozenset({A})] * 3
    figures = genre_share(np.arange(3), unit((1, 0), (0, 1), (1, 1)), genres, unit((1, 0), (0, 1), (1, 1)),
                          np.zeros((3, 2), dtype=int), k=10)
    assert figures["films"] == 3 and figures["posters"] is None
