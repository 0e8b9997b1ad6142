"""Recommendation quality as a Slack user would feel it, measured on simulated MovieLens users.

Each user with at least 10 ratings >= 4 becomes a Slack user: a random 20% of their likes is hidden, the rest are
👍, ratings <= 2 are 👎, ratings in between are films they have seen (excluded from picks). A ratings model is
trained without the hidden ratings and placed in a copy of the bundle; `Engine.recommend` then picks 10 films for
each user, scored by Recall@10 and NDCG@10 against the hidden likes. Half of the users tune the blend weights and
every baseline's hyperparameters; the other half give the reported figures, for our views and for the baselines alike,
each baseline with its paired difference from our blend over the same users.
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from engine import Blend, Engine
from engine.bundle import CURRENT, MANIFEST
from training.data.movielens import SPLIT_SEED, MovieLensRatings, SimulatedUser, read_ratings, simulate_users
from training.data.popularity import popularity_from_counts
from training.evaluation.baselines import Figures, paired_difference, recall_ndcg, summarise
from training.evaluation.franchise import follow_ups, franchise_pairs, share_of_hits
from training.evaluation.tune_blend import gather, tune_recommend
from training.evaluation.tuned_baselines import BASELINE_NAMES, available, score_baselines
from training.publish.bundle import write_ratings_view
from training.publish.writer import BundleWriter
from training.ratings.ease import fit_ease
from training.ratings.export import align, impute_unrated
from training.ratings.taste import TasteParams, fit_taste

K = 10
LINKS_POPULARITY_WEIGHTS = (0.15, 0.5, 1.0, 2.0, 4.0)
SIMILAR_WEIGHTS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
FRANCHISE_KEEP = 0.95  # similar(): the blend must keep this share of the link view's franchise hit rate


def joined_ratings(ratings: MovieLensRatings, movielens_ids: list[int | None]) -> tuple[MovieLensRatings, np.ndarray]:
    """The ratings of films in the catalogue, re-indexed so item i is catalogue film `film_of_item[i]`."""
    film_of_movie = {int(movie): film for film, movie in enumerate(movielens_ids) if movie is not None}
    films = np.array([film_of_movie.get(int(movie), -1) for movie in ratings.movie_ids])
    keep = films[ratings.items] >= 0
    kept = ratings.subset(keep)
    used = np.unique(kept.items)
    new_index = np.full(ratings.n_items, -1, dtype=np.int32)
    new_index[used] = np.arange(len(used), dtype=np.int32)
    return (MovieLensRatings(kept.users, new_index[kept.items], kept.values, ratings.user_ids, ratings.movie_ids[used]),
            films[used])


def derive_bundle(source: Path, target: Path, export, popularity: np.ndarray) -> Path:
    """A copy of bundle `source` in `target` with another ratings view and popularity; the link files are symlinks."""
    target.mkdir(parents=True)
    manifest = json.loads((source / MANIFEST).read_text())
    writer = BundleWriter(target)
    for name, entry in manifest["files"].items():
        if name != "popularity.npy" and not name.startswith(("rating", "ease_", "crowd_")):  # the split's own ratings views
            writer.link(name, source / name, entry)
    writer.array("popularity.npy", popularity.astype(np.float32))
    neighbours = np.load(source / "film_neighbours.npy", mmap_mode="r")
    scores = np.load(source / "film_neighbour_scores.npy", mmap_mode="r")
    manifest["ratings"] = write_ratings_view(writer, impute_unrated(export, neighbours, scores), n_trees=10)
    manifest.pop("blend", None)
    writer.finish(manifest)
    (target.parent / CURRENT).write_text(target.name + "\n")
    return target


@dataclass
class Split:
    """The simulated users of one evaluation and what their ratings are joined to: the catalogue's films."""

    bundle_dir: Path
    ratings: MovieLensRatings  # joined to the catalogue: item i is film film_of_item[i]
    film_of_item: np.ndarray
    users: list[SimulatedUser]
    hidden: np.ndarray  # mask over `ratings`: the hidden likes
    tune_users: list[SimulatedUser]
    test_users: list[SimulatedUser]
    movielens_ids: list[int | None]
    params: TasteParams


