"""The evaluation's baselines on matrices small enough to reason about: two taste groups, hand-made links."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from training.data.link_content import link_tfidf
from training.data.movielens import MovieLensRatings, simulate_users
from training.evaluation.baselines import Baselines, paired_difference, summarise, top_unseen
from training.evaluation.hybrids import (
    als_scores,
    content_scores,
    ease_with_links,
    lightfm_scores,
    link_item_features,
    standardised,
)
from training.evaluation.tuned_baselines import BASELINE_NAMES, pick, score_baselines

GROUP = 5  # items 0-4 are one taste, items 5-9 the other


def two_groups() -> np.ndarray:
    """20 users who each rated the 5 items of their group (and item 0 for group B: the popular film), then user 20,
    who rated items 0-3 of group A: item 4 is their group's only unseen item."""
    matrix = np.zeros((21, 2 * GROUP), dtype=np.float32)
    matrix[:10, :GROUP] = 1.0
    matrix[10:20, GROUP:] = 1.0
    matrix[10:20, 0] = 1.0
    matrix[20, :4] = 1.0
    return matrix


def assert_prefers_own_group(scores: np.ndarray) -> None:
    row = np.asarray(scores)[20]
    assert row[4] > row[GROUP:].max(), row
    assert top_unseen(row, two_groups()[20] > 0, 1).tolist() == [4]


@pytest.mark.parametrize("name", ["item_knn", "ease", "rp3beta"])
def test_item_item_baselines_find_the_users_group(name):
    baselines = Baselines(two_groups())
    scores = {"item_knn": lambda m: baselines.item_knn(m), "ease": lambda m: baselines.ease(m, 1.0),
              "rp3beta": lambda m: baselines.rp3beta(m, 0.5, 0.5)}[name](two_groups())
    assert_prefers_own_group(scores)


def test_als_finds_the_users_group():
    pytest.importorskip("implicit", reason="the baselines extra is not installed: pip install '.[baselines]'")
    assert_prefers_own_group(als_scores(two_groups(), factors=4, regularization=0.1, alpha=1.0, threads=1))


def test_lightfm_with_link_features_finds_the_users_group_and_is_reproducible():
    pytest.importorskip("lightfm", reason="the baselines extra is not installed: pip install '.[baselines]'")
    film_of_item = np.arange(2 * GROUP)
    indptr, indices = np.arange(2 * GROUP + 1), np.array([0] * GROUP + [1] * GROUP)  # one link per group
    features = link_item_features(film_of_item, indptr, indices, min_items=2)
    first = dict(lightfm_scores(two_groups(), features, components=4, epochs=(5, 30)))
    again = dict(lightfm_scores(two_groups(), features, components=4, epochs=(30,)))
    assert set(first) == {5, 30}
    assert_prefers_own_group(first[30])
    np.testing.assert_allclose(first[30], again[30], rtol=1e-5)  # 5 + 25 epochs = 30 at once, same seed


def test_rp3beta_beta_demotes_popular_items():
    # the user rated item 0; item 1 is rated by everyone (3 of them with item 0), item 2 only by 2 of item 0's raters
    matrix = np.zeros((11, 3), dtype=np.float32)
    matrix[:, 1] = 1.0
    matrix[:3, 0] = 1.0
    matrix[:2, 2] = 1.0
    matrix[10] = [1.0, 0.0, 0.0]
    baselines = Baselines(matrix)
    plain = baselines.rp3beta(matrix[10:], alpha=1.0, beta=0.0)[0]
    penalised = baselines.rp3beta(matrix[10:], alpha=1.0, beta=1.0)[0]
    assert plain[1] > plain[2]
    assert penalised[2] > penalised[1]
    assert plain[0] == 0.0  # no item recommends itself


def test_ease_on_likes_differs_from_ease_on_every_rated_film():
    rated = two_groups()
    liked = rated.copy()
    liked[10:20, 0] = 0.0  # group B rated the popular film 0 but did not like it
    row = rated[20:]
    assert Baselines(liked).ease(row, 1.0)[0, GROUP:].max() < Baselines(rated).ease(row, 1.0)[0, GROUP:].max()


def test_paired_difference_matches_a_hand_computation():
    ours = np.array([0.5, 0.2, 0.0, 1.0])
    theirs = np.array([0.4, 0.4, 0.1, 0.8])
    # differences -0.1, 0.2, 0.1, -0.2: mean 0, sample variance 0.1 / 3, SE sqrt(0.1 / 3) / 2
    difference, se = paired_difference(ours, theirs)
    assert difference == pytest.approx(0.0, abs=1e-12)
    assert se == pytest.approx(math.sqrt(0.1 / 3) / 2)
    assert paired_difference(ours, ours + 0.1) == pytest.approx((0.1, 0.0))  # a constant gain is certain


def test_summarise_keeps_per_user_ndcg_out_of_the_json():
    figures = summarise([(1.0, 1.0), (0.5, 0.0), (0.0, 0.5)])
    assert json.loads(json.dumps(figures)) == {"recall_at_10": 0.5, "ndcg_at_10": 0.5, "ndcg_standard_error": 0.2887}
    assert figures.ndcg.tolist() == [1.0, 0.0, 0.5]
    assert {**figures}.keys() == figures.keys()


def test_pick_takes_the_best_tuning_ndcg_and_the_first_of_a_tie():
    def trial(value, tune, test):
        return {"value": value}, summarise([(tune, tune)]), summarise([(test, test)])

    params, test, grid = pick([trial(1, 0.2, 0.9), trial(2, 0.4, 0.1), trial(3, 0.4, 0.8)])
    assert params == {"value": 2} and test["ndcg_at_10"] == 0.1  # the test half never chooses
    assert [row["value"] for row in grid] == [1, 2, 3] and grid[1]["ndcg_at_10"] == 0.4


