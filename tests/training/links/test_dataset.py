"""Building the link vocabulary and training pairs, checked by hand on a tiny catalogue."""
from __future__ import annotations

from training.data.films import FilmRecord
from training.links.dataset import build_dataset


def film(title, *links):
    return FilmRecord(title, {}, tuple(links))


def test_links_below_threshold_explain_but_are_not_trained():
    films = [
        film("A", "common", "pair", "rare-a"),
        film("B", "common", "pair"),
        film("C", "common"),
        film("D", "only-rare"),
    ]
    data = build_dataset(films, min_films_per_link=2)
    assert data.link_titles[: data.n_model_links] == ["common", "pair"]  # most used first
    assert data.dropped_films == 1 and [f.title for f in data.films] == ["A", "B", "C"]
    assert "rare-a" in data.link_titles[data.n_model_links :]
    assert [data.link_titles[i] for i in data.links_of(0)] == ["common", "pair", "rare-a"]
    assert sorted(zip(data.pair_films.tolist(), data.pair_links.tolist())) == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)]
