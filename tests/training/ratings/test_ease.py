"""EASE over every rated film, as the bundle stores it: sparse rows in catalogue film ids."""
from __future__ import annotations

import numpy as np

from training.data.movielens import MovieLensRatings
from training.ratings.ease import fit_ease


def two_crowds() -> MovieLensRatings:
    """Users 0-19 watch movies 10, 11, 12; users 20-39 watch 20, 21, 22; nobody watches both kinds."""
    users, items = [], []
    for user in range(40):
        for item in ((0, 1, 2) if user < 20 else (3, 4, 5)):
            if (user + item) % 7:  # not everyone watches everything
                users.append(user)
                items.append(item)
    return MovieLensRatings(np.array(users, dtype=np.int32), np.array(items, dtype=np.int32),
                            np.full(len(users), 4.0, dtype=np.float32), np.arange(40), np.array([10, 11, 12, 20, 21, 22]))


def test_a_film_points_at_what_its_own_crowd_watched_in_catalogue_ids():
    # Catalogue: film 0 is movie 20, film 2 is movie 10, film 3 no movie, film 4 movie 11, film 5 movie 12,
    # film 6 movie 21, film 7 movie 22; movie 99 is not in MovieLens at all.
    catalogue = [20, 99, 10, None, 11, 12, 21, 22]
    ease = fit_ease(two_crowds(), catalogue, l2=1.0, keep=5)
    assert ease.info["films"] == 6
    assert np.diff(ease.indptr)[[1, 3]].tolist() == [0, 0]  # films nobody rated have no row
    row = slice(ease.indptr[2], ease.indptr[3])  # film 2 (movie 10)
    weights = dict(zip(ease.indices[row].tolist(), ease.weights[row].tolist()))
    same_crowd = min(weights[4], weights[5])
    assert same_crowd > 0
    assert all(weights.get(other, 0.0) < same_crowd for other in (0, 6, 7))
    assert 2 not in weights or weights[2] == 0.0  # never itself


def test_only_the_largest_weights_of_a_row_are_kept():
    ease = fit_ease(two_crowds(), [10, 11, 12, 20, 21, 22], l2=1.0, keep=2)
    assert np.diff(ease.indptr).tolist() == [2] * 6
    assert len(ease.indices) == len(ease.weights) == 12
    row = ease.weights[0:2]
    assert (row > 0).all()  # the two kept for film 0 are its own crowd's films: the largest weights by far
    assert set(ease.indices[0:2].tolist()) == {1, 2}
    dense = fit_ease(two_crowds(), [10, 11, 12, 20, 21, 22], l2=1.0, keep=6)
    kept = set(zip(ease.indices[0:2].tolist(), ease.weights[0:2].tolist()))
    biggest = sorted(zip(dense.indices[0:5].tolist(), dense.weights[0:5].tolist()), key=lambda p: -abs(p[1]))[:2]
    assert kept == set(biggest)


def test_films_whose_articles_share_a_page_point_at_each_other_across_crowds():
    # Movie 10 (film 0) and movie 20 (film 3) share a director's page (0); nobody watched both. Every film also links
    # to a page of its own. Learnt from the ratings alone, film 0 has no weight to the other crowd's films; learnt
    # with the links too, film 3 is the other crowd's film it points at, and its own crowd still leads.
    links = (np.array([0, 2, 3, 4, 6, 7, 8]), np.array([0, 1, 2, 3, 0, 4, 5, 6]))
    catalogue = [10, 11, 12, 20, 21, 22]

    def row_of_film_0(**kwargs) -> list[float]:  # film 0's weight to each film (0 where none is kept)
        ease = fit_ease(two_crowds(), catalogue, l2=1.0, keep=5, **kwargs)
        row = dict(zip(ease.indices[0:5].tolist(), ease.weights[0:5].tolist()))
        return [row.get(film, 0.0) for film in range(6)]

    alone = row_of_film_0()
    learnt = row_of_film_0(links=links, link_weight=20.0)
    assert alone[3] == alone[4] == alone[5] == 0.0
    assert learnt[3] > 0 and learnt[3] > max(learnt[4], learnt[5]) + 0.01
    assert min(learnt[1], learnt[2]) > learnt[3]
    ease = fit_ease(two_crowds(), catalogue, l2=1.0, keep=5, links=links)
    assert ease.info["link_weight"] == 50.0 and "link_weight" not in fit_ease(two_crowds(), catalogue).info
