"""The blend's weights as the manifest stores them: the current names, and the names older bundles and bots use."""
from __future__ import annotations

import pytest

from engine import Blend


def test_a_manifest_from_before_the_rename_keeps_its_tuned_weights():
    old = {"blend": {"similar": 0.2, "recommend": 0.75, "popularity": 1.0, "links_popularity": 2.0}}
    assert Blend.from_manifest(old) == Blend(similar_ratings_weight=0.2, recommend_ratings_weight=0.75,
                                             popularity_weight=1.0, links_popularity_weight=2.0)


def test_what_the_trainer_stores_reads_back_under_both_names():
    tuned = Blend(similar_ratings_weight=0.4, recommend_ratings_weight=0.6, popularity_weight=4.0,
                  links_popularity_weight=0.5)
    stored = tuned.to_manifest()
    assert Blend.from_manifest({"blend": stored}) == tuned
    # A bot still on the previous release reads only the old names: it must find the tuned weights too.
    assert (stored["similar"], stored["recommend"], stored["popularity"], stored["links_popularity"]) == (0.4, 0.6, 4.0, 0.5)


def test_missing_weights_take_the_defaults():
    assert Blend.from_manifest({}) == Blend()
    assert Blend.from_manifest({"blend": {"popularity_weight": 3}}).popularity_weight == pytest.approx(3.0)
