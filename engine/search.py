"""Nearest vectors by cosine: exact numpy search, or Annoy candidates re-ranked exactly for large catalogues."""
from __future__ import annotations

import numpy as np
from annoy import AnnoyIndex

from engine.vectors import top_k

ANNOY_MIN_CANDIDATES = 100


class VectorSearch:
    """Top-k ids by cosine over normalised vectors (rows), best first, scores in [-1, 1].

    `mode` is 'exact' (a matrix-vector product; recall 1.0) or 'annoy' (approximate candidates, exact re-rank).
    """

    def __init__(self, vectors: np.ndarray, index: AnnoyIndex, mode: str, search_k: int):
        if mode not in ("exact", "annoy"):
            raise ValueError(f"mode must be 'exact' or 'annoy', got {mode!r}")
        self.vectors = np.asarray(vectors)  # a plain view of the memory map: no subclass overhead per query
        self.index = index
        self.mode = mode
        self.search_k = search_k

    def nearest(self, query: np.ndarray, k: int, exclude=()) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest ids and their cosines, never any id in `exclude` (asks for k + len(exclude), then cuts)."""
        exclude = {int(i) for i in exclude}
        want = min(k + len(exclude), len(self.vectors))
        if want <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        query = np.asarray(query, dtype=np.float32)
        if self.mode == "annoy":
            candidates = np.asarray(
                self.index.get_nns_by_vector(query.tolist(), max(want, ANNOY_MIN_CANDIDATES), search_k=self.search_k),
                dtype=np.int64,
            )
            scores = self.vectors[candidates] @ query
        else:
            scores = self.vectors @ query
            candidates = None
        top = top_k(scores, k, exclude, ids=candidates)
        ids = candidates[top] if candidates is not None else top
        return ids, scores[top]
