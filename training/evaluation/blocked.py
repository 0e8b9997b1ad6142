"""Neighbour queries of the evaluation in bounded blocks: scoring thousands of films against every film at once
is gigabytes at a real Wikipedia's size, scoring a few hundred at a time is megabytes, and the answers are the same."""
from __future__ import annotations

import numpy as np

EVAL_BLOCK_CELLS = 16_000_000  # query films x films scored at once: 64 MB of float32 (another 64 MB negated by
# top_k_rows, and 128 MB of argpartition's int64) at any catalogue size, where 2,000 queries against 170k films at
# once are 1.4 GB of scores, a copy and 2.7 GB of argpartition indices


def in_blocks(neighbours, n_columns: int):
    """`neighbours(film_ids, k)` called on blocks of at most EVAL_BLOCK_CELLS // n_columns films, so memory stays
    bounded however many films are asked about; same answers, row for row."""

    def blocked(film_ids, k: int) -> np.ndarray:
        film_ids = np.asarray(film_ids, dtype=np.int64)
        step = max(1, EVAL_BLOCK_CELLS // max(n_columns, 1))
        if len(film_ids) <= step:
            return neighbours(film_ids, k)
        return np.concatenate([neighbours(film_ids[start:start + step], k) for start in range(0, len(film_ids), step)])

    return blocked
