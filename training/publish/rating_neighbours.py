"""Each rated film's nearest rated films in the ratings view, stored in the bundle so `similar()` reads them: scoring
every rated film per request was most of a similar() answer's time in the bot under load (bench/bot_load.py)."""
from __future__ import annotations

import numpy as np

from engine.vectors import normalize_rows, top_k_rows

BLOCK_CELLS = 16_000_000  # query films x rated films scored at once: 64 MB of float32 whatever the catalogue's size


def rating_neighbours(factors: np.ndarray, counts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids int32, cosines float32), a row per rated film (counts > 0, by film id): its k nearest other rated films by
    the cosine of their factors, best first; fewer columns when fewer films have ratings."""
    rated = np.flatnonzero(np.asarray(counts) > 0)
    k = max(0, min(k, len(rated) - 1))
    unit = normalize_rows(np.asarray(factors)[rated])  # as RatingsView.unit: a zero row stays zero
    ids = np.empty((len(rated), k), dtype=np.int32)
    scores = np.empty((len(rated), k), dtype=np.float32)
    step = max(1, BLOCK_CELLS // max(len(rated), 1))
    for start in range(0, len(rated) if k else 0, step):
        rows = np.arange(start, min(start + step, len(rated)))
        block = unit[rows] @ unit.T
        block[np.arange(len(rows)), rows] = -np.inf  # never a film itself
        top = top_k_rows(block, k)
        ids[rows] = rated[top]
        scores[rows] = np.take_along_axis(block, top, axis=1)
    return ids, scores
