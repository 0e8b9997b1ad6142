"""Recommendation benchmark: recommend() latency for the tastes a Slack user can have, by view, and similar() by view.

Tastes: only likes (1 and 5 films), only dislikes, likes and dislikes with unknown titles mixed in, hundreds of
ratings (100 and 300 films) and a heavy rater (1,000 likes, 450 dislikes). Each is timed over --repeats different
users drawn from well-known films. Movie night: recommend_group() for groups of 3 members with 20 ratings and of 10
members with 300 ratings each (target p99 under 20 ms). Crowd favourites: favourites() with and without a genre, a
decade and a heavy rater's films left out (target p99 under 2 ms). Prints JSON.

    python bench/recommend.py [--models DIR] [--repeats 300] [--contention]

Serving limits BLAS to MOVIELIKE_BLAS_THREADS threads (default 1), as the bot and the CLI do. --contention times
recommend() again while a CPU hog runs on every core (started and stopped by the bench; each hog stops by itself
after 10 minutes whatever happens): a bot shares its machine, and its latency must not collapse when it does.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.hog import hogging
from engine import Config, Engine, GroupMember
from engine.threads import limit_blas_threads

TARGET_P99_MS = 5.0
TARGET_GROUP_P99_MS = 20.0
TARGET_FAVOURITES_P99_MS = 2.0
GROUPS = {"members_3_ratings_20": (3, 20), "members_10_ratings_300": (10, 300)}  # members, ratings each (3/4 likes)


def percentiles(samples: list[float]) -> dict:
    values = np.array(samples) * 1000
    return {"p50_ms": round(float(np.percentile(values, 50)), 3), "p99_ms": round(float(np.percentile(values, 99)), 3),
            "n": len(samples)}


def tastes(engine: Engine, rng: random.Random) -> dict:
    """One random user of each kind: (likes, dislikes) as film ids, or titles where unknown ones are mixed in."""
    popular = [int(i) for i in engine.model.popular_order[:3000]]

    def films(n: int) -> list[int]:
        return rng.sample(popular, n)

    picked = films(1450)
    return {
        "likes_1": (picked[:1], []),
        "likes_5": (picked[:5], []),
        "dislikes_5": ([], picked[:5]),
        "mixed_unknown": ([engine.film(i).title for i in picked[:3]] + ["No Such Film 9999", ""],
                          [engine.film(picked[3]).title, "zzzz qqqq"]),
        "ratings_100": (picked[:70], picked[70:100]),
        "ratings_300": (picked[:220], picked[220:300]),
        "ratings_1450": (picked[:1000], picked[1000:1450]),
    }


def time_recommend(engine: Engine, repeats: int, by: str, seed: int = 7) -> dict:
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {}
    for _ in range(repeats):
        for name, (likes, dislikes) in tastes(engine, rng).items():
            started = time.perf_counter()
            picks = engine.recommend(likes, dislikes, 10, by=by)
            samples.setdefault(name, []).append(time.perf_counter() - started)
            assert len(picks) == 10, (name, len(picks))
    return {name: percentiles(values) for name, values in samples.items()}


def time_similar(engine: Engine, repeats: int, by: str, seed: int = 11) -> dict:
    rng = random.Random(seed)
    state = engine.model
    pool = [int(i) for i in state.popular_order[:3000] if state.ratings is None or state.ratings.has_ratings(int(i))]
    samples = []
    for _ in range(repeats):
        film = rng.choice(pool)
        started = time.perf_counter()
        engine.similar(film, 10, by=by)
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def time_favourites(engine: Engine, repeats: int, seed: int = 17) -> dict:
    """favourites(k=10) as `/movielike best` asks: no filter, a genre, a decade, both, and both excluding a heavy
    rater's 300 films (keys), each query drawn at random."""
    rng = random.Random(seed)
    genres = engine.genres or [None]
    decades = ["1950s", "1970s", "80s", "1990s", "2000s"]
    rated = [engine.film(int(i)).key for i in engine.model.popular_order[:300]]
    shapes = {
        "all": dict,
        "genre": lambda: {"genre": rng.choice(genres)},
        "decade": lambda: {"decade": rng.choice(decades)},
        "genre_decade": lambda: {"genre": rng.choice(genres), "decade": rng.choice(decades)},
        "genre_decade_exclude_300": lambda: {"genre": rng.choice(genres), "decade": rng.choice(decades), "exclude": rated},
    }
    figures = {}
    for name, make in shapes.items():
        samples = []
        for _ in range(repeats):
            kwargs = make()
            started = time.perf_counter()
            engine.favourites(10, **kwargs)
            samples.append(time.perf_counter() - started)
        figures[name] = percentiles(samples)
    return figures


