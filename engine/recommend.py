"""Personal picks from liked and disliked films: a direction in the link model, a folded-in taste, or both blended."""
from __future__ import annotations

import numpy as np

from engine.errors import NoRatingsView
from engine.films import Suggestion
from engine.model import LoadedModel
from engine.similar import NO_RATINGS_MODEL
from engine.vectors import top_k

STANDARDISE_TOP = 100  # each signal is scaled by the spread of its 100 best films: the top is where picks come from
CONTENT_FILMS = 300  # the link-content signals read at most this many liked (and disliked) films, the first given:
# beyond that the content of everything someone watched is no taste at all, and EASE and the taste model, which read
# every rating, carry the picks
HEAVY_RATER = 300  # from this many rated and seen films that MovieLens users rated too, recommend() ranks only the
# films people rated and reads their link signals from rows gathered at load: the whole catalogue's TF-IDF passes
# were half its time, and someone who rated mostly films nobody else did keeps the whole catalogue's blend


def recommend(model: LoadedModel, liked: list[int], disliked: list[int], skip: set[int], k: int, view: str,
              seen: list[int] = ()) -> list[Suggestion]:
    """Picks for someone who liked `liked`, disliked `disliked` and watched `seen` without rating (film ids), none
    in `skip`; see Engine.recommend."""
    vectors = model.film_vectors
    ratings = model.ratings
    if view == "ratings" and ratings is None:
        raise NoRatingsView(NO_RATINGS_MODEL)
    if view == "links" or ratings is None:
        direction = taste_vector(vectors[liked], vectors[disliked])
        if direction is None:
            return popular(model, k, skip, vectors[disliked])
        ids, scores = model.lifted(direction, k, skip, model.blend.links_popularity_weight, everywhere=True)
        return picks(model, liked, ids, scores, 0.0)
    if not liked:
        taste = ratings.taste_scores(ratings.fold_in(liked, disliked))
        return popular(model, k, skip, vectors[disliked], ratings.rated_ids, taste)
    if view == "both" and np.count_nonzero(ratings.rated[[*liked, *disliked, *seen]]) >= HEAVY_RATER:
        return heavy_rater_picks(model, liked, disliked, seen, skip, k)
    return blend_picks(model, liked, disliked, seen, skip, k, view)


def blend_picks(model: LoadedModel, liked: list[int], disliked: list[int], seen: list[int], skip: set[int], k: int,
                view: str) -> list[Suggestion]:
    """recommend(by both / ratings) for someone with likes: the weighted signals over the whole catalogue."""
    ratings = model.ratings
    parts = signals(model, liked, disliked, seen, view, model.blend, skip)
    scores = blended(parts, model.blend, model.popularity)
    ids = np.empty(0, dtype=np.int64)
    if not {"content", "centroid"} & set(parts):  # only ratings evidence: films nobody rated tie at the bottom
        rated = ratings.rated_ids  # (and thousands of ties make a partition 25x slower): rank the rated films
        ids = rated[top_k(scores[rated], k, skip, ids=rated)]
    if len(ids) < k:  # the links view is blended in, or the rated films ran out
        ids = top_k(scores, k, skip)
    return picks(model, liked, ids, scores[ids], 0.5)


def heavy_rater_picks(model: LoadedModel, liked: list[int], disliked: list[int], seen: list[int], skip: set[int],
                      k: int) -> list[Suggestion]:
    """recommend(by both) for someone who rated hundreds of films: the same blend, over the films people rated only."""
    # With that much evidence EASE and the taste model keep films nobody rated out of the top 10 anyway (the scored
    # users' NDCG@10 is unchanged, README), and the link signals then read a quarter of the catalogue.
    closed = np.zeros(len(model), dtype=bool)
    closed[list(skip)] = True
    rated = model.ratings.rated_ids
    parts = signals(model, liked, disliked, seen, "ratings", model.blend, closed=closed)
    scores = blended(parts, model.blend, model.popularity)[rated]
    links = link_signals(model, liked, disliked, closed, model.blend, among=rated, rows=model.rated_content,
                         vectors=model.rated_vectors)
    for name, part in links.items():
        scores = scores + model.blend.weight_of(name) * part
    scores[closed[rated]] = -np.inf
    best = top_k(scores, k)
    best = best[np.isfinite(scores[best])]
    if len(best) < k:  # they rated nearly every rated film: the whole catalogue's blend
        return blend_picks(model, liked, disliked, seen, skip, k, "both")
    return picks(model, liked[:CONTENT_FILMS], rated[best], scores[best], 0.5)  # whys name a recent like


