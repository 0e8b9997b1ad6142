"""How well known each film is, in [0, 1]: MovieLens rating counts when available, the size of its link set always."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np

from training.films import FilmRecord


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
    links = np.log1p([len(f.links) for f in films])
    links = links / max(links.max(), 1e-9)
    if not ratings:
        return links.astype(np.float32)
    rated = np.log1p([ratings.get(f.movielens_id, 0) if f.movielens_id is not None else 0 for f in films])
    rated = rated / max(rated.max(), 1e-9)
    return (0.8 * rated + 0.2 * links).astype(np.float32)