def films_with_links() -> tuple[np.ndarray, np.ndarray]:
    """Film 0 links to a, b; film 1 to a, b, c; film 2 to d; film 3 to c, d; every film to the catalogue page e."""
    links = [[0, 1, 4], [0, 1, 2, 4], [3, 4], [2, 3, 4]]  # (a film's links are unique: training/data/films.py)
    return np.cumsum([0] + [len(f) for f in links]), np.concatenate(links)


def test_link_tfidf_weights_rare_links_and_ignores_a_link_every_film_has():
    indptr, indices = films_with_links()
    matrix = link_tfidf(indptr, indices).toarray()
    assert matrix.shape == (4, 5)
    np.testing.assert_allclose(matrix[:, 4], 0.0)  # in every film: idf log(4/4) = 0
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(matrix[0, :2], [math.sqrt(0.5)] * 2, rtol=1e-6)
    np.testing.assert_allclose(matrix[3, 2:4], [math.sqrt(0.5)] * 2, rtol=1e-6)  # c and d: the same idf


def test_ease_with_links_ranks_a_film_sharing_links_first_when_ratings_are_silent():
    indptr, indices = films_with_links()
    item_tfidf = link_tfidf(indptr, indices)[np.array([0, 1, 2])]  # items 0-2 are films 0-2
    for how in ("sum", "max"):
        content = content_scores(item_tfidf, [np.array([0])], how)
        assert content[0, 1] > content[0, 2] == 0.0
        scores = ease_with_links(np.zeros((1, 3)), content, 0.1)
        assert top_unseen(scores[0], np.array([True, False, False]), 1).tolist() == [1]
    with pytest.raises(ValueError, match="aggregation"):
        content_scores(item_tfidf, [np.array([0])], "mean")


def test_content_max_is_the_nearest_liked_film_and_sum_adds_them():
    indptr, indices = films_with_links()
    item_tfidf = link_tfidf(indptr, indices)
    cosine = (item_tfidf @ item_tfidf.T).toarray()
    liked = [np.array([0, 2])]
    np.testing.assert_allclose(content_scores(item_tfidf, liked, "max")[0], cosine[[0, 2]].max(axis=0), rtol=1e-5)
    np.testing.assert_allclose(content_scores(item_tfidf, liked, "sum")[0], cosine[[0, 2]].sum(axis=0), rtol=1e-5)
    assert content_scores(item_tfidf, [np.array([], dtype=int)], "sum").tolist() == [[0.0] * 4]


def test_standardised_rows_and_a_constant_row():
    rows = standardised(np.array([[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]))
    np.testing.assert_allclose(rows[0], [-math.sqrt(1.5), 0.0, math.sqrt(1.5)], rtol=1e-6)
    assert rows[1].tolist() == [0.0, 0.0, 0.0]


def test_link_item_features_keep_identity_and_shared_links_only():
    indptr, indices = films_with_links()
    features = link_item_features(np.array([0, 1, 2]), indptr, indices, min_items=2)
    # items 0-2 share a, b (items 0, 1) and e (all three); c and d belong to one item each among them
    assert features.shape == (3, 3 + 3)
    np.testing.assert_allclose(np.asarray(features.sum(axis=1)).ravel(), 1.0)
    dense = features.toarray()
    assert (dense[:, :3] > 0).tolist() == np.eye(3, dtype=bool).tolist()
    assert (dense[:, 3:] > 0).sum(axis=1).tolist() == [3, 3, 1]


def test_score_baselines_tunes_and_scores_every_baseline_on_two_taste_groups():
    # 40 users, 30 items: users 0-19 like items 0-14 (rated 5) and rated items 15-16 with a 2; the others mirror them
    rng = np.random.default_rng(0)
    users, items, values = [], [], []
    for user in range(40):
        own, other = (range(15), (15, 16)) if user < 20 else (range(15, 30), (0, 1))
        for item in own:
            if rng.random() < 0.8:
                users.append(user), items.append(item), values.append(5.0)
        for item in other:
            users.append(user), items.append(item), values.append(2.0)
    ratings = MovieLensRatings(np.array(users, dtype=np.int32), np.array(items, dtype=np.int32),
                               np.array(values, dtype=np.float32), np.arange(40), np.arange(30))
    simulated, hidden = simulate_users(ratings)
    train = ratings.subset(~hidden)
    film_of_item = np.arange(30)
    indptr = np.arange(31)
    indices = np.array([0] * 15 + [1] * 15)  # one link per taste
    figures, chosen, grids = score_baselines(train, film_of_item, simulated[::2], simulated[1::2], indptr, indices)
    assert set(figures) == set(BASELINE_NAMES)
    assert set(chosen) == set(grids) == set(BASELINE_NAMES) - {"most_popular", "item_knn"}
    for name, row in figures.items():
        assert 0.0 <= row["ndcg_at_10"] <= 1.0 and len(row.ndcg) == len(simulated[1::2]), name
        assert row["seconds"] >= 0.0
    for name in ("ease", "ease_likes", "rp3beta", "ease_links"):  # the taste groups are plain: these find them
        assert figures[name]["ndcg_at_10"] > figures["most_popular"]["ndcg_at_10"] + 0.2, (name, figures[name])
    assert chosen["ease_links"]["l2"] == chosen["ease"]["l2"]
    json.dumps([figures, chosen, grids])  # all of it goes into the manifest
