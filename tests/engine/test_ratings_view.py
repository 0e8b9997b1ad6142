"""The ratings view on the real model: similar/recommend by links, ratings or both, fold-in, and tastes of every kind."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from engine import Engine, NoRatingsView
from engine.bundle import load_bundle
from engine.errors import BundleError
from engine.ratings import RatingsView
from engine.recommend import HEAVY_RATER, blend_picks, heavy_rater_picks
from tests.conftest import data_dir
from tests.models_copy import copy_bundle, edit_manifest, relist


@pytest.fixture(scope="module")
def ratings_view(engine):
    if not engine.has_ratings:
        pytest.fail("the test model was trained without MovieLens ratings: set MOVIELIKE_DATA to the shared data")
    return engine.model.ratings


@pytest.fixture(scope="module")
def genres() -> dict[int, set[str]]:
    """MovieLens genres by movieId, to judge picks the way a person reading them would."""
    with open(data_dir() / "movielens" / "ml-latest-small" / "movies.csv", newline="") as handle:
        return {int(row["movieId"]): set(row["genres"].split("|")) for row in csv.DictReader(handle)}


def test_similar_by_each_view(engine, ratings_view):
    heat = engine.resolve("Heat (1995 film)")
    views = {by: engine.similar(heat.id, k=10, by=by) for by in ("links", "ratings", "both")}
    for by, results in views.items():
        assert len(results) == 10 and heat.id not in {r.id for r in results}, by
        assert [r.score for r in results] == sorted((r.score for r in results), reverse=True), by
    assert all(ratings_view.has_ratings(r.id) for r in views["ratings"])
    assert all("liked by the same people" in r.why for r in views["ratings"])
    assert {r.id for r in views["links"]} != {r.id for r in views["ratings"]}
    # The blend moves toward films liked by the same people while keeping mostly the films that share links.
    assert [r.id for r in views["both"]] != [r.id for r in views["links"]]
    liked_alike = {by: ratings_view.cosine(heat.id, np.array([r.id for r in views[by]])).mean() for by in views}
    assert liked_alike["links"] < liked_alike["both"] < liked_alike["ratings"], liked_alike


def test_ratings_view_of_a_film_nobody_rated(engine, ratings_view):
    unrated = int(next(i for i in engine.model.popular_order if not ratings_view.has_ratings(int(i))))
    with pytest.raises(NoRatingsView, match=r"no MovieLens ratings.*--by links"):
        engine.similar(unrated, by="ratings")
    assert [r.id for r in engine.similar(unrated, by="both")] == [r.id for r in engine.similar(unrated, by="links")]


def test_unknown_view_is_refused(engine):
    with pytest.raises(ValueError, match="links, ratings"):
        engine.similar("Heat", by="stars")


def test_fold_in_is_the_weighted_least_squares_solution(engine, ratings_view):
    """The closed form equals brute force: every rated film 0 (weight 1); 👍 1 and 👎 0 with weight 1 + alpha."""
    liked = [engine.resolve(t).id for t in ("Alien (film)", "The Thing (1982 film)", "Heat (1995 film)")]
    unrated = int(np.flatnonzero(~ratings_view.rated & (np.abs(ratings_view.factors).sum(axis=1) > 0))[0])
    liked.append(unrated)  # a film MovieLens never rated: its estimated factors count with full weight
    disliked = [engine.resolve("Mamma Mia! (film)").id]
    films = np.flatnonzero(ratings_view.rated).tolist()
    films += [f for f in liked + disliked if f not in set(films)]
    weights = np.ones(len(films))
    targets = np.zeros(len(films))
    position = {film: i for i, film in enumerate(films)}
    for film in liked + disliked:
        weights[position[film]] = 1 + ratings_view.alpha
    for film in liked:
        targets[position[film]] = 1.0
    q = ratings_view.factors[films].astype(np.float64)
    residual = targets - ratings_view.biases[films]
    root = np.sqrt(weights)[:, None]
    dim = q.shape[1]
    system = np.vstack([q * root, np.sqrt(ratings_view.fold_in_l2) * np.eye(dim)])
    right = np.concatenate([residual * root[:, 0], np.zeros(dim)])
    expected = np.linalg.lstsq(system, right, rcond=None)[0]
    np.testing.assert_allclose(ratings_view.fold_in(liked, disliked), expected, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("by", ["both", "links", "ratings"])
def test_recommend_for_every_kind_of_taste(engine, by):
    popular = [int(i) for i in engine.model.popular_order[:2000]]
    alien, mamma_mia = engine.resolve("Alien (film)").id, engine.resolve("Mamma Mia! (film)").id
    cases = {  # name: (likes, dislikes, the films they rate)
        "only dislikes": ([], popular[:3], popular[:3]),
        "only likes": (popular[:4], [], popular[:4]),
        "unknown mixed in": (["Alien (film)", "No Such Film At All 2099", "", 10**9], ["zz qq xx", "Mamma Mia! (film)"],
                             [alien, mamma_mia]),
        "hundreds of ratings": (popular[:220], popular[220:300], popular[:300]),
    }
    for name, (likes, dislikes, rated) in cases.items():
        picks = engine.recommend(likes, dislikes, k=10, by=by)
        assert len(picks) == 10 and len({p.id for p in picks}) == 10, name
        assert not set(rated) & {p.id for p in picks}, f"{name}: a rated film came back"
        assert all(p.why for p in picks), name


def test_a_heavy_rater_gets_the_blends_picks_among_the_films_people_rated(engine):
    """Past HEAVY_RATER ratings, recommend() ranks only the films people rated (the link signals read for those
    only): the picks are (nearly all) the whole catalogue's blend's best rated films, and nothing they rated."""
    rated = engine.model.ratings.rated_ids
    popular = [int(i) for i in engine.model.popular_order if engine.model.ratings.rated[int(i)]]
    likes, dislikes = popular[:HEAVY_RATER * 2 // 3], popular[HEAVY_RATER * 2 // 3:HEAVY_RATER]
    assert len(likes) + len(dislikes) == HEAVY_RATER and len(rated) > HEAVY_RATER + 10
    served = engine.recommend(likes, dislikes, k=10)
    heavy = heavy_rater_picks(engine.model, likes, dislikes, [], {*likes, *dislikes}, 10)
    assert [(p.id, p.score) for p in served] == [(p.id, p.score) for p in heavy]  # the heavy path served them
    picks = [p.id for p in served]
    assert len(set(picks)) == 10 and not set(picks) & {*likes, *dislikes}
    assert all(engine.model.ratings.rated[film] for film in picks)
    everywhere = blend_picks(engine.model, likes, dislikes, [], {*likes, *dislikes}, 60, "both")
    best_rated = [p.id for p in everywhere if engine.model.ratings.rated[p.id]][:10]
    assert len(set(picks) & set(best_rated)) >= 8, (picks, best_rated)
    one_short = heavy_rater_picks(engine.model, likes, dislikes, [], {*rated.tolist()} - set(picks[:9]), 10)
    assert len(one_short) == 10 and set(picks[:9]) <= {p.id for p in one_short}  # too few rated films left: the
    # whole catalogue's blend fills the list


def test_someone_who_rated_hundreds_of_films_nobody_else_did_keeps_the_whole_catalogue(engine):
    """HEAVY_RATER counts films people rated: a fan of obscure films keeps the whole catalogue's blend, where films
    only the links know can come up."""
    model = engine.model
    obscure = [int(i) for i in model.popular_order[::-1] if not model.ratings.rated[int(i)]][:HEAVY_RATER]
    liked, disliked = obscure, [int(i) for i in model.popular_order[:3]]
    picks = engine.recommend(liked, disliked, k=10)
    everywhere = blend_picks(model, liked, disliked, [], {*liked, *disliked}, 10, "both")
    assert [(p.id, p.score) for p in picks] == [(p.id, p.score) for p in everywhere]


def test_taste_shows_in_the_ratings_view(engine, genres):
    """Someone who liked six horror films gets mostly horror from the ratings view alone."""
    likes = ["Halloween (1978 film)", "The Exorcist (film)", "The Texas Chain Saw Massacre", "A Nightmare on Elm Street",
             "The Shining (film)", "Friday the 13th (1980 film)"]
    picks = engine.recommend(likes, [], k=10, by="ratings")
    horror = [p for p in picks if p.movielens_id and "Horror" in genres.get(p.movielens_id, set())]
    assert len(horror) >= 5, [p.title for p in picks]


def test_dislikes_steer_picks_away(engine):
    likes = ["Toy Story", "Finding Nemo", "Shrek"]
    plain = {p.id for p in engine.recommend(likes, [], k=10)}
    steered = engine.recommend(likes, ["Toy Story 2", "Monsters, Inc.", "Ice Age (2002 film)"], k=10)
    assert plain != {p.id for p in steered}


def test_stored_neighbours_are_the_ones_a_search_of_every_rated_film_finds(engine, ratings_view, manifest):
    """similar() reads the ratings view's neighbours the bundle stores: the same films, in the same order, as scoring
    every rated film, also when the user has marked some of them seen."""
    assert {"rating_neighbours.npy", "rating_neighbour_scores.npy"} <= set(manifest["files"])
    searched = RatingsView(ratings_view.factors, ratings_view.biases, ratings_view.counts, ratings_view.alpha,
                           ratings_view.fold_in_l2)
    films = [int(i) for i in engine.model.popular_order if ratings_view.has_ratings(int(i))][:200]
    agree = total = 0
    for film in films:
        for skip in ({film}, {film, *searched.neighbours(film, 3, {film})[0].tolist()}):
            stored_ids, stored_scores = ratings_view.neighbours(film, 50, skip)
            found_ids, found_scores = searched.neighbours(film, 50, skip)
            assert not skip & set(stored_ids.tolist())
            np.testing.assert_allclose(stored_scores, found_scores, atol=1e-5)
            agree += int((stored_ids == found_ids).sum())  # ids may swap only where two scores tie to 1e-5
            total += len(found_ids)
    assert agree / total > 0.99, agree / total


@pytest.mark.parametrize("damage, message", [("unlisted", "does not list rating_neighbour_scores.npy"),
                                             ("short", "do not fit"), ("unrated", "do not fit")])
def test_the_stored_rating_neighbours_are_verified(models_dir, tmp_path, damage, message):
    bundle = copy_bundle(models_dir, tmp_path)
    if damage == "unlisted":
        edit_manifest(bundle, lambda manifest: manifest["files"].pop("rating_neighbour_scores.npy"))
    elif damage == "short":
        np.save(bundle / "rating_neighbours.npy", np.load(bundle / "rating_neighbours.npy")[1:])
        relist(bundle, "rating_neighbours.npy")
    else:  # a neighbour nobody rated: not a film of this view
        ids = np.load(bundle / "rating_neighbours.npy")
        ids[0, 0] = int(np.flatnonzero(np.load(bundle / "rating_counts.npy") == 0)[0])
        np.save(bundle / "rating_neighbours.npy", ids)
        relist(bundle, "rating_neighbours.npy")
    with pytest.raises(BundleError, match=message):
        load_bundle(bundle)


def test_a_bundle_from_before_stored_rating_neighbours_still_serves_the_ratings_view(models_dir, tmp_path, engine):
    bundle = copy_bundle(models_dir, tmp_path)
    for name in ("rating_neighbours.npy", "rating_neighbour_scores.npy"):
        (bundle / name).unlink()
        edit_manifest(bundle, lambda manifest, name=name: manifest["files"].pop(name))
    older = Engine.load(tmp_path)
    heat = engine.resolve("Heat (1995 film)").id
    assert [r.id for r in older.similar(heat, k=10, by="both")] == [r.id for r in engine.similar(heat, k=10, by="both")]