def time_groups(engine: Engine, repeats: int, seed: int = 13) -> dict:
    """recommend_group() for random groups whose members rated well-known films (three in four a like)."""
    rng = random.Random(seed)
    popular = [engine.film(int(i)).key for i in engine.model.popular_order[:3000]]
    samples: dict[str, list[float]] = {}
    for _ in range(repeats):
        for name, (size, count) in GROUPS.items():
            members = []
            for number in range(size):
                rated = rng.sample(popular, count)
                members.append(GroupMember(f"member {number}", tuple(rated[: count * 3 // 4]), tuple(rated[count * 3 // 4 :])))
            started = time.perf_counter()
            picks = engine.recommend_group(members, 5)
            samples.setdefault(name, []).append(time.perf_counter() - started)
            assert len(picks) == 5, (name, len(picks))
    return {name: percentiles(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=None, help="model directory (default MOVIELIKE_MODELS)")
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--contention", action="store_true", help="also time recommend() with a CPU hog on every core")
    args = parser.parse_args()
    config = Config.from_env()
    limit_blas_threads(config.blas_threads)
    engine = Engine.load(args.models, config)
    views = ("both", "links", "ratings") if engine.has_ratings else ("links",)
    time_recommend(engine, 20, views[0], seed=1)  # warm caches before timing
    recommend = {by: time_recommend(engine, args.repeats, by) for by in views}
    similar = {by: time_similar(engine, args.repeats, by) for by in views}
    groups = time_groups(engine, args.repeats)
    favourites = time_favourites(engine, args.repeats)
    worst = max(figure["p99_ms"] for by in recommend.values() for figure in by.values())
    contention = {}
    if args.contention:
        with hogging():  # a bounded CPU hog on every core (bench/hog.py)
            busy = time_recommend(engine, max(30, args.repeats // 3), views[0])
        quiet = recommend[views[0]]
        contention = {"contention": {
            "cpu_hogs": os.cpu_count(), "view": views[0], "recommend_latency": busy,
            "p99_ratio_to_quiet": {name: round(busy[name]["p99_ms"] / quiet[name]["p99_ms"], 2) for name in busy},
        }}
    print(json.dumps({
        "model": engine.version,
        "blas_threads": config.blas_threads or "library default",
        "films": len(engine),
        "has_ratings": engine.has_ratings,
        "recommend_latency": recommend,
        "similar_latency": similar,
        "worst_recommend_p99_ms": worst,
        "target_p99_ms": TARGET_P99_MS,
        "meets_target": worst < TARGET_P99_MS,
        "group_latency": groups,
        "group_target_p99_ms": TARGET_GROUP_P99_MS,
        "group_meets_target": max(figure["p99_ms"] for figure in groups.values()) < TARGET_GROUP_P99_MS,
        "favourites_latency": favourites,
        "favourites_ranked": engine.has_favourites,
        "favourites_target_p99_ms": TARGET_FAVOURITES_P99_MS,
        "favourites_meets_target": max(figure["p99_ms"] for figure in favourites.values()) < TARGET_FAVOURITES_P99_MS,
        **contention,
    }, indent=2))


if __name__ == "__main__":
    main()
