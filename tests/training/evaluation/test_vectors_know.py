"""What the film vectors know: Rotten Tomatoes scores read back from the vectors by a ridge regression, next to the
year-and-genres baseline, on held-out films."""
from __future__ import annotations

import numpy as np
import pytest

from training.data.films import FilmRecord
from training.evaluation.vectors_know import MIN_FILMS, rotten_score, what_vectors_know, year_genre_features


@pytest.mark.parametrize(("text", "score"), [("96%", 96.0), ("60", 60.0), (" 5 % ", 5.0), ("100%", 100.0),
                                             ("101%", None), ("N/A", None), ("", None), (None, None), ("7/10", None)])
def test_scores_are_read_only_from_percentages(text, score):
    assert rotten_score(text) == score


def film(year: int | None, genres: list[str], score: str | None = None) -> FilmRecord:
    return FilmRecord(f"Film {year} {genres}", {"year": year, "genres": genres}, ("Link",), score)


def test_year_and_genre_features_one_hot_the_decade_and_the_common_genres():
    films = [film(1984, ["Horror"])] * 20 + [film(1995, ["Horror", "Comedy"]), film(None, ["Western"])]
    features = year_genre_features(films, np.arange(len(films)))
    assert features.shape == (22, 1 + 2 + 1)  # year, decades 1980s and 1990s (the yearless film takes the mean), Horror
    assert features[:20, 1].tolist() == [1.0] * 20 and features[20, 2] == 1.0
    assert features[:21, 3].tolist() == [1.0] * 21 and features[21, 3] == 0.0  # Comedy, Western: too rare


def test_vectors_that_carry_the_score_beat_year_and_genres():
    rng = np.random.default_rng(1)
    quality = rng.uniform(0, 100, 400)
    films = [film(int(rng.integers(1950, 2020)), [["Drama"], ["Comedy"]][i % 2], f"{q:.0f}%") for i, q in enumerate(quality)]
    vectors = rng.normal(size=(400, 16))
    vectors[:, 0] = (quality - 50) / 10  # one direction of the vectors is the score
    figures = what_vectors_know(films, vectors)
    assert figures["films"] == 400 and figures["test_films"] == 80
    assert figures["r2"]["vectors"] > 0.7 > figures["r2"]["year_genres"]
    assert figures["r2"]["both"] > 0.7


def test_too_few_scored_films_fit_nothing():
    films = [film(2000, ["Drama"], "50%")] * (MIN_FILMS - 1) + [film(2000, ["Drama"])] * 100
    assert what_vectors_know(films, np.ones((len(films), 4))) is None


def test_training_stores_what_the_vectors_know(manifest):
    figures = manifest["metrics"]["vectors_know"]
    assert figures["films"] >= MIN_FILMS and set(figures["r2"]) == {"vectors", "year_genres", "both"}
