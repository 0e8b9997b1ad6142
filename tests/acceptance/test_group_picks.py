"""Issue 14's group evaluation on the full model: movie night's aggregation against the plain average of the members'
own scores, one member's own picks and the most popular films, on simulated MovieLens groups of 3 to 5."""
from __future__ import annotations

import io

import pytest

from engine.bundle import current_version
from training.evaluation.group import evaluate_groups
from training.evaluation.recommendations import prepare_split


@pytest.fixture(scope="module")
def groups(models_dir, ratings_file) -> dict:
    out = io.StringIO()
    figures = evaluate_groups(prepare_split(models_dir / current_version(models_dir), ratings_file), out=out)
    print(out.getvalue())
    return figures


def test_the_aggregation_spares_members_films_they_dislike_and_keeps_nine_tenths_of_the_hits(groups):
    ours, average = groups["ours"], groups["average"]
    assert groups["groups"]["test"] > 400
    assert ours["misery"] < average["misery"], (ours, average)
    assert ours["hit_rate_at_5"] >= 0.9 * average["hit_rate_at_5"], (ours, average)


def test_a_group_is_served_better_than_by_one_members_picks_or_the_most_popular_films(groups):
    ours = groups["ours"]
    for other in ("one_member", "popular"):
        assert ours["hit_rate_at_5"] > groups[other]["hit_rate_at_5"], (other, groups[other])
        assert ours["misery"] < groups[other]["misery"], (other, groups[other])

