"""Baseline recommenders to measure ours against: most popular, item-kNN (cosine), EASE (Steck 2019) and RP3beta
(Paudel et al. 2017), plus the ranking figures and the paired comparison every baseline is reported with.

All learn from a binary user x item matrix (who rated what, or who liked what) and score a user's row of it.
"""
from __future__ import annotations

import numpy as np

from engine.vectors import top_k
from training.ratings.ease import ease_matrix


def interaction_matrix(users: np.ndarray, items: np.ndarray, n_users: int, n_items: int) -> np.ndarray:
    """Dense binary float32 matrix: 1 where the user rated the item."""
    matrix = np.zeros((n_users, n_items), dtype=np.float32)
    matrix[users, items] = 1.0
    return matrix


class Baselines:
    """The item-item baselines over one interaction matrix (the Gram matrix is computed once and shared).

    Item x item matrices are float32 (counts up to a few thousand are exact) and at most one item-kNN, EASE or
    RP3beta matrix is kept beside the Gram matrix (drop() frees it), so ~10k films cost about 1 GB at the peak.
    """

    def __init__(self, interactions: np.ndarray):
        self.interactions = interactions
        self.counts = interactions.sum(axis=0)
        self.gram = interactions.T @ interactions  # float32
        self._knn: np.ndarray | None = None
        self._ease: tuple[float, np.ndarray] | None = None
        self._rp3: tuple[float, np.ndarray] | None = None

    def popular(self, rows: np.ndarray) -> np.ndarray:
        """The same scores for everyone: how many people rated each item."""
        return np.broadcast_to(self.counts, (len(rows), len(self.counts)))

    def item_knn(self, rows: np.ndarray) -> np.ndarray:
        """Sum of cosine similarities (columns of the matrix) to the items the user rated."""
        if self._knn is None:
            self.drop()
            norms = np.maximum(np.sqrt(np.diag(self.gram)), 1e-6)
            similarity = self.gram / norms[:, None]
            similarity /= norms[None, :]
            np.fill_diagonal(similarity, 0.0)
            self._knn = similarity
        return rows @ self._knn

    def drop(self) -> None:
        """Free every cached item x item matrix but the Gram matrix (hundreds of MB each)."""
        self._knn = self._ease = self._rp3 = None

    def ease(self, rows: np.ndarray, l2: float) -> np.ndarray:
        """EASE: item-item weights B = I - P / diag(P) with P = (G + l2 I)^-1, zero diagonal; scores = rows @ B."""
        if self._ease is None or self._ease[0] != l2:
            self.drop()
            self._ease = (l2, ease_matrix(self.gram, l2))
        return rows @ self._ease[1]

    def rp3beta(self, rows: np.ndarray, alpha: float, beta: float) -> np.ndarray:
        """RP3beta: a user -> item -> user -> item walk (P_ui^alpha P_iu^alpha), each target divided by popularity^beta.

        W_ij = deg_i^-alpha (sum_u r_ui r_uj deg_u^-alpha) deg_j^-beta with a zero diagonal; scores = rows @ W. Without
        a top-k cut (which measured no better here) beta is a column scale, so one matrix per alpha serves every beta.
        """
        if self._rp3 is None or self._rp3[0] != alpha:
            self.drop()
            user_degree = np.maximum(self.interactions.sum(axis=1), 1.0)
            walk = self.interactions.T @ (self.interactions * (user_degree ** -alpha)[:, None])  # float32, items x items
            np.fill_diagonal(walk, 0.0)
            self._rp3 = (alpha, walk)
        item_degree = np.maximum(self.counts, 1.0)
        return ((rows * item_degree ** -alpha) @ self._rp3[1]) * item_degree ** -beta


def top_unseen(scores: np.ndarray, seen: np.ndarray, k: int = 10) -> np.ndarray:
    """The k best-scored item indexes that are not in `seen`, best first."""
    scores = np.array(scores, dtype=np.float64)
    scores[seen] = -np.inf
    return top_k(scores, k)


def paired_difference(ours: np.ndarray, theirs: np.ndarray) -> tuple[float, float]:
    """Mean of theirs - ours over the same users and its standard error: far tighter than comparing two SEs."""
    differences = np.asarray(theirs, dtype=np.float64) - np.asarray(ours, dtype=np.float64)
    if len(differences) < 2:
        return float(differences.mean()) if len(differences) else 0.0, 0.0
    return float(differences.mean()), float(differences.std(ddof=1) / np.sqrt(len(differences)))


def standard_error(values: np.ndarray) -> float:
    """Standard error of a mean over users (0 for fewer than two)."""
    values = np.asarray(values, dtype=np.float64)
    return float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0


def recall_ndcg(ranked: list[int] | np.ndarray, relevant: set[int], k: int = 10) -> tuple[float, float]:
    """Recall@k (hits over min(k, relevant)) and NDCG@k with binary relevance, for one user."""
    ranked = list(ranked)[:k]
    hits = [1.0 if item in relevant else 0.0 for item in ranked]
    if not relevant:
        return 0.0, 0.0
    dcg = sum(hit / np.log2(position + 2) for position, hit in enumerate(hits))
    ideal = sum(1.0 / np.log2(position + 2) for position in range(min(k, len(relevant))))
    return sum(hits) / min(k, len(relevant)), dcg / ideal


class Figures(dict):
    """A row of figures, JSON-able as it is, that also carries each user's NDCG@10 (`ndcg`) for paired comparisons."""

    def __init__(self, figures: dict, ndcg: np.ndarray):
        super().__init__(figures)
        self.ndcg = ndcg


def summarise(pairs: list[tuple[float, float]]) -> Figures:
    """Mean Recall@10 and NDCG@10 over users' (recall, ndcg) pairs, NDCG's standard error, and each user's NDCG."""
    recall, ndcg = np.mean(pairs, axis=0) if pairs else (0.0, 0.0)
    per_user = np.array([pair[1] for pair in pairs], dtype=np.float64)
    return Figures({"recall_at_10": round(float(recall), 4), "ndcg_at_10": round(float(ndcg), 4),
                    "ndcg_standard_error": round(standard_error(per_user), 4)}, per_user)