def signals(model: LoadedModel, liked: list[int], disliked: list[int], seen: list[int] = (), view: str = "both",
            blend=None, skip: set[int] | None = None, closed: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """What recommend(by both / ratings) adds up, one score per film each, standardised on their best films:
    `watched` (EASE over every film they rated or saw), `taste` (the folded-in taste model), and with the links
    view `content` (TF-IDF overlap of links with the liked films), `centroid` (cosine to the liked films' mean
    vector) and `unlike` (minus the overlap with the disliked films). The trainer reads them all to tune the
    weights; with a `blend`, a signal it weighs 0 is not computed. Each is standardised on its best films that
    can be picked: `skip` (default: the rated and seen films), or the mask `closed`, never counts among them."""
    ratings = model.ratings
    parts: dict[str, np.ndarray] = {}
    if closed is None:
        closed = np.zeros(len(model), dtype=bool)
        closed[list(skip if skip is not None else {*liked, *disliked, *seen})] = True

    def wanted(signal: str) -> bool:
        return blend is None or blend.weight_of(signal) != 0

    if ratings.ease is not None:  # standardised over the films EASE knows; the others get the lowest score
        scored = ratings.ease.scored_ids
        known = standardise_top(ratings.ease.scores([*liked, *disliked, *seen])[scored], closed[scored])
        watched = np.full(len(model), float(known.min()) if len(known) else 0.0, dtype=np.float32)
        watched[scored] = known
        parts["watched"] = watched
    if wanted("taste"):
        rated = ratings.rated_ids
        taste_of_rated = standardise_top(ratings.taste_scores(ratings.fold_in(liked, disliked)), closed[rated])
        taste = np.full(len(model), float(taste_of_rated.min()) if len(taste_of_rated) else 0.0, dtype=np.float32)
        taste[rated] = taste_of_rated  # films nobody rated: no taste evidence, the lowest score
        parts["taste"] = taste
    if view == "both":
        parts.update(link_signals(model, liked, disliked, closed, blend))
    return parts


def link_signals(model: LoadedModel, liked: list[int], disliked: list[int], closed: np.ndarray, blend=None,
                 among: np.ndarray | None = None, rows=None, vectors: np.ndarray | None = None
                 ) -> dict[str, np.ndarray]:
    """signals()'s link-view part: `content`, `centroid` and `unlike`, for every film or only the films `among`
    (a group's candidates: the exact TF-IDF pass over every film is most of a query's time; `rows` and `vectors`,
    their content.rows(among) and link vectors, when the caller has them gathered already), each standardised on its
    best open films among them."""
    parts: dict[str, np.ndarray] = {}
    closed_among = closed if among is None else closed[among]
    if among is not None and rows is None:
        rows = model.content.rows(among)

    def wanted(signal: str) -> bool:
        return blend is None or blend.weight_of(signal) != 0

    if wanted("content"):
        parts["content"] = standardise_top(model.content.scores(liked[:CONTENT_FILMS], rows), closed_among)
    if wanted("centroid"):
        if vectors is None:
            vectors = model.film_vectors if among is None else model.film_vectors[among]
        parts["centroid"] = standardise_top(vectors @ model.film_vectors[liked].mean(axis=0), closed_among)
    if disliked and wanted("unlike"):  # films sharing links with the disliked ones sink
        parts["unlike"] = -standardise_top(model.content.scores(disliked[:CONTENT_FILMS], rows), closed_among)
    return parts


def blended(parts: dict[str, np.ndarray], blend, popularity: np.ndarray) -> np.ndarray:
    """The weighted sum of the signals (EASE's at weight 1, the scale the others are tuned against) plus popularity."""
    scores = blend.recommend_popularity_weight * popularity
    for name, part in parts.items():
        scores = scores + blend.weight_of(name) * part
    return scores


def standardise_top(scores: np.ndarray, closed: np.ndarray | None = None, top: int = STANDARDISE_TOP) -> np.ndarray:
    """Scores shifted and scaled so that their `top` best have mean 0 and spread 1, films `closed` (a mask: rated,
    seen) left out of those best: signals whose tails differ (EASE is mostly zeros, cosines are not) weigh alike
    where the picks are made."""
    scores = np.asarray(scores, dtype=np.float32)
    n_closed = 0 if closed is None else int(np.count_nonzero(closed))
    if len(scores) - n_closed <= top:
        best = scores[~closed] if n_closed else scores
    else:  # closed films at -inf fall below the top (a boolean mask gather would cost more than the partition)
        open_scores = np.where(closed, -np.inf, scores) if n_closed else scores
        best = -np.partition(-open_scores, top - 1)[:top]  # negated: fast with ties at the bottom (vectors.highest)
    best = best.astype(np.float64)  # a hundred values: summed in float64, a flat top keeps its true spread
    spread = float(best.std())
    scores = scores - float(best.mean())
    return scores / spread if spread > 1e-12 else scores


def picks(model: LoadedModel, liked: list[int], ids: np.ndarray, scores: np.ndarray, rating_weight: float
          ) -> list[Suggestion]:
    """Suggestions saying 'like <the liked film closest to each>: <links they share>', closeness by link vectors,
    blended with the ratings view's for rated films by `rating_weight` (one matrix product for all picks)."""
    closeness = model.film_vectors[liked] @ model.film_vectors[ids].T
    ratings = model.ratings
    if rating_weight > 0 and ratings is not None:
        rated = ratings.rated[ids]
        by_ratings = ratings.unit[liked] @ ratings.unit[ids].T
        closeness = np.where(rated, (1 - rating_weight) * closeness + rating_weight * by_ratings, closeness)
    results = []
    for column, (film_id, score) in enumerate(zip(ids.tolist(), np.asarray(scores).tolist())):
        closest = liked[int(np.argmax(closeness[:, column]))]
        shared = model.explainer.why(closest, film_id)
        why = f"like {model.label(closest)}" + (f": {shared}" if shared else "")
        results.append(model.suggestion(film_id, score, why))
    return results


def popular(model: LoadedModel, k: int, skip: set[int], disliked: np.ndarray,
            rated_ids: np.ndarray | None = None, taste: np.ndarray | None = None) -> list[Suggestion]:
    """Well-known films for someone with no likes: away from the disliked ones, nudged by their taste scores."""
    pool = [int(i) for i in model.popular_order[: k * 10 + len(skip)] if int(i) not in skip]
    scores = model.popularity[pool].copy()
    if len(disliked):
        scores -= 0.5 * np.clip(model.film_vectors[pool] @ np.asarray(disliked).T, 0, None).max(axis=1)
    if taste is not None:
        nudge = np.zeros(len(model), dtype=np.float32)
        nudge[rated_ids] = taste
        scores += 0.1 * nudge[pool]
    order = np.argsort(-scores, kind="stable")[:k]
    return [model.suggestion(pool[i], model.popularity[pool[i]], "one of the best-known films") for i in order]


def logistic_direction(liked: np.ndarray, disliked: np.ndarray, l2: float = 1.0, iterations: int = 25) -> np.ndarray:
    """Weights of a linear classifier (logistic regression, Newton steps, L2) separating liked from disliked vectors.

    Returns a unit vector: films scoring high along it look like the liked ones and unlike the disliked ones.
    """
    x = np.vstack([liked, disliked]).astype(np.float32)  # float32 halves the cost; the weights need no more
    y = np.concatenate([np.ones(len(liked)), np.zeros(len(disliked))]).astype(np.float32)
    x = np.hstack([x, np.ones((len(x), 1), dtype=np.float32)])  # bias column
    w = np.zeros(x.shape[1], dtype=np.float32)
    w[:-1] = liked.mean(axis=0) - disliked.mean(axis=0)
    penalty = np.full(x.shape[1], l2, dtype=np.float32)
    penalty[-1] = 1e-6
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        weighted = x * np.sqrt(p * (1 - p))[:, None]
        hessian = weighted.T @ weighted + np.diag(penalty)  # A.T @ A: numpy's symmetric product, 1.5x faster
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-4:
            break
    direction = w[:-1]
    norm = np.linalg.norm(direction)
    return (direction / norm).astype(np.float32) if norm > 0 else liked.mean(axis=0).astype(np.float32)


def taste_vector(liked: np.ndarray, disliked: np.ndarray) -> np.ndarray | None:
    """The direction to search along: the classifier's with likes and dislikes, the likes' centroid with likes only,
    None without likes (the caller falls back to well-known films)."""
    if len(liked) == 0:
        return None
    if len(disliked) == 0:
        centroid = liked.mean(axis=0)
        norm = np.linalg.norm(centroid)
        return (centroid / norm).astype(np.float32) if norm > 0 else None
    return logistic_direction(liked, disliked)

