"""Every baseline of the recommendation evaluation, tuned on the tuning users and scored on the test users.

The same split, exclusions and figures as our blend: a baseline's hyperparameters are the grid point with the best
NDCG@10 on the tuning users (the first on a tie), and its reported figures are on the test users. Grids are small
(chosen from measured runs, see the comments) because all of this runs inside every `movielike-train train`.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from training.data.link_content import link_tfidf
from training.data.movielens import LIKE_AT, MovieLensRatings, SimulatedUser
from training.evaluation.baselines import Baselines, Figures, interaction_matrix, recall_ndcg, summarise, top_unseen
from training.evaluation.hybrids import (
    als_scores,
    content_scores,
    ease_with_links,
    lightfm_scores,
    link_item_features,
)

K = 10
EASE_PENALTIES = (30.0, 100.0, 300.0)  # 1,000 measured worse on every run; 10 worse for EASE on likes too
RP3_ALPHAS = (0.5, 1.0)  # 0.75 measured between the two; each alpha is one items x items product
RP3_BETAS = (0.3, 0.4, 0.5, 0.6)  # free once an alpha's matrix is built (a column scale); 0 and 0.7 measured worse
ALS_GRID = tuple((f, r, a) for f in (128, 256) for r in (10.0, 15.0) for a in (1.0, 2.0))  # factors, L2, alpha
LIGHTFM_COMPONENTS = 64  # 32 measured worse at every epoch count, 128 no better at twice the time
LIGHTFM_EPOCHS = (10, 20, 30)  # one fit, scored after each
LIGHTFM_MIN_ITEMS = 15  # a link is a LightFM feature when this many rated films have it (2: as good, 2.5x slower)
LINK_WEIGHTS = (0.05, 0.1, 0.2)  # EASE + w x link content, both standardised per user
LINK_AGGREGATIONS = ("sum", "max")  # similarity to the liked films: summed, or the nearest one's
BASELINE_NAMES = {  # the rows of `recommend` that are baselines, as printed
    "most_popular": "most popular",
    "item_knn": "item-kNN (cosine), every rated film",
    "ease": "EASE, every rated film",
    "ease_likes": "EASE, likes only",
    "rp3beta": "RP3beta, every rated film",
    "als": "implicit ALS, every rated film",
    "lightfm_links": "LightFM (WARP), links as item features",
    "ease_links": "EASE + link-content similarity",
}
HALVES = ("tune", "test")
# What every `movielike-train train` measures (the guard's margins need the strongest, EASE + links: best in every
# run measured); `movielike-train evaluate` measures them all (a minute more on 2 cores).
TRAIN_BASELINES = ("most_popular", "item_knn", "ease", "ease_links")
LIBRARIES = {"als": "implicit", "lightfm_links": "lightfm"}  # optional (pip install '.[baselines]')


def baseline_figures(scores: np.ndarray, users: list[SimulatedUser], seen: np.ndarray, film_of_item: np.ndarray) -> Figures:
    """Recall@10 and NDCG@10 of users x items `scores`, each user's `seen` items (every film they rated) left out."""
    pairs = []
    for user, user_seen, user_scores in zip(users, seen, scores):
        ranked = top_unseen(user_scores, user_seen, K)
        pairs.append(recall_ndcg(film_of_item[ranked].tolist(), set(film_of_item[user.hidden].tolist())))
    return summarise(pairs)


Trial = tuple[dict, Figures, Figures]  # params, figures on the tuning users, figures on the test users


def pick(trials: Iterable[Trial]) -> tuple[dict, Figures, list[dict]]:
    """The best trial's params by tuning NDCG@10 (the first on a tie), its test figures, and every trial's params
    with its tuning figures (for the manifest)."""
    trials = list(trials)
    best = max(range(len(trials)), key=lambda i: (trials[i][1]["ndcg_at_10"], -i))
    return trials[best][0], trials[best][2], [{**params, **tune} for params, tune, _ in trials]


@dataclass
class Halves:
    """The tuning and the test users, their rows of the interaction matrix and the items each has seen."""

    users: dict[str, list[SimulatedUser]]
    index: dict[str, list[int]]
    seen: dict[str, np.ndarray]
    film_of_item: np.ndarray

    def rows(self, matrix: np.ndarray) -> dict[str, np.ndarray]:
        """Each half's rows of a users x items matrix."""
        return {half: matrix[self.index[half]] for half in HALVES}

    def figures(self, half: str, scores: np.ndarray) -> Figures:
        """The figures of that half's users x items scores."""
        return baseline_figures(scores, self.users[half], self.seen[half], self.film_of_item)

    def trial(self, params: dict, scores_of: Callable[[str], np.ndarray]) -> Trial:
        """Params with the figures of scores_of(half) -> that half's users x items scores, on both halves."""
        return params, self.figures("tune", scores_of("tune")), self.figures("test", scores_of("test"))


def available(names: Iterable[str], out=None) -> tuple[str, ...]:
    """The baselines of `names` whose library is installed; a line for each that is not (never an error)."""
    import importlib.util

    kept = []
    for name in names:
        library = LIBRARIES.get(name)
        if library and importlib.util.find_spec(library) is None:
            if out is not None:
                print(f"  (baseline {name} skipped: {library} is not installed; pip install '.[baselines]')", file=out)
            continue
        kept.append(name)
    return tuple(kept)


