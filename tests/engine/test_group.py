"""Movie night's picks for a group, on the real small model: favourites of the group, never what a member rated or
something very like what a member disliked, whys that name members, and well-known films for people without likes."""
from __future__ import annotations

import numpy as np
import pytest

from engine import MAX_GROUP, BadInput, Engine, GroupMember
from engine.group import MemberIds, group_scores, near_disliked
from tests.models_copy import copy_bundle, edit_manifest


def keys(engine, *titles: str) -> tuple[str, ...]:
    return tuple(engine.resolve(title).key for title in titles)


def test_picks_leave_out_every_film_any_member_rated_or_saw(engine):
    ana = GroupMember("Ana", likes=keys(engine, "Alien", "Aliens"), dislikes=keys(engine, "Titanic"))
    ben = GroupMember("Ben", likes=keys(engine, "The Terminator"), seen=keys(engine, "Predator"))
    picks = engine.recommend_group([ana, ben], k=5)
    assert len(picks) == 5
    rated = {*ana.likes, *ana.dislikes, *ben.likes, *ben.seen}
    assert not rated & {p.key for p in picks}
    assert len({p.key for p in picks}) == 5
    assert [p.score for p in picks] == sorted((p.score for p in picks), reverse=True)


def test_whys_name_the_members_and_the_film_they_liked(engine):
    ana = GroupMember("Ana", likes=keys(engine, "Toy Story", "Finding Nemo"))
    ben = GroupMember("Ben", likes=keys(engine, "Toy Story", "Monsters, Inc."))
    picks = engine.recommend_group([ana, ben], k=5)
    assert all(" liked " in p.why for p in picks), [p.why for p in picks]
    named = " ".join(p.why for p in picks)
    assert "Ana" in named and "Ben" in named  # both members' tastes count, not only the first one's
    assert any("Ana and Ben liked" in p.why for p in picks), [p.why for p in picks]  # both liked Toy Story


def test_two_different_tastes_both_get_films_of_their_kind(engine):
    kids = GroupMember("Ana", likes=keys(engine, "Toy Story", "Finding Nemo", "Monsters, Inc.", "Shrek"))
    horror = GroupMember("Ben", likes=keys(engine, "Halloween (1978 film)", "The Texas Chain Saw Massacre",
                                           "A Nightmare on Elm Street"))
    group = engine.recommend_group([kids, horror], k=10)
    own = {p.key for p in engine.recommend_for_keys(kids.likes, (), k=10, exclude=horror.likes)}
    assert {p.key for p in group} != own  # not simply one member's own picks
    assert any("Ana" in p.why for p in group) and any("Ben" in p.why for p in group)


def test_nothing_very_like_a_members_dislike_is_picked(engine):
    fan = GroupMember("Ana", likes=keys(engine, "Star Wars (film)", "The Empire Strikes Back"))
    plain = engine.recommend_group([fan, GroupMember("Ben")], k=5)
    liked_by_ana = plain[0]
    critic = GroupMember("Ben", dislikes=(liked_by_ana.key,))  # Ben disliked the film Ana's taste puts first
    guarded = engine.recommend_group([fan, critic], k=5)
    assert liked_by_ana.key not in {p.key for p in guarded}
    near = near_disliked(engine.model, [engine_member(engine, critic)], [p.id for p in guarded])
    assert not near.any()  # and none of the films most like it either
    assert all(p.why.endswith("nothing close to what anyone disliked") for p in guarded)
    neighbours = {engine.film(int(i)).key for i in engine.model.bundle.neighbours[liked_by_ana.id, :10]}
    assert neighbours & {p.key for p in plain + engine.recommend_group([fan], k=10)}  # the guard had work to do
    assert not neighbours & {p.key for p in guarded}


def engine_member(engine, member: GroupMember) -> MemberIds:
    return MemberIds(member.name, engine.ids_for(member.likes), engine.ids_for(member.dislikes))


