"""MovieLens ratings as arrays: reading ratings.csv, the fixed 80/20 split, and simulated users for evaluation."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SPLIT_SEED = 20180926  # the fixed 80/20 split (ml-latest-small's release date): every run scores the same test set
LIKE_AT = 4.0  # a rating >= 4 stars is a like, as a 👍 in Slack
DISLIKE_AT = 2.0  # a rating <= 2 stars is a dislike, as a 👎


@dataclass
class MovieLensRatings:
    """MovieLens ratings as parallel arrays; `users` and `items` are dense indexes (0..n-1) into `user_ids` / `movie_ids`."""

    users: np.ndarray  # int32
    items: np.ndarray  # int32
    values: np.ndarray  # float32 stars
    user_ids: np.ndarray  # MovieLens userId of each user index
    movie_ids: np.ndarray  # MovieLens movieId of each item index

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.movie_ids)

    def __len__(self) -> int:
        return len(self.values)

    def subset(self, mask: np.ndarray) -> MovieLensRatings:
        """The same users and items (same indexes), fewer ratings."""
        return MovieLensRatings(self.users[mask], self.items[mask], self.values[mask], self.user_ids, self.movie_ids)


def read_ratings(path: str | Path) -> MovieLensRatings:
    """Read `userId,movieId,rating,timestamp`; rows that do not parse are skipped. ValueError when none parse."""
    users, movies, values = [], [], []
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                user, movie, value = int(row["userId"]), int(row["movieId"]), float(row["rating"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 < value <= 5:
                users.append(user)
                movies.append(movie)
                values.append(value)
    if not values:
        raise ValueError(f"{path} holds no readable rating (expected userId,movieId,rating,timestamp)")
    user_ids, user_index = np.unique(np.asarray(users, dtype=np.int64), return_inverse=True)
    movie_ids, item_index = np.unique(np.asarray(movies, dtype=np.int64), return_inverse=True)
    return MovieLensRatings(user_index.astype(np.int32), item_index.astype(np.int32), np.asarray(values, dtype=np.float32),
                   user_ids, movie_ids)


def split(ratings: MovieLensRatings, test_share: float = 0.2, seed: int = SPLIT_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (train, test) of a random split of the ratings; the same every run for the same file."""
    order = np.random.default_rng(seed).permutation(len(ratings))
    test = np.zeros(len(ratings), dtype=bool)
    test[order[: round(len(ratings) * test_share)]] = True
    return ~test, test


@dataclass
class SimulatedUser:
    """A MovieLens user as a Slack user: what they liked and disliked, what they rated in between, and what is hidden."""

    user: int
    likes: np.ndarray  # item indexes rated >= 4, not hidden
    dislikes: np.ndarray  # item indexes rated <= 2
    neutral: np.ndarray  # rated in between: seen, neither a like nor a dislike
    hidden: np.ndarray  # a random 20% of their likes, to be found again


def simulate_users(
    ratings: MovieLensRatings, min_likes: int = 10, hide_share: float = 0.2, seed: int = SPLIT_SEED
) -> tuple[list[SimulatedUser], np.ndarray]:
    """Users with at least `min_likes` ratings >= 4, a random `hide_share` of whose likes are hidden.

    Returns the users and a mask over `ratings` of the hidden ones, so models can be trained without them.
    """
    rng = np.random.default_rng(seed)
    hidden_mask = np.zeros(len(ratings), dtype=bool)
    order = np.argsort(ratings.users, kind="stable")
    bounds = np.searchsorted(ratings.users[order], np.arange(ratings.n_users + 1))
    users = []
    for user in range(ratings.n_users):
        rows = order[bounds[user] : bounds[user + 1]]
        values = ratings.values[rows]
        liked_rows = rows[values >= LIKE_AT]
        if len(liked_rows) < min_likes:
            continue
        hide = rng.choice(liked_rows, size=max(1, round(len(liked_rows) * hide_share)), replace=False)
        hidden_mask[hide] = True
        kept_likes = np.setdiff1d(liked_rows, hide)
        users.append(SimulatedUser(
            user=user,
            likes=ratings.items[kept_likes],
            dislikes=ratings.items[rows[values <= DISLIKE_AT]],
            neutral=ratings.items[rows[(values > DISLIKE_AT) & (values < LIKE_AT)]],
            hidden=ratings.items[hide],
        ))
    return users, hidden_mask