def score_baselines(train: MovieLensRatings, film_of_item: np.ndarray, tune_users: list[SimulatedUser],
                    test_users: list[SimulatedUser], link_indptr: np.ndarray, link_indices: np.ndarray,
                    which: Iterable[str] = tuple(BASELINE_NAMES),
                    ) -> tuple[dict[str, Figures], dict[str, dict], dict[str, list[dict]]]:
    """The test figures of the baselines named in `which` (each with the seconds its tuning and scoring took), the
    chosen hyperparameters by name, and each tuned baseline's grid with its tuning figures.

    Memory: one items x items matrix besides a Gram matrix is alive at a time (~10k items: 370 MB each).
    """
    which = set(which) | {"ease"}  # EASE + links builds on the tuned EASE
    interactions = interaction_matrix(train.users, train.items, train.n_users, train.n_items)
    index = {"tune": [u.user for u in tune_users], "test": [u.user for u in test_users]}
    halves = Halves({"tune": tune_users, "test": test_users}, index,
                    {half: interactions[index[half]] > 0 for half in HALVES}, film_of_item)
    figures: dict[str, Figures] = {}
    chosen: dict[str, dict] = {}
    grids: dict[str, list[dict]] = {}

    def run(name: str, step: Callable[[], tuple[dict | None, Figures, list[dict] | None]]) -> None:
        started = time.perf_counter()
        params, test, grid = step()
        test["seconds"] = round(time.perf_counter() - started, 1)
        figures[name] = test
        if params is not None:
            chosen[name], grids[name] = params, grid

    best_ease = _score_item_item(halves, interactions, run, chosen, which)  # its matrices are freed when it returns
    if "ease_likes" in which:
        run("ease_likes", lambda: pick(_ease_likes_trials(halves, train)))
    if "als" in which:
        run("als", lambda: pick(_als_trials(halves, interactions)))
    if "lightfm_links" in which:
        run("lightfm_links", lambda: pick(_lightfm_trials(halves, interactions, link_indptr, link_indices)))
    if "ease_links" in which:
        run("ease_links", lambda: pick(_ease_links_trials(halves, best_ease, chosen["ease"]["l2"], link_indptr,
                                                          link_indices)))
    return figures, chosen, grids


def _score_item_item(halves: Halves, interactions: np.ndarray, run: Callable, chosen: dict, which: set[str]
                     ) -> dict[str, np.ndarray]:
    """Most popular, item-kNN, EASE and RP3beta over one Gram matrix; returns the tuned EASE's scores of both halves."""
    rated = Baselines(interactions)
    rows = halves.rows(interactions)
    if "most_popular" in which:  # nothing to tune
        run("most_popular", lambda: (None, halves.figures("test", rated.popular(rows["test"])), None))
    if "item_knn" in which:
        run("item_knn", lambda: (None, halves.figures("test", rated.item_knn(rows["test"])), None))
    ease_scores: dict[float, dict[str, np.ndarray]] = {}  # each penalty's scores, kept for EASE + links
    run("ease", lambda: pick(_ease_trials(halves, rated, rows, ease_scores)))
    if "rp3beta" in which:
        run("rp3beta", lambda: pick(halves.trial({"alpha": a, "beta": b},
                                                 lambda h, a=a, b=b: rated.rp3beta(rows[h], a, b))
                                    for a in RP3_ALPHAS for b in RP3_BETAS))
    return ease_scores[chosen["ease"]["l2"]]


def _ease_trials(halves: Halves, baselines: Baselines, rows: dict[str, np.ndarray], keep: dict) -> Iterable[Trial]:
    """EASE at each penalty (one inverse each); each penalty's scores are left in `keep`."""
    for l2 in EASE_PENALTIES:
        keep[l2] = {half: baselines.ease(rows[half], l2) for half in HALVES}
        yield halves.trial({"l2": l2}, lambda h, l2=l2: keep[l2][h])


def _ease_likes_trials(halves: Halves, train: MovieLensRatings) -> Iterable[Trial]:
    """EASE learnt from and scoring the likes only (ratings >= 4), still never picking a film the user rated."""
    liked = train.values >= LIKE_AT
    likes = interaction_matrix(train.users[liked], train.items[liked], train.n_users, train.n_items)
    yield from _ease_trials(halves, Baselines(likes), halves.rows(likes), {})


def _als_trials(halves: Halves, interactions: np.ndarray) -> Iterable[Trial]:
    for factors, l2, alpha in ALS_GRID:
        scores = als_scores(interactions, factors, l2, alpha)
        yield halves.trial({"factors": factors, "regularization": l2, "alpha": alpha}, lambda h, s=scores: s[halves.index[h]])


def _lightfm_trials(halves: Halves, interactions: np.ndarray, link_indptr: np.ndarray, link_indices: np.ndarray,
                    ) -> Iterable[Trial]:
    features = link_item_features(halves.film_of_item, link_indptr, link_indices, LIGHTFM_MIN_ITEMS)
    for epochs, scores in lightfm_scores(interactions, features, LIGHTFM_COMPONENTS, LIGHTFM_EPOCHS):
        params = {"components": LIGHTFM_COMPONENTS, "epochs": epochs, "min_items_per_link": LIGHTFM_MIN_ITEMS}
        yield halves.trial(params, lambda h, s=scores: s[halves.index[h]])


def _ease_links_trials(halves: Halves, ease: dict[str, np.ndarray], l2: float, link_indptr: np.ndarray,
                       link_indices: np.ndarray) -> Iterable[Trial]:
    """EASE (its tuned penalty) + w x TF-IDF similarity of each film's links to the user's liked films'."""
    item_tfidf = link_tfidf(link_indptr, link_indices)[halves.film_of_item]
    for how in LINK_AGGREGATIONS:
        content = {h: content_scores(item_tfidf, [u.likes for u in halves.users[h]], how) for h in HALVES}
        for weight in LINK_WEIGHTS:
            yield halves.trial({"l2": l2, "aggregation": how, "weight": weight},
                               lambda h, c=content, w=weight: ease_with_links(ease[h], c[h], w))
