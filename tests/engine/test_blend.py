"""The blend's weights as the manifest stores them: the current names, and the names older bundles and bots use."""
from __future__ import annotations

import pytest

from engine import Blend


@pytest.mark.parametrize("old", [
    {"similar": 0.35, "recommend": 0.75, "popularity": 1.0, "links_popularity": 2.0},  # the first names
    {"similar_ratings_weight": 0.35, "recommend_ratings_weight": 0.75, "popularity_weight": 1.0,  # the previous release
     "links_popularity_weight": 2.0, "similar": 0.35, "recommend": 0.75, "popularity": 1.0, "links_popularity": 2.0},
])
def test_an_older_manifest_keeps_the_weights_that_still_mean_the_same(old):
    blend = Blend.from_manifest({"blend": old})
    assert (blend.similar_ratings_weight, blend.links_popularity_weight) == (0.35, 2.0)
    # recommend()'s old two-view weights tuned another formula: the new formula's defaults apply instead.
    assert blend.recommend_popularity_weight == Blend().recommend_popularity_weight
    assert (blend.taste_weight, blend.content_weight) == (Blend().taste_weight, Blend().content_weight)


def test_what_the_trainer_stores_reads_back_under_both_names():
    tuned = Blend(similar_ratings_weight=0.4, taste_weight=0.6, content_weight=0.1, centroid_weight=2.0,
                  recommend_popularity_weight=4.0, links_popularity_weight=0.5)
    stored = tuned.to_manifest()
    assert Blend.from_manifest({"blend": stored}) == tuned
    # A bot still on the previous release reads only the old names: it must find the weights that kept their meaning.
    assert (stored["similar"], stored["links_popularity"]) == (0.4, 0.5)


def test_missing_weights_take_the_defaults():
    assert Blend.from_manifest({}) == Blend()
    assert Blend.from_manifest({"blend": {"taste_weight": 3}}).taste_weight == pytest.approx(3.0)
    assert Blend().weight_of("watched") == 1.0  # EASE is the unit the other signals are tuned against
