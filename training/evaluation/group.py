"""Movie night's evaluation: picks for simulated groups of 3 to 5 MovieLens users (the recommendation evaluation's
simulated Slack users), scored against what the members rated but did not tell.

Besides the hidden 20% of likes, a random 20% of each member's dislikes (ratings <= 2) is hidden too, and a ratings
model is trained without either. Each group gets 5 picks; a group's hit is any member's hidden like among them, its
misery the share of picks some member rated <= 2 (a hidden dislike). Compared on the scored users' groups: our
aggregation as served (engine/group.py), the plain average of the members' own scores (the average of individual
recommendations), one member's own picks, and the most popular films, all leaving out every film any member rated
or saw. The tuning users' groups give the curve of misery weights, guard on and off, and the weight they would
choose, printed next to the one served.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine import Engine
from engine.group import MISERY_WEIGHT, MemberIds, recommend_group
from engine.vectors import top_k
from training.data.movielens import DISLIKE_AT, SPLIT_SEED, MovieLensRatings, SimulatedUser
from training.evaluation.baselines import paired_difference, standard_error
from training.evaluation.recommendations import Split, split_engine

K = 5
SIZES = (3, 4, 5)
ROUNDS = 8  # each half's users are shuffled into groups this many times (a user sits in several groups)
HIDE_DISLIKES = 0.2
MISERY_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)  # the first, guard off, is the plain average
KEEP_HIT_RATE = 0.98  # the tuning: the misery weight with the least misery among those keeping this share of the
# plain average's hit rate on the tuning groups


@dataclass
class Member:
    """A simulated user at movie night: what they told (film ids) and what they did not."""

    ids: MemberIds
    hidden_likes: set[int]
    hidden_dislikes: set[int]


def hide_dislikes(split: Split, share: float = HIDE_DISLIKES, seed: int = SPLIT_SEED + 1) -> np.ndarray:
    """A mask over the split's ratings of a random `share` of each simulated user's dislikes (one at least, for
    users with two or more), to be found again among the picks as misery."""
    rng = np.random.default_rng(seed)
    ratings = split.ratings
    mask = np.zeros(len(ratings), dtype=bool)
    for user in split.users:
        rows = np.flatnonzero((ratings.users == user.user) & (ratings.values <= DISLIKE_AT))
        if len(rows) >= 2:
            mask[rng.choice(rows, size=max(1, round(len(rows) * share)), replace=False)] = True
    return mask


def told_ratings(split: Split, hidden_dislikes: np.ndarray) -> MovieLensRatings:
    """The ratings the group evaluation's model learns from: neither the hidden likes nor the hidden dislikes."""
    return split.ratings.subset(~(split.hidden | hidden_dislikes))


def members_of(split: Split, users: Sequence[SimulatedUser], hidden_dislikes: np.ndarray) -> list[Member]:
    """The users as members: likes, the dislikes not hidden, so-so ratings as seen, and the hidden ones aside."""
    ratings, films = split.ratings, split.film_of_item
    hidden_items: dict[int, set[int]] = {}
    for row in np.flatnonzero(hidden_dislikes):
        hidden_items.setdefault(int(ratings.users[row]), set()).add(int(ratings.items[row]))
    members = []
    for number, user in enumerate(users):
        secret = hidden_items.get(user.user, set())
        told = [item for item in user.dislikes.tolist() if item not in secret]
        ids = MemberIds(f"member {number}", films[user.likes].tolist(), films[told].tolist(), films[user.neutral].tolist())
        members.append(Member(ids, set(films[user.hidden].tolist()), {int(films[item]) for item in secret}))
    return members


def form_groups(count: int, rounds: int = ROUNDS, seed: int = SPLIT_SEED) -> list[list[int]]:
    """Groups of 3 to 5 positions in a list of `count` users: each round shuffles them all and cuts the shuffle."""
    rng = np.random.default_rng(seed)
    groups = []
    for _ in range(rounds):
        order = rng.permutation(count).tolist()
        while len(order) >= SIZES[0]:
            size = min(int(rng.choice(SIZES)), len(order))
            groups.append(order[:size])
            order = order[size:]
    return groups


Strategy = Callable[[list[Member]], list[int]]


def strategies(engine: Engine, misery_weight: float, guard: bool) -> dict[str, Strategy]:
    """Our aggregation and the three it is compared with, each a function from a group to 5 film ids."""
    model = engine.model

    def closed(group: list[Member]) -> list[int]:
        return sorted({f for m in group for f in (*m.ids.liked, *m.ids.disliked, *m.ids.seen)})

    def ours(group: list[Member]) -> list[int]:
        return [p.id for p in recommend_group(model, [m.ids for m in group], K, (), misery_weight, guard)]

    def average(group: list[Member]) -> list[int]:
        return [p.id for p in recommend_group(model, [m.ids for m in group], K, (), 0.0, False)]

    def one_member(group: list[Member]) -> list[int]:  # the organiser's own picks, nothing anyone rated
        first = group[0].ids
        return [p.id for p in engine.recommend(first.liked, first.disliked, K, exclude=closed(group), seen=first.seen)]

    def popular(group: list[Member]) -> list[int]:
        skip = set(closed(group))
        return top_k(model.popularity, K, skip).tolist()

    return {"ours": ours, "average": average, "one_member": one_member, "popular": popular}