def prepare_split(bundle_dir: Path, ratings_path: Path, params: TasteParams | None = None,
                  max_users: int | None = None) -> Split:
    """Simulated users from the ratings of the bundle's films, halved into tuning and scored users (fixed seed)."""
    bundle_dir = Path(bundle_dir)
    manifest = json.loads((bundle_dir / MANIFEST).read_text())
    catalogue = json.loads((bundle_dir / "films.json").read_text())
    if params is None:
        stored = (manifest.get("ratings") or {}).get("taste") or {}
        params = TasteParams(**{name: stored[name] for name in TasteParams().as_dict() if name in stored})
    ratings, film_of_item = joined_ratings(read_ratings(ratings_path), catalogue["movielens_ids"])
    users, hidden = simulate_users(ratings)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(users))
    if max_users:
        order = order[:max_users]
    return Split(bundle_dir, ratings, film_of_item, users, hidden, [users[i] for i in order[: len(order) // 2]],
                 [users[i] for i in order[len(order) // 2 :]], catalogue["movielens_ids"], params)


def split_engine(split: Split, train: MovieLensRatings, scratch: Path) -> Engine:
    """An engine over a copy of the bundle whose ratings view (taste model, EASE, popularity) learned only `train`."""
    fit = fit_taste(train, split.params)
    export = align(fit.item_factors, fit.item_biases, train, split.movielens_ids,
                   {"alpha": split.params.alpha, "fold_in_l2": split.params.fold_in_l2})
    indptr = np.load(split.bundle_dir / "film_links_indptr.npy")
    links = (indptr, np.load(split.bundle_dir / "film_links_indices.npy"))
    export.ease = fit_ease(train, split.movielens_ids, links=links)  # as the trainer fits it
    rating_counts = np.zeros(len(split.movielens_ids))
    np.add.at(rating_counts, split.film_of_item[train.items], 1)
    popularity = popularity_from_counts(np.diff(indptr), rating_counts)
    return Engine.load(derive_bundle(split.bundle_dir, scratch, export, popularity).parent)


def evaluate_recommendations(
    bundle_dir: Path, ratings_path: Path, params: TasteParams | None = None, max_users: int | None = None,
    out=sys.stderr, baselines: tuple[str, ...] = tuple(BASELINE_NAMES), split: Split | None = None,
) -> dict:
    """Every figure of the recommendation evaluation, and the blend weights it tuned, as a dict for the manifest.
    `baselines`: which baselines to tune and score (`train` measures TRAIN_BASELINES, `evaluate` all of them);
    `split`: the users prepare_split made, when the caller reads them for the group evaluation too."""
    started = time.perf_counter()
    split = split or prepare_split(bundle_dir, ratings_path, params, max_users)
    users, hidden, tune_users, test_users = split.users, split.hidden, split.tune_users, split.test_users
    train = split.ratings.subset(~hidden)
    print(f"evaluation: {len(users)} simulated users ({len(tune_users)} tune the blend, {len(test_users)} are scored), "
          f"{int(hidden.sum()):,} hidden likes; taste model trained on the other {len(train):,} ratings", file=out)
    catalogue = json.loads((split.bundle_dir / "films.json").read_text())
    scratch = Path(tempfile.mkdtemp(prefix="movielike-eval-"))
    try:
        engine = split_engine(split, train, scratch / "eval")
        films = [SimpleNamespace(title=t, year=y) for t, y in zip(catalogue["titles"], catalogue["years"])]
        pairs = franchise_pairs(films)
        figures = _score_everything(engine, train, split.film_of_item, tune_users, test_users, pairs, out,
                                    available(baselines, out), set(follow_ups(films, pairs)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    figures.update({
        "users": {"simulated": len(users), "tune": len(tune_users), "test": len(test_users)},
        "hidden_likes": int(hidden.sum()),
        "catalogue_films": len(split.movielens_ids),
        "seconds": round(time.perf_counter() - started, 1),
    })
    return figures


def _engine_figures(engine, users: list[SimulatedUser], film_of_item: np.ndarray, by: str, similar: bool = False) -> Figures:
    pairs, seconds = [], []
    for user in users:
        likes, dislikes = film_of_item[user.likes].tolist(), film_of_item[user.dislikes].tolist()
        seen = film_of_item[user.neutral].tolist()
        relevant = set(film_of_item[user.hidden].tolist())
        started = time.perf_counter()
        if similar:  # one liked film, as "/movielike <title>" would be asked
            seed = likes[user.user % len(likes)]
            picks = engine.similar(seed, K, exclude=likes + dislikes + seen, by=by)
        else:
            picks = engine.recommend(likes, dislikes, K, by=by, seen=seen)
        seconds.append(time.perf_counter() - started)
        pairs.append(recall_ndcg([p.id for p in picks], relevant))
    figures = summarise(pairs)
    figures["p99_ms"] = round(float(np.percentile(seconds, 99)) * 1000, 2)
    return figures


def _franchise_hits(engine, pairs: list[tuple[int, int]], by: str) -> list[bool]:
    """For each (first film, follow-up) pair, whether the follow-up is in similar(first film)'s top 10."""
    top = {first: {s.id for s in engine.similar(first, K, by=by)} for first in sorted({first for first, _ in pairs})}
    return [follow in top[first] for first, follow in pairs]


def _franchise_rate(hits: list[bool], pairs: list[tuple[int, int]], among: set[tuple[int, int]] | None = None) -> float:
    """Their share of hits (of those in `among`, the follow-ups), to 4 decimals; 0 without pairs."""
    return round(share_of_hits(hits, pairs, among, empty=0.0), 4)


def _score_everything(engine, train: MovieLensRatings, film_of_item, tune_users, test_users, pairs, out,
                      baseline_names: tuple[str, ...], follow: set[tuple[int, int]]) -> dict:
    def tuned(grid, figure_of):
        results = {value: figure_of(value) for value in grid}
        best = max(grid, key=lambda value: (results[value]["ndcg_at_10"], -grid.index(value)))
        return best, results

    # recommend: the weights of its signals and of popularity, on the tuning users (training/evaluation/tune_blend.py)
    weights, recommend_grid = tune_recommend(gather(engine.model, tune_users, film_of_item))

    def links_with(value):
        engine.set_blend(Blend(links_popularity_weight=value))
        return _engine_figures(engine, tune_users, film_of_item, "links")

    links_prior, links_grid = tuned(list(LINKS_POPULARITY_WEIGHTS), links_with)

    # similar: the weight of the ratings view, for finding hidden likes from one liked film, as long as the
    # sequels that the link view finds stay found ("films like this" must still mean alike, not just popular)
    rated_pairs = [(a, b) for a, b in pairs if "ratings" in engine.views_for(a)]
    links_franchise = _franchise_rate(_franchise_hits(engine, rated_pairs, "links"), rated_pairs)

    def similar_with(value):
        engine.set_blend(Blend(similar_ratings_weight=value))
        figures = _engine_figures(engine, tune_users, film_of_item, "both", similar=True)
        return {**figures, "franchise_hit_rate_at_10": _franchise_rate(_franchise_hits(engine, rated_pairs, "both"),
                                                                       rated_pairs)}

    similar_grid = {value: similar_with(value) for value in SIMILAR_WEIGHTS}
    allowed = [v for v in SIMILAR_WEIGHTS if similar_grid[v]["franchise_hit_rate_at_10"] >= FRANCHISE_KEEP * links_franchise]
    similar_weight = max(allowed or [0.0], key=lambda v: (similar_grid[v]["ndcg_at_10"], -v))
    blend = Blend(similar_ratings_weight=similar_weight, links_popularity_weight=links_prior, **weights)
    engine.set_blend(blend)
    print(f"tuned on {len(tune_users)} users: recommend = EASE + taste x {blend.taste_weight} + link content x "
          f"{blend.content_weight} + centroid x {blend.centroid_weight} - disliked content x "
          f"{blend.dislike_weight} + popularity x {blend.recommend_popularity_weight}; "
          f"links-view popularity {links_prior}, similar weight {similar_weight}", file=out)

    baselines, baseline_params, baseline_grids = score_baselines(
        train, film_of_item, tune_users, test_users, engine.model.bundle.link_indptr, engine.model.bundle.link_indices,
        baseline_names)
    recommend = {
        "blend": _engine_figures(engine, test_users, film_of_item, "both"),
        "links": _engine_figures(engine, test_users, film_of_item, "links"),
        "ratings": _engine_figures(engine, test_users, film_of_item, "ratings"),
        **baselines,
    }
    for name in baselines:  # paired over the same test users: baseline - blend, and that difference's SE
        difference, paired_se = paired_difference(recommend["blend"].ndcg, recommend[name].ndcg)
        recommend[name]["vs_blend"] = {"difference": round(difference, 4), "paired_standard_error": round(paired_se, 4)}
    similar = {}
    for by in ("both", "links", "ratings"):
        hits = _franchise_hits(engine, rated_pairs, by)  # scored once: over the rated pairs and their follow-ups
        similar[by] = {**_engine_figures(engine, test_users, film_of_item, by, similar=True),
                       "franchise_hit_rate_at_10": _franchise_rate(hits, rated_pairs),
                       "follow_up_franchise_hit_rate_at_10": _franchise_rate(hits, rated_pairs, follow)}
    rated_follow_ups = sum(pair in follow for pair in rated_pairs)
    for name, figure in recommend.items():
        line = (f"  recommend {name:>13}: Recall@10 {figure['recall_at_10']:.4f}  NDCG@10 {figure['ndcg_at_10']:.4f}"
                f" ± {figure['ndcg_standard_error']:.4f}")
        if name in baselines:
            versus = figure["vs_blend"]
            line += (f"  vs blend {versus['difference']:+.4f} ± {versus['paired_standard_error']:.4f} (paired)"
                     f"  {figure['seconds']:.0f}s  {BASELINE_NAMES.get(name, name)} {baseline_params.get(name, '')}")
        print(line, file=out)
    for name, figure in similar.items():
        print(f"  similar   {name:>12}: Recall@10 {figure['recall_at_10']:.4f}  NDCG@10 {figure['ndcg_at_10']:.4f}  "
              f"franchise hit rate@10 {figure['franchise_hit_rate_at_10']:.3f} ({len(rated_pairs)} sequel pairs), "
              f"{figure['follow_up_franchise_hit_rate_at_10']:.3f} ({rated_follow_ups} follow-ups)", file=out)
    return {
        "recommend": recommend,
        "similar": similar,
        "blend": asdict(blend),
        "ease_penalty": baseline_params["ease"]["l2"],
        "franchise_pairs_with_ratings": len(rated_pairs),
        "follow_up_pairs_with_ratings": rated_follow_ups,
        "tuning": {
            "recommend": recommend_grid,
            "links": [{"links_popularity_weight": v, **links_grid[v]} for v in LINKS_POPULARITY_WEIGHTS],
            "similar": [{"similar_ratings_weight": v, **similar_grid[v]} for v in SIMILAR_WEIGHTS],
            **baseline_grids,  # "ease" (l2, as before), "ease_likes", "rp3beta", "als", "lightfm_links", "ease_links"
            "baselines": baseline_params,  # each tuned baseline's chosen hyperparameters
        },
    }
