"""The evaluation's neighbour queries run in bounded blocks: the same answers as one big product, in a fraction of
the memory (at 170k films one big product was a 3.5 GB spike that broke the trainer's 8 GB budget)."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from training.evaluation import blocked
from training.evaluation.links import vector_neighbours


@pytest.fixture()
def vectors() -> np.ndarray:
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(3000, 8)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _peak_bytes(call) -> tuple[np.ndarray, int]:
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_blocks_give_the_one_product_answers_in_a_fraction_of_the_memory(vectors, monkeypatch):
    films = np.arange(len(vectors))
    whole, whole_peak = _peak_bytes(lambda: vector_neighbours(vectors)(films, 10))
    monkeypatch.setattr(blocked, "EVAL_BLOCK_CELLS", 70 * len(vectors))  # 70 query films at a time: blocks of uneven end
    parts, parts_peak = _peak_bytes(lambda: vector_neighbours(vectors)(films, 10))
    assert parts.tolist() == whole.tolist()
    assert not (parts == films[:, None]).any()  # never a film as its own neighbour, in any block
    assert parts_peak < whole_peak / 10, (parts_peak, whole_peak)


def test_a_block_smaller_than_one_row_still_answers(vectors, monkeypatch):
    monkeypatch.setattr(blocked, "EVAL_BLOCK_CELLS", 1)
    top = vector_neighbours(vectors)(np.array([5, 6]), 3)
    assert top.shape == (2, 3) and 5 not in top[0] and 6 not in top[1]
