"""Movie night's evaluation: groups formed from the simulated users, dislikes hidden from the picks and from the
ratings model alike, and every strategy scored on the same groups."""
from __future__ import annotations

import numpy as np

from training.evaluation.group import SIZES, K, form_groups, hide_dislikes, members_of, score, told_ratings
from training.evaluation.recommendations import prepare_split


def test_groups_have_three_to_five_members_and_each_round_seats_everyone_once():
    groups = form_groups(50, rounds=2)
    assert all(SIZES[0] <= len(group) <= SIZES[-1] for group in groups)
    assert all(len(set(group)) == len(group) for group in groups)
    seated = [member for group in groups for member in group]
    assert len(seated) >= 2 * (50 - SIZES[0] + 1) and set(seated) <= set(range(50))
    assert form_groups(50, rounds=2) == groups  # the same groups every run: figures compare across models


def test_hidden_dislikes_are_neither_told_nor_trained_on(models_dir, small_data):
    from engine.bundle import current_version

    split = prepare_split(models_dir / current_version(models_dir), small_data[1], max_users=40)
    hidden = hide_dislikes(split)
    ratings = split.ratings
    assert hidden.any() and (ratings.values[hidden] <= 2).all()
    assert not (hidden & split.hidden).any()  # hidden likes are likes; hidden dislikes are dislikes
    members = members_of(split, split.users, hidden)
    by_user = {user.user: member for user, member in zip(split.users, members)}
    for row in np.flatnonzero(hidden):
        member = by_user[int(ratings.users[row])]
        film = int(split.film_of_item[ratings.items[row]])
        assert film in member.hidden_dislikes and film not in member.ids.disliked
    train = told_ratings(split, hidden)
    assert len(train) == len(ratings) - int((hidden | split.hidden).sum())
    secret = set(zip(ratings.users[hidden | split.hidden].tolist(), ratings.items[hidden | split.hidden].tolist()))
    assert not secret & set(zip(train.users.tolist(), train.items.tolist()))  # the model never sees them
    several = [u for u in split.users if len(u.dislikes) >= 2]
    assert all(by_user[u.user].hidden_dislikes for u in several)  # everyone with two dislikes hides one at least


def test_a_pick_someone_disliked_is_misery_and_a_hidden_like_is_a_hit(models_dir, small_data):
    from engine.bundle import current_version

    split = prepare_split(models_dir / current_version(models_dir), small_data[1], max_users=40)
    members = members_of(split, split.users[:3], hide_dislikes(split))
    loved = next(iter(members[0].hidden_likes))
    members[1].hidden_dislikes.add(4242)
    hits, misery, _ = score(lambda group: [loved, 4242, 1, 2, 3], [members])
    assert hits.tolist() == [1.0] and misery.tolist() == [1 / K]
    safe = [f for f in range(100) if f not in members[2].hidden_dislikes | members[2].hidden_likes][:K]
    hits, misery, _ = score(lambda group: safe, [[members[2]]])
    assert hits.tolist() == [0.0] and misery.tolist() == [0.0]
