"""EASE (Steck 2019) over every rated film, kept sparse for the bundle: which films the people who watched one film
also watched. The strongest simple recommender on MovieLens; `engine` reads its weights to score a user's rated films.

Fit on "who rated what" (likes, dislikes and so-so alike: having watched a film is the signal), then each film's row
keeps only its `keep` largest weights by size: 9.6k films x 200 weights is 15 MB instead of 370 MB dense, and a
request reads 200 weights a rated film instead of 9.6k. Measured on the tuning/test split (README): EASE alone
loses 0.019-0.024 NDCG@10 so cut, the blend built on it 0.004-0.008 (within its standard error, 0.006).

With the films' links, the fit also learns from them (collective EASE, as with side information in Jeunen et al.
2020): every linked page is one more "person" who watched each film linking to it, TF-IDF weighted, so the Gram
matrix gains `link_weight` x the cosine of two films' link content. Films few people rated both still get weights
when their articles share specific pages. Measured on the tuning/test split (README): EASE alone 0.3243 -> 0.3449
NDCG@10 on the test users (dense), the served blend 0.3447 -> 0.3556.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from training.data.movielens import MovieLensRatings

EASE_L2 = 100.0  # the penalty: 100 beat 30 and 300 on the tuning users (NDCG@10 0.358 vs 0.323 / 0.356)
EASE_KEEP = 200  # weights kept per film
# How much the links count against the co-ratings (a film's own link cosine is 1; its rating count, up to ~330).
# On the tuning users, dense EASE alone: 0.3609 without links; 0.3703 / 0.3777 / 0.3801 / 0.3829 / 0.3725 at 10 / 20
# / 30 / 50 / 100 (l2 100); at l2 200: 0.3825 with 50; l2 50 worse at every weight.
EASE_LINK_WEIGHT = 50.0
LINK_BLOCK = 1024  # rows of the link cosine made at a time: ~40 MB of sparse product instead of ~1 GB at once

Links = tuple[np.ndarray, np.ndarray]  # the catalogue's film links: CSR indptr (n_films + 1) and link indices


@dataclass
class EaseWeights:
    """Item-item weights in catalogue film ids, CSR: film i's rating adds `weights[indptr[i]:indptr[i+1]]` to the
    films `indices[...]`. Films nobody rated have empty rows."""

    indptr: np.ndarray  # int64, n_films + 1
    indices: np.ndarray  # int32
    weights: np.ndarray  # float32
    info: dict = field(default_factory=dict)


def spd_inverse(gram: np.ndarray, l2: float) -> np.ndarray:
    """(gram + l2 I)^-1 by Cholesky (the matrix is symmetric positive definite): 4x faster than a general inverse.
    Overwrites nothing the caller keeps: works on a copy."""
    from scipy.linalg import lapack

    regularised = gram.copy()
    regularised[np.diag_indices_from(regularised)] += l2
    factor, info = lapack.spotrf(regularised, lower=False, overwrite_a=True)
    if info != 0:
        raise np.linalg.LinAlgError(f"Cholesky factorisation failed (info {info})")
    inverse, info = lapack.spotri(factor, lower=False, overwrite_c=True)
    if info != 0:
        raise np.linalg.LinAlgError(f"inverse from the Cholesky factor failed (info {info})")
    n, block = len(inverse), 1024
    for start in range(0, n, block):  # spotri fills the upper triangle only: mirror it, a block at a time (no copies)
        stop = min(n, start + block)
        inverse[start:stop, :start] = inverse[:start, start:stop].T
        corner = inverse[start:stop, start:stop]
        corner[np.tril_indices(stop - start, -1)] = corner.T[np.tril_indices(stop - start, -1)]
    return inverse


def ease_matrix(gram: np.ndarray, l2: float) -> np.ndarray:
    """Dense EASE weights B = I - P / diag(P) with P = (G + l2 I)^-1, zero diagonal; a user's scores are row @ B."""
    weights = spd_inverse(gram, l2)
    weights /= -np.diag(weights).copy()
    np.fill_diagonal(weights, 0.0)
    return weights


def fit_ease(ratings: MovieLensRatings, movielens_ids: list[int | None], l2: float = EASE_L2, keep: int = EASE_KEEP,
             links: Links | None = None, link_weight: float = EASE_LINK_WEIGHT) -> EaseWeights:
    """EASE over every rated film of `ratings`, its rows cut to the `keep` largest weights, in catalogue film ids
    (joined on MovieLens movieId; films outside the catalogue are left out before fitting); with the catalogue's
    `links`, learnt from them too (`link_weight` x their TF-IDF cosine added to the Gram matrix)."""
    film_of_movie = {int(movie): film for film, movie in enumerate(movielens_ids) if movie is not None}
    film_of_item = np.array([film_of_movie.get(int(movie), -1) for movie in ratings.movie_ids], dtype=np.int64)
    in_catalogue = film_of_item[ratings.items] >= 0
    items = np.unique(ratings.items[in_catalogue])
    column = np.full(ratings.n_items, -1, dtype=np.int64)
    column[items] = np.arange(len(items))
    interactions = np.zeros((ratings.n_users, len(items)), dtype=np.float32)
    interactions[ratings.users[in_catalogue], column[ratings.items[in_catalogue]]] = 1.0
    gram = interactions.T @ interactions
    del interactions
    info = {"l2": l2, "keep": keep, "films": len(items)}
    if links is not None and link_weight > 0:
        add_link_cosine(gram, film_of_item[items], links, link_weight)
        info["link_weight"] = link_weight
    dense = ease_matrix(gram, l2)
    del gram
    return sparse_rows(dense, film_of_item[items], len(movielens_ids), keep, info)


def add_link_cosine(gram: np.ndarray, films: np.ndarray, links: Links, weight: float) -> None:
    """gram += weight x the TF-IDF cosine of `films`' links (idf over the whole catalogue, engine/content.py), in
    place, a block of rows at a time."""
    from training.data.link_content import link_tfidf

    rows = link_tfidf(*links)[films]
    columns = rows.T.tocsr()  # CSR @ CSR: scipy converts any other right-hand format on every block
    for start in range(0, len(films), LINK_BLOCK):
        stop = min(start + LINK_BLOCK, len(films))
        gram[start:stop] += weight * (rows[start:stop] @ columns).toarray()  # float32, as the link content


def sparse_rows(dense: np.ndarray, films: np.ndarray, n_films: int, keep: int, info: dict) -> EaseWeights:
    """The `keep` largest weights by size of each row of `dense` (rows and columns are `films`), as CSR over all films."""
    keep = min(keep, dense.shape[1] - 1)  # at most every other film: none has a weight to itself
    # The largest by size: a strong negative weight (people who watch A avoid B) is evidence too.
    top = np.argpartition(-np.abs(dense), keep, axis=1)[:, :keep]
    values = np.take_along_axis(dense, top, axis=1)
    order = np.argsort(films, kind="stable")
    counts = np.zeros(n_films + 1, dtype=np.int64)
    counts[films + 1] = keep
    indptr = np.cumsum(counts)
    return EaseWeights(indptr, films[top[order]].astype(np.int32).ravel(), values[order].astype(np.float32).ravel(),
                       {**info, "keep": keep})
