"""The ratings view: films the same people watch and like, from the taste model's film factors and biases.

A Slack user's 👍/👎 become a user vector in closed form ("fold-in"): the ridge solution of the same weighted
least squares the taste model was trained with (every film 0 with weight 1, a 👍 film 1 with weight 1 + alpha, a 👎
film 0 with weight 1 + alpha), so there is no retraining per user. Films without MovieLens ratings carry factors the
trainer estimated from their nearest films in the link model, so a 👍 on any film counts; `counts` says which
films have real ratings.
"""
from __future__ import annotations

import numpy as np

from engine.vectors import top_k


class RatingsView:
    """Film factors (n_films x dim), biases and rating counts of one bundle; every method is read-only."""

    def __init__(self, factors: np.ndarray, biases: np.ndarray, counts: np.ndarray, alpha: float, fold_in_l2: float,
                 index=None, ease: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
                 stored: tuple[np.ndarray, np.ndarray] | None = None):
        self.factors = np.asarray(factors, dtype=np.float32)
        self.biases = np.asarray(biases, dtype=np.float32)
        self.counts = np.asarray(counts)
        self.alpha = float(alpha)
        self.fold_in_l2 = float(fold_in_l2)
        self.rated = self.counts > 0
        rated_factors = self.factors[self.rated].astype(np.float64)
        # What every user's solve shares: the Gram matrix and bias term of the films the model was trained on.
        self._gram = rated_factors.T @ rated_factors + self.fold_in_l2 * np.eye(self.factors.shape[1])
        self._bias_pull = rated_factors.T @ self.biases[self.rated].astype(np.float64)
        norms = np.linalg.norm(self.factors, axis=1, keepdims=True)
        unit = np.divide(self.factors, norms, out=np.zeros_like(self.factors), where=norms > 0)
        unit[~self.rated] = 0  # only films with real ratings are anyone's neighbours in this view
        self.unit = unit
        self._rated_ids = np.flatnonzero(self.rated)
        self._rated_factors = np.ascontiguousarray(self.factors[self._rated_ids])  # what taste scores are read from
        self._rated_biases = self.biases[self._rated_ids]
        self._mean = self._rated_factors.mean(axis=0, dtype=np.float64)
        self._covariance = np.cov(self._rated_factors, rowvar=False, bias=True)
        self._bias_mean = float(self._rated_biases.mean(dtype=np.float64)) if len(self._rated_ids) else 0.0
        self._rated_unit = np.ascontiguousarray(unit[self._rated_ids])
        self.index = index  # Annoy over `unit` of rated films, used when the catalogue is searched approximately
        self.ease = None if ease is None else EaseView(*ease)
        # Each rated film's nearest rated films, computed when publishing (row r = rated_ids[r]); None: score them here
        self._stored = stored
        self._row_of = np.full(len(self.counts), -1, dtype=np.int64)
        self._row_of[self._rated_ids] = np.arange(len(self._rated_ids))

    def has_ratings(self, film_id: int) -> bool:
        return bool(self.rated[film_id])

    def neighbours(self, film_id: int, k: int, skip: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """The k rated films watched by the same people (cosine of factors), best first.

        Read from the neighbours the bundle stores when they go deep enough past `skip` (a lookup instead of a product
        over every rated film: similar() by both views 1.7 -> 0.25 ms, bench/bot_load.py's profile); else searched."""
        row = self._row_of[film_id]
        if self._stored is not None and row >= 0 and film_id in skip:  # a stored row never holds the film itself
            ids, scores = self._stored[0][row], self._stored[1][row]
            others = skip - {film_id}
            if others:
                keep = np.fromiter((i not in others for i in ids.tolist()), dtype=bool, count=len(ids))
                ids, scores = ids[keep], scores[keep]
            if len(ids) >= k:
                return ids[:k].astype(np.int64), scores[:k]
        if self.index is not None:
            candidates = np.asarray(self.index.get_nns_by_item(int(film_id), k + len(skip) + 1), dtype=np.int64)
            scores = self.unit[candidates] @ self.unit[film_id]
            keep = np.array([int(i) not in skip for i in candidates], dtype=bool)
            order = np.argsort(-scores[keep], kind="stable")[:k]
            return candidates[keep][order], scores[keep][order]
        scores = self._rated_unit @ self.unit[film_id]
        top = top_k(scores, k, skip, ids=self._rated_ids)
        return self._rated_ids[top], scores[top]

    def cosine(self, film_id: int, others: np.ndarray) -> np.ndarray:
        """Cosine between one film's factors and others' (0 where either has no ratings)."""
        return self.unit[others] @ self.unit[film_id]

    def fold_in(self, liked: list[int], disliked: list[int]) -> np.ndarray:
        """The user vector that best explains their 👍 (1) and 👎 (0), both weighted 1 + alpha, against every other
        film (0, weight 1): a d x d linear solve, zeros when nothing is rated."""
        if not liked and not disliked:
            return np.zeros(self.factors.shape[1], dtype=np.float32)
        seen = list(liked) + list(disliked)
        q = self.factors[seen]  # float32 products (twice as fast); the d x d solve is in float64
        b = self.biases[seen]
        target = np.r_[np.ones(len(liked)), np.zeros(len(disliked))]
        # Seen films leave the "unrated" sum (weight 1, target 0) and come back with weight 1 + alpha and their target.
        real = self.rated[seen]
        # (q.T * extra) @ q with extra = alpha, or alpha + 1 for films nobody rated: a plain product is twice as fast
        gram = self._gram + self.alpha * (q.T @ q)
        if not real.all():
            unreal = q[~real]
            gram += unreal.T @ unreal
        pull = -self._bias_pull + q[real].T @ b[real] + (1 + self.alpha) * (q.T @ (target - b).astype(np.float32))
        return np.linalg.solve(gram, pull).astype(np.float32)

    @property
    def rated_ids(self) -> np.ndarray:
        return self._rated_ids

    def taste_scores(self, user: np.ndarray) -> np.ndarray:
        """Standardised taste scores of the rated films (in `rated_ids` order) for this user vector.

        Only films with real ratings are scored: films nobody rated are recommended by the link view, and reading
        a quarter of the factors keeps a request within the memory bandwidth of a 5 ms budget.
        """
        scores = self._rated_factors @ user
        scores += self._rated_biases
        scores -= self._bias_mean + float(self._mean @ user)
        user = user.astype(np.float64)
        spread = float(np.sqrt(max(user @ self._covariance @ user, 0.0)))
        if spread > 1e-12:  # biases are 0 unless the taste model learned them; then this slightly understates it
            scores /= spread
        return scores


class EaseView:
    """EASE weights (who watched what) over film ids: a person's watched films add up their rows."""

    # The bundle stores them as CSR; each scored film's row is kept here padded to the longest (zeros after its end,
    # ~15 MB in memory for 9.6k films x 200 weights), so a heavy rater's rows are gathered whole: 3x faster than entry
    # by entry (2.3 -> 0.8 ms for 1,450 films).

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, weights: np.ndarray):
        indptr = np.asarray(indptr, dtype=np.int64)
        lengths = np.diff(indptr)
        self.n_films = len(indptr) - 1
        self.scored = lengths > 0  # films EASE knows (callers rank the others apart)
        self.scored_ids = np.flatnonzero(self.scored)  # the same as ids: gathering by ids is ~8x faster than by mask
        self._row_of = np.full(self.n_films, -1, dtype=np.int64)
        self._row_of[self.scored_ids] = np.arange(len(self.scored_ids))
        width = int(lengths.max()) if len(lengths) else 0
        self._indices = np.zeros((len(self.scored_ids), width), dtype=np.int32)
        self._weights = np.zeros((len(self.scored_ids), width), dtype=np.float32)
        row = np.repeat(self._row_of[self.scored_ids], lengths[self.scored_ids])
        column = np.arange(int(indptr[-1])) - np.repeat(indptr[:-1][self.scored], lengths[self.scored])
        self._indices[row, column] = np.asarray(indices, dtype=np.int32)[: int(indptr[-1])]
        self._weights[row, column] = np.asarray(weights, dtype=np.float32)[: int(indptr[-1])]

    def scores(self, watched: list[int]) -> np.ndarray:
        """EASE scores of every film for someone who watched `watched` (liked, disliked or so-so alike); 0 for
        films outside EASE (`scored` says which are in: callers rank those apart)."""
        rows = self._row_of[np.asarray(watched, dtype=np.int64)]
        rows = rows[rows >= 0]
        if not len(rows):
            return np.zeros(self.n_films, dtype=np.float32)
        scores = np.zeros(self.n_films, dtype=np.float32)  # add.at in float32: 1.7x faster than bincount's float64
        np.add.at(scores, np.take(self._indices, rows, axis=0).ravel(), np.take(self._weights, rows, axis=0).ravel())
        return scores
