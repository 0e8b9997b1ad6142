"""The poster view's figure: for films with a poster and infobox genres, the share of their 10 nearest films that
share at least one genre with them, by their posters, by their links among the same films (the same candidates),
by the links view as served (its stored neighbours, over the whole catalogue), and for random films with posters
(the base rate). Neighbours without genres are skipped in every view. Genres come from the films file (films.json
does not carry them)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.vectors import normalize_rows, top_k_rows
from training.data.films import read_films

K = 10


def genres_of_titles(films_path: Path, titles: list[str]) -> list[frozenset[str]]:
    """Each catalogue film's infobox genres (empty when the films file has none for it)."""
    by_title = {film.title: frozenset(g for g in film.infobox.get("genres") or () if isinstance(g, str))
                for film in read_films(films_path).films}
    return [by_title.get(title, frozenset()) for title in titles]


def genre_share(poster_films: np.ndarray, poster_vectors: np.ndarray, genres: list[frozenset[str]],
                film_vectors: np.ndarray, link_neighbours: np.ndarray, k: int = K) -> dict:
    """The figure as a manifest section: the four shares (in [0, 1]) and how many films they are measured on."""
    poster_films = np.asarray(poster_films)
    known = np.array([bool(genres[int(film)]) for film in poster_films], dtype=bool)
    films = poster_films[known]
    n = len(films)
    figures: dict = {"k": k, "films": n}
    if n <= k:
        return {**figures, "posters": None, "links_among_posters": None, "links": None, "random": None}
    sets = [genres[int(film)] for film in films]
    shares = np.array([[bool(a & b) for b in sets] for a in sets], dtype=bool)  # n x n: share a genre
    figures["posters"] = _nearest_share(np.asarray(poster_vectors)[known], shares, k)
    figures["links_among_posters"] = _nearest_share(normalize_rows(np.asarray(film_vectors)[films]), shares, k)
    served = []
    for row, film in enumerate(films.tolist()):
        others = [int(i) for i in link_neighbours[film] if genres[int(i)]][:k]
        served.append(np.mean([bool(sets[row] & genres[i]) for i in others]) if others else 0.0)
    figures["links"] = round(float(np.mean(served)), 4)
    figures["random"] = round(float(((shares.sum(axis=1) - 1) / (n - 1)).mean()), 4)  # every other film, each once
    return figures


def _nearest_share(vectors: np.ndarray, shares: np.ndarray, k: int) -> float:
    """Mean over rows of the share of the row's k nearest other rows (cosine of unit `vectors`) sharing a genre."""
    cosine = np.asarray(vectors, dtype=np.float32) @ np.asarray(vectors, dtype=np.float32).T
    np.fill_diagonal(cosine, -np.inf)
    nearest = top_k_rows(cosine, k)
    return round(float(np.take_along_axis(shares, nearest, axis=1).mean()), 4)
