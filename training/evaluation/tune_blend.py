"""Tune recommend()'s weights on the tuning users from the engine's own signals (engine/recommend.signals).

Each user's signals are read once; every weight combination is then scored on the films that can reach a top 10:
the union of each signal's (and popularity's) POOL best films. A weighted sum with non-negative weights puts in its
top 10 a film outside every signal's top 300 only in contrived cases, and this makes the grid cost seconds, not
minutes. The reported figures come from Engine.recommend itself with the chosen weights.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from engine import Blend
from engine.recommend import blended, signals
from engine.vectors import highest
from training.evaluation.baselines import recall_ndcg

POOL = 300
TASTE_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0)
CONTENT_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
CENTROID_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
DISLIKE_WEIGHTS = (0.0, 0.25, 0.5)
POPULARITY_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
GRID_NAMES = ("taste_weight", "content_weight", "centroid_weight", "dislike_weight", "recommend_popularity_weight")


@dataclass
class UserSignals:
    """One user's candidate films, each signal's standardised scores and the popularity of them, and their hidden
    likes."""

    films: np.ndarray
    parts: dict[str, np.ndarray]
    popularity: np.ndarray
    relevant: set[int]


def gather(model, users, film_of_item: np.ndarray, k: int = 10) -> list[UserSignals]:
    """Every tuning user's signals, cut to the films that can reach their top `k` (rated and seen ones removed)."""
    gathered = []
    for user in users:
        liked, disliked = film_of_item[user.likes].tolist(), film_of_item[user.dislikes].tolist()
        seen = film_of_item[user.neutral].tolist()
        parts = signals(model, liked, disliked, seen)
        excluded = np.zeros(len(model), dtype=bool)
        excluded[liked + disliked + seen] = True
        pool = set()
        for scores in [*parts.values(), model.popularity]:
            open_scores = np.where(excluded, -np.inf, scores)
            depth = min(POOL, len(open_scores))
            pool.update(highest(open_scores, depth).tolist())
        films = np.array(sorted(f for f in pool if not excluded[f]), dtype=np.int64)
        gathered.append(UserSignals(films, {name: np.asarray(s)[films] for name, s in parts.items()},
                                    model.popularity[films], set(film_of_item[user.hidden].tolist())))
    return gathered


def mean_ndcg(gathered: list[UserSignals], blend: Blend, k: int = 10) -> float:
    """Mean NDCG@k over the users, their signals added up as recommend() does with `blend`."""
    total = 0.0
    for user in gathered:
        scores = blended(user.parts, blend, user.popularity)
        top = user.films[np.argsort(-scores, kind="stable")[:k]]
        total += recall_ndcg(top.tolist(), user.relevant, k)[1]
    return total / max(len(gathered), 1)


def tune_recommend(gathered: list[UserSignals]) -> tuple[dict[str, float], list[dict]]:
    """The grid's best weights by mean NDCG@10 on the tuning users (ties: the earlier, smaller weights), and every
    combination's figure."""
    grid = []
    for values in itertools.product(TASTE_WEIGHTS, CONTENT_WEIGHTS, CENTROID_WEIGHTS, DISLIKE_WEIGHTS, POPULARITY_WEIGHTS):
        named = dict(zip(GRID_NAMES, values))
        grid.append({**named, "ndcg_at_10": round(mean_ndcg(gathered, Blend(**named)), 4)})
    best = max(range(len(grid)), key=lambda i: (grid[i]["ndcg_at_10"], -i))
    return {name: grid[best][name] for name in GRID_NAMES}, grid