def score(strategy: Strategy, groups: list[list[Member]]) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Per group: hit (any member's hidden like among the picks), misery (share of picks a member disliked), and
    the seconds each took."""
    hits, misery, seconds = [], [], []
    for group in groups:
        started = time.perf_counter()
        picks = strategy(group)
        seconds.append(time.perf_counter() - started)
        liked = set().union(*(m.hidden_likes for m in group))
        disliked = set().union(*(m.hidden_dislikes for m in group))
        hits.append(float(any(p in liked for p in picks)))
        misery.append(sum(p in disliked for p in picks) / max(len(picks), 1))
    return np.array(hits), np.array(misery), seconds


def figures_of(hits: np.ndarray, misery: np.ndarray, seconds: list[float]) -> dict:
    return {"hit_rate_at_5": round(float(hits.mean()), 4), "hit_rate_standard_error": round(standard_error(hits), 4),
            "misery": round(float(misery.mean()), 4), "misery_standard_error": round(standard_error(misery), 4),
            "miserable_groups": int((misery > 0).sum()), "p99_ms": round(float(np.percentile(seconds, 99)) * 1000, 2)}


def tune(engine: Engine, groups: list[list[Member]]) -> tuple[float, list[dict]]:
    """The misery weight with the least misery on the tuning groups among those keeping KEEP_HIT_RATE of the plain
    average's hit rate, the guard on (the product promises it); the whole grid, guard off too, for the curve."""
    grid = []
    for guard in (False, True):
        for weight in MISERY_WEIGHTS:
            hits, misery, _ = score(strategies(engine, weight, guard)["ours"], groups)
            grid.append({"misery_weight": weight, "guard": guard, "hit_rate_at_5": round(float(hits.mean()), 4),
                         "misery": round(float(misery.mean()), 4)})
    baseline = grid[0]["hit_rate_at_5"]  # weight 0, guard off: the plain average
    guarded = [row for row in grid if row["guard"]]
    kept = [row for row in guarded if row["hit_rate_at_5"] >= KEEP_HIT_RATE * baseline] or guarded
    return min(kept, key=lambda row: (row["misery"], -row["hit_rate_at_5"]))["misery_weight"], grid


def evaluate_groups(split: Split, out=sys.stderr) -> dict:
    """Every figure of the group evaluation, as a dict for the manifest (`evaluation.groups`)."""
    started = time.perf_counter()
    hidden_dislikes = hide_dislikes(split)
    train = told_ratings(split, hidden_dislikes)
    scratch = Path(tempfile.mkdtemp(prefix="movielike-groups-"))
    try:
        engine = split_engine(split, train, scratch / "groups")
        halves = {}
        for half, users in (("tune", split.tune_users), ("test", split.test_users)):
            members = members_of(split, users, hidden_dislikes)
            halves[half] = [[members[i] for i in group] for group in form_groups(len(members))]
        tuned, grid = tune(engine, halves["tune"])
        test = halves["test"]
        scored = {name: score(strategy, test) for name, strategy in strategies(engine, MISERY_WEIGHT, True).items()}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results = {name: figures_of(*values) for name, values in scored.items()}
    for name in results:
        if name != "ours":  # paired over the same groups: theirs - ours
            hit, hit_se = paired_difference(scored["ours"][0], scored[name][0])
            misery, misery_se = paired_difference(scored["ours"][1], scored[name][1])
            results[name]["vs_ours"] = {"hit_rate": round(hit, 4), "hit_rate_se": round(hit_se, 4),
                                        "misery": round(misery, 4), "misery_se": round(misery_se, 4)}
    print(f"groups: {len(test)} scored groups of {SIZES[0]}-{SIZES[-1]} ({len(halves['tune'])} tune), "
          f"{int(hidden_dislikes.sum()):,} hidden dislikes; misery weight served {MISERY_WEIGHT}, tuned here {tuned}"
          + ("" if tuned == MISERY_WEIGHT else " (engine/group.py MISERY_WEIGHT may want the tuned value)"), file=out)
    for name, row in results.items():
        print(f"  group {name:>10}: hit rate@5 {row['hit_rate_at_5']:.3f} ± {row['hit_rate_standard_error']:.3f}  "
              f"misery {row['misery']:.4f} ± {row['misery_standard_error']:.4f} ({row['miserable_groups']} groups)  "
              f"p99 {row['p99_ms']:.1f} ms", file=out)
    return {**results, "misery_weight": {"served": MISERY_WEIGHT, "tuned": tuned}, "tuning": grid,
            "groups": {"tune": len(halves["tune"]), "test": len(test)},
            "hidden_dislikes": int(hidden_dislikes.sum()), "seconds": round(time.perf_counter() - started, 1)}
