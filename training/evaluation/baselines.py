"""Baseline recommenders to measure ours against: most popular, item-kNN (cosine) and EASE (Steck 2019).

All learn from a binary user x item matrix of who rated what and score a user's row of it.
"""
from __future__ import annotations

import numpy as np

from engine.vectors import top_k


def interaction_matrix(users: np.ndarray, items: np.ndarray, n_users: int, n_items: int) -> np.ndarray:
    """Dense binary float32 matrix: 1 where the user rated the item."""
    matrix = np.zeros((n_users, n_items), dtype=np.float32)
    matrix[users, items] = 1.0
    return matrix


class Baselines:
    """The three baselines over one interaction matrix (the Gram matrix is computed once and shared).

    Item x item matrices are float32 (counts up to a few thousand are exact) and at most one EASE matrix is kept,
    so ~10k films cost about 1 GB at the peak.
    """

    def __init__(self, interactions: np.ndarray):
        self.interactions = interactions
        self.counts = interactions.sum(axis=0)
        self.gram = interactions.T @ interactions  # float32
        self._knn: np.ndarray | None = None
        self._ease: tuple[float, np.ndarray] | None = None

    def popular(self, rows: np.ndarray) -> np.ndarray:
        """The same scores for everyone: how many people rated each item."""
        return np.broadcast_to(self.counts, (len(rows), len(self.counts)))

    def item_knn(self, rows: np.ndarray) -> np.ndarray:
        """Sum of cosine similarities (columns of the matrix) to the items the user rated."""
        if self._knn is None:
            norms = np.maximum(np.sqrt(np.diag(self.gram)), 1e-6)
            similarity = self.gram / norms[:, None]
            similarity /= norms[None, :]
            np.fill_diagonal(similarity, 0.0)
            self._knn = similarity
        return rows @ self._knn

    def drop_item_knn(self) -> None:
        """Free the item-kNN matrix (hundreds of MB) once its figures are taken."""
        self._knn = None

    def ease(self, rows: np.ndarray, l2: float) -> np.ndarray:
        """EASE: item-item weights B = I - P / diag(P) with P = (G + l2 I)^-1, zero diagonal; scores = rows @ B."""
        if self._ease is None or self._ease[0] != l2:
            self._ease = None
            weights = _spd_inverse(self.gram, l2)
            weights /= -np.diag(weights).copy()
            np.fill_diagonal(weights, 0.0)
            self._ease = (l2, weights)
        return rows @ self._ease[1]


def _spd_inverse(gram: np.ndarray, l2: float) -> np.ndarray:
    """(gram + l2 I)^-1 by Cholesky (the matrix is symmetric positive definite): 4x faster than a general inverse."""
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


def top_unseen(scores: np.ndarray, seen: np.ndarray, k: int = 10) -> np.ndarray:
    """The k best-scored item indexes that are not in `seen`, best first."""
    scores = np.array(scores, dtype=np.float64)
    scores[seen] = -np.inf
    return top_k(scores, k)


def recall_ndcg(ranked: list[int] | np.ndarray, relevant: set[int], k: int = 10) -> tuple[float, float]:
    """Recall@k (hits over min(k, relevant)) and NDCG@k with binary relevance, for one user."""
    ranked = list(ranked)[:k]
    hits = [1.0 if item in relevant else 0.0 for item in ranked]
    if not relevant:
        return 0.0, 0.0
    dcg = sum(hit / np.log2(position + 2) for position, hit in enumerate(hits))
    ideal = sum(1.0 / np.log2(position + 2) for position in range(min(k, len(relevant))))
    return sum(hits) / min(k, len(relevant)), dcg / ideal
