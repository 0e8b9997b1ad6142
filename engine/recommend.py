"""Personal picks from liked and disliked films: a query direction in the film space, solved per request."""
from __future__ import annotations

import numpy as np


def logistic_direction(liked: np.ndarray, disliked: np.ndarray, l2: float = 1.0, iterations: int = 25) -> np.ndarray:
    """Weights of a linear classifier (logistic regression, Newton steps, L2) separating liked from disliked vectors.

    Returns a unit vector: films scoring high along it look like the liked ones and unlike the disliked ones.
    """
    x = np.vstack([liked, disliked]).astype(np.float32)  # float32 halves the cost; the weights need no more
    y = np.concatenate([np.ones(len(liked)), np.zeros(len(disliked))]).astype(np.float32)
    x = np.hstack([x, np.ones((len(x), 1), dtype=np.float32)])  # bias column
    w = np.zeros(x.shape[1], dtype=np.float32)
    w[:-1] = liked.mean(axis=0) - disliked.mean(axis=0)
    penalty = np.full(x.shape[1], l2, dtype=np.float32)
    penalty[-1] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-4:
            break
    direction = w[:-1]
    norm = np.linalg.norm(direction)
    return (direction / norm).astype(np.float32) if norm > 0 else liked.mean(axis=0).astype(np.float32)


def taste_vector(liked: np.ndarray, disliked: np.ndarray) -> np.ndarray | None:
    """The direction to search along: the classifier's with likes and dislikes, the likes' centroid with likes only,
    None without likes (the caller falls back to well-known films)."""
    if len(liked) == 0:
        return None
    if len(disliked) == 0:
        centroid = liked.mean(axis=0)
        norm = np.linalg.norm(centroid)
        return (centroid / norm).astype(np.float32) if norm > 0 else None
    return logistic_direction(liked, disliked)

