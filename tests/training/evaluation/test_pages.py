"""The pages-like check on directors: their nearest directors share a genre with them more often than random ones."""
from __future__ import annotations

import numpy as np

from training.data.films import FilmRecord
from training.evaluation.pages import director_genre_share, director_genres, format_pages

LINKS = ["Wes Craven", "John Carpenter", "Nora Ephron", "Rob Reiner", "Horror film"]


def films() -> list[FilmRecord]:
    def one(title, director, genre):
        return FilmRecord(title, {"director": director, "genres": [genre]}, (director, "Horror film"))

    return [one("Scream", "Wes Craven", "Horror"), one("Halloween", "John Carpenter", "Horror"),
            one("Sleepless in Seattle", "Nora Ephron", "Comedy"), one("This Is Spinal Tap", "Rob Reiner", "Comedy")]


def test_director_genres_are_their_films_genres():
    assert director_genres(films(), LINKS) == {0: {"Horror"}, 1: {"Horror"}, 2: {"Comedy"}, 3: {"Comedy"}}


def test_nearest_directors_sharing_a_genre_beat_random_ones():
    # horror directors side by side, comedy directors side by side, the two pairs apart
    vectors = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [0.7, 0.7]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    figures = director_genre_share(films(), LINKS, vectors, k=1)
    assert figures["directors"] == 4 and figures["top10_share_genre"] == 1.0  # each one's nearest is their genre's
    assert 0 <= figures["random_share_genre"] < 1.0
    assert director_genre_share(films(), LINKS, vectors, k=4)["top10_share_genre"] is None  # too few to say


def test_training_stores_and_prints_the_pages_check(manifest):
    pages = manifest["metrics"]["pages"]
    assert 0.5 < pages["kinds"]["with_kind"] <= 1 and pages["kinds"]["main_kinds"]["director"] > 50
    check = pages["directors"]
    assert check["directors"] > 50 and 0 <= check["random_share_genre"] <= 1
    assert check["top10_share_genre"] > check["random_share_genre"]  # the small model: 0.739 against 0.674
    assert "nearest directors share a genre" in format_pages(pages)
