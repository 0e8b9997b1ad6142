"""How well known each film is, in [0, 1]: MovieLens rating counts when available, the size of its link set always."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np

from training.data.films import FilmRecord


def rating_counts(ratings_csv: str | Path) -> Counter:
    """Ratings per MovieLens movieId, from a `userId,movieId,rating,timestamp` file."""
    counts: Counter = Counter()
    with open(ratings_csv, newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                counts[int(row["movieId"])] += 1
            except (KeyError, TypeError, ValueError):
                continue
    return counts


def popularity(films: list[FilmRecord], ratings: Counter | None = None) -> np.ndarray:
    """0.8 x log rating count + 0.2 x log link count, each scaled to [0, 1] (links alone without ratings)."""
    link_counts = np.array([len(f.links) for f in films])
    if not ratings:
        return popularity_from_counts(link_counts, None)
    return popularity_from_counts(
        link_counts, np.array([ratings.get(f.movielens_id, 0) if f.movielens_id is not None else 0 for f in films]))


def popularity_from_counts(link_counts: np.ndarray, rating_counts: np.ndarray | None) -> np.ndarray:
    """The same blend from per-film counts (the evaluation recomputes it without the ratings it hides)."""
    links = np.log1p(np.asarray(link_counts, dtype=np.float64))
    links = links / max(links.max(), 1e-9)
    if rating_counts is None or not np.asarray(rating_counts).any():
        return links.astype(np.float32)
    rated = np.log1p(np.asarray(rating_counts, dtype=np.float64))
    rated = rated / max(rated.max(), 1e-9)
    return (0.8 * rated + 0.2 * links).astype(np.float32)
