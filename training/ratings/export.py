"""Turn a trained taste model into the bundle's ratings view: film factors aligned with the catalogue's film ids, and
estimates for films MovieLens never rated (publish/bundle.py writes them)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from training.data.movielens import MovieLensRatings
from training.ratings.ease import EaseWeights

if TYPE_CHECKING:  # crowd.py imports align from here
    from training.ratings.crowd import CrowdFavourites

IMPUTE_NEIGHBOURS = 10  # an unrated film's factors: the mean of its 10 nearest rated films in the link model
IMPUTED_BIAS_QUANTILE = 0.25  # ...and a modest bias: nobody on MovieLens rated it, so it is probably little seen


@dataclass
class RatingsExport:
    """Per-film arrays in catalogue order (row i = film id i) and what the manifest says about them."""

    factors: np.ndarray
    biases: np.ndarray
    counts: np.ndarray  # MovieLens ratings the model saw for each film; 0 = factors estimated from link neighbours
    info: dict = field(default_factory=dict)
    ease: EaseWeights | None = None  # who watched what: EASE weights over every rated film (ratings/ease.py)
    crowd: CrowdFavourites | None = None  # the rating predictor's shrunk film biases (ratings/crowd.py)


def align(item_factors: np.ndarray, item_biases: np.ndarray, trained_on: MovieLensRatings, movielens_ids: list[int | None],
          info: dict | None = None) -> RatingsExport:
    """A model's item factors and biases placed at the film ids of the catalogue (joined on MovieLens movieId)."""
    n_films, dim = len(movielens_ids), item_factors.shape[1]
    item_of = {int(movie): i for i, movie in enumerate(trained_on.movie_ids)}
    counts_by_item = np.bincount(trained_on.items, minlength=trained_on.n_items)
    factors = np.zeros((n_films, dim), dtype=np.float32)
    biases = np.zeros(n_films, dtype=np.float32)
    counts = np.zeros(n_films, dtype=np.int32)
    for film, movie in enumerate(movielens_ids):
        item = item_of.get(movie) if movie is not None else None
        if item is not None and counts_by_item[item] > 0:
            factors[film], biases[film], counts[film] = item_factors[item], item_biases[item], counts_by_item[item]
    return RatingsExport(factors, biases, counts, dict(info or {}))


def impute_unrated(export: RatingsExport, neighbours: np.ndarray, neighbour_scores: np.ndarray,
                   k: int = IMPUTE_NEIGHBOURS) -> RatingsExport:
    """Give each film without ratings the mean factors of its nearest rated films in the links view (its stored
    neighbours), weighted by their links-view scores (a film its article links to weighs most), so a 👍 on any film
    moves the user's vector; zeros if none is rated. Its bias is low."""
    rated = export.counts > 0
    factors, biases = export.factors.copy(), export.biases.copy()
    if rated.any():
        biases[~rated] = np.quantile(export.biases[rated], IMPUTED_BIAS_QUANTILE)
    for film in np.flatnonzero(~rated):
        ids, scores = neighbours[film], neighbour_scores[film]
        keep = rated[ids] & (scores > 0)
        ids, weights = ids[keep][:k], scores[keep][:k]
        if len(ids):
            weights = weights / weights.sum()
            factors[film] = weights @ export.factors[ids]
    return RatingsExport(factors, biases, export.counts, export.info, export.ease, export.crowd)