def test_a_why_names_only_members_who_rate_the_pick_above_their_own_average(engine):
    ana = GroupMember("Ana", likes=keys(engine, "Star Wars (film)", "The Empire Strikes Back"))
    ben = GroupMember("Ben", dislikes=keys(engine, "Return of the Jedi"))
    picks = engine.recommend_group([ana, ben], k=10)
    members = [engine_member(engine, ana), engine_member(engine, ben)]
    closed = np.zeros(len(engine), dtype=bool)
    closed[[*members[0].liked, *members[1].disliked]] = True
    films, _, rows = group_scores(engine.model, members, closed)
    column = {int(film): i for i, film in enumerate(films)}
    for pick in picks:
        above = rows[0, column[pick.id]] > 0
        assert ("Ana liked" in pick.why) == above, (pick.title, pick.why, rows[0, column[pick.id]])
        assert above or "a middle ground for the group" in pick.why
        assert "Ben" not in pick.why.split(";")[0]  # Ben liked nothing: never said to have liked a film


@pytest.fixture(scope="module")
def links_only(models_dir, tmp_path_factory) -> Engine:
    """The small model without its ratings view, as a bundle trained without MovieLens ratings is."""
    target = tmp_path_factory.mktemp("links-only")
    bundle = copy_bundle(models_dir, target)

    def strip(manifest: dict) -> None:
        for name in [name for name in manifest["files"] if name.startswith(("rating", "ease_"))]:
            del manifest["files"][name]
            (bundle / name).unlink()

    edit_manifest(bundle, strip)
    engine = Engine.load(target)
    assert not engine.has_ratings
    return engine


def test_a_model_without_ratings_picks_for_a_group_by_the_links_view(links_only):
    ana = GroupMember("Ana", likes=keys(links_only, "Alien", "Aliens"))
    ben = GroupMember("Ben", likes=keys(links_only, "The Terminator"), dislikes=keys(links_only, "Titanic"))
    picks = links_only.recommend_group([ana, ben, GroupMember("Cy")], k=5)
    assert len(picks) == 5 and not {p.key for p in picks} & {*ana.likes, *ben.likes, *ben.dislikes}
    assert any("Ana" in p.why for p in picks) and any("Ben" in p.why for p in picks)
    alone = links_only.recommend_group([ana], k=5)  # one member: the links view's own picks for them
    assert [p.key for p in alone] == [p.key for p in links_only.recommend(ana.likes, k=5, by="links")]


def test_a_member_without_ratings_counts_through_well_known_films(engine):
    ana = GroupMember("Ana", likes=keys(engine, "Alien", "Aliens", "The Terminator"))
    newcomer = GroupMember("Cy")
    with_newcomer = engine.recommend_group([ana, newcomer], k=5)
    alone = engine.recommend_group([ana], k=5)
    popularity = engine.model.popularity
    assert (sum(popularity[p.id] for p in with_newcomer) >= sum(popularity[p.id] for p in alone))
    assert any("well known, for Cy" in p.why for p in with_newcomer), [p.why for p in with_newcomer]


def test_nobody_with_likes_gets_well_known_films_away_from_dislikes(engine):
    critic = GroupMember("Ben", dislikes=keys(engine, "Star Wars (film)"))
    picks = engine.recommend_group([GroupMember("Ana"), critic], k=5)
    assert len(picks) == 5
    assert all("nobody here has liked a film yet" in p.why for p in picks)
    best_known = [engine.film(int(i)).key for i in engine.model.popular_order[:200]]
    assert all(p.key in best_known for p in picks)
    star_wars = engine.resolve("Star Wars (film)")
    assert not {engine.film(int(i)).key for i in engine.model.bundle.neighbours[star_wars.id, :10]} & {p.key for p in picks}


def test_ratings_of_films_the_model_lacks_are_skipped(engine):
    ana = GroupMember("Ana", likes=("No Such Film (2031)", *keys(engine, "Alien")), dislikes=("Gone Film",))
    assert len(engine.recommend_group([ana], k=3)) == 3


@pytest.mark.parametrize("count", [0, MAX_GROUP + 1])
def test_too_few_or_too_many_members_is_bad_input(engine, count):
    with pytest.raises(BadInput, match="movie night"):
        engine.recommend_group([GroupMember(f"m{i}") for i in range(count)], k=5)
