"""What the film vectors know: how well a ridge regression reads a film's Rotten Tomatoes score from its vector, next
to one that reads it from the film's year and genres (what any catalogue knows) and one from both.

The vectors were trained on links only, never on scores: a held-out R² above the year-and-genres baseline says they
picked up something about quality that the obvious metadata does not carry (the seeds' fast.ai lesson asks the same
of its embeddings). Scores are the `rotten_tomatoes` field of the films file ("96%"); films without one are left out.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from engine.vectors import normalize_rows

TEST_SHARE = 0.2
SEED = 20180926
MIN_GENRE_FILMS = 20  # a genre becomes a feature when at least this many scored films have it
ALPHAS = tuple(10.0 ** p for p in range(-2, 5))
MIN_FILMS = 50  # fewer scored films than this: nothing worth fitting
_SCORE = re.compile(r"^\s*(\d{1,3})\s*%?\s*$")


def rotten_score(text: str | None) -> float | None:
    """'96%' or '60' -> 96.0 / 60.0; None for anything that is not a percentage."""
    match = _SCORE.match(text or "")
    if not match or int(match.group(1)) > 100:
        return None
    return float(match.group(1))


def year_genre_features(films: Sequence, rows: np.ndarray) -> np.ndarray:
    """Per film of `rows`: its year (centred, scaled), its decade one-hot and its genres multi-hot (genres at least
    MIN_GENRE_FILMS of them have); a film without a year gets the mean year."""
    years = np.array([films[i].year or np.nan for i in rows], dtype=np.float64)
    mean_year = float(np.nanmean(years)) if np.isfinite(years).any() else 2000.0
    years = np.where(np.isfinite(years), years, mean_year)
    decades = sorted({int(y) // 10 for y in years})
    genres_of = [set(films[i].infobox.get("genres") or ()) for i in rows]
    counts = Counter(genre for genres in genres_of for genre in genres if isinstance(genre, str))
    genres = sorted(genre for genre, count in counts.items() if count >= MIN_GENRE_FILMS)
    features = np.zeros((len(rows), 1 + len(decades) + len(genres)))
    features[:, 0] = (years - mean_year) / 20.0
    decade_column = {decade: 1 + i for i, decade in enumerate(decades)}
    genre_column = {genre: 1 + len(decades) + i for i, genre in enumerate(genres)}
    for row, (year, film_genres) in enumerate(zip(years, genres_of)):
        features[row, decade_column[int(year) // 10]] = 1.0
        for genre in film_genres & genre_column.keys():
            features[row, genre_column[genre]] = 1.0
    return features


def held_out_r2(features: np.ndarray, scores: np.ndarray, train: np.ndarray, test: np.ndarray) -> tuple[float, float]:
    """(R² on the test films, the ridge penalty chosen by cross-validation on the training films)."""
    from sklearn.linear_model import RidgeCV

    model = RidgeCV(alphas=ALPHAS).fit(features[train], scores[train])
    return float(model.score(features[test], scores[test])), float(model.alpha_)


def what_vectors_know(films: Sequence, film_vectors: np.ndarray) -> dict | None:
    """Held-out R² of the Rotten Tomatoes score from the vectors, from year and genres, and from both (a fixed 80/20
    split of the films that have a score); None when too few films have one."""
    scored = [(i, rotten_score(film.rotten_tomatoes)) for i, film in enumerate(films)]
    scored = [(i, score) for i, score in scored if score is not None]
    if len(scored) < MIN_FILMS:
        return None
    rows = np.array([i for i, _ in scored])
    scores = np.array([score for _, score in scored])
    order = np.random.default_rng(SEED).permutation(len(rows))
    cut = int(len(rows) * (1 - TEST_SHARE))
    train, test = order[:cut], order[cut:]
    vectors = normalize_rows(np.asarray(film_vectors)[rows]).astype(np.float64)
    metadata = year_genre_features(films, rows)
    figures: dict = {"films": len(rows), "test_films": len(test), "r2": {}, "alpha": {}}
    for name, features in (("vectors", vectors), ("year_genres", metadata), ("both", np.hstack([vectors, metadata]))):
        r2, alpha = held_out_r2(features, scores, train, test)
        figures["r2"][name], figures["alpha"][name] = round(r2, 4), alpha
    return figures


def format_vectors_know(figures: dict | None) -> str:
    if figures is None:
        return f"what the vectors know: fewer than {MIN_FILMS} films with a Rotten Tomatoes score, nothing fitted"
    r2 = figures["r2"]
    return (f"what the vectors know: Rotten Tomatoes % from the film vectors R² {r2['vectors']:.3f} on "
            f"{figures['test_films']:,} held-out films (year and genres {r2['year_genres']:.3f}; both {r2['both']:.3f})")
