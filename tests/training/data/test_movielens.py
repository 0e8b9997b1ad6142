"""MovieLens ratings as the trainer reads them: every rating, the fixed 80/20 split, simulated Slack users."""
from __future__ import annotations

import numpy as np
import pytest

from training.data.movielens import LIKE_AT, read_ratings, simulate_users, split


@pytest.fixture(scope="module")
def ratings(ratings_file):
    return read_ratings(ratings_file)


def test_reads_every_rating(ratings):
    assert (len(ratings), ratings.n_users, ratings.n_items) == (100_836, 610, 9_724)
    assert ratings.values.min() == 0.5 and ratings.values.max() == 5.0


def test_split_is_fixed_and_80_20(ratings):
    train, test = split(ratings)
    again_train, _ = split(ratings)
    assert np.array_equal(train, again_train)
    assert not (train & test).any() and (train | test).all()
    assert abs(test.mean() - 0.2) < 0.001


def test_simulated_users_hide_a_fifth_of_their_likes(ratings):
    users, hidden = simulate_users(ratings)
    assert 500 < len(users) <= ratings.n_users
    for user in users[:100]:
        assert len(user.likes) + len(user.hidden) >= 10
        assert not set(user.hidden.tolist()) & set(user.likes.tolist())
        assert abs(len(user.hidden) / (len(user.likes) + len(user.hidden)) - 0.2) < 0.05
    assert (ratings.values[hidden] >= LIKE_AT).all()
