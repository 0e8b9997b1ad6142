"""Films like a film (by shared links, by who liked them, both blended, or by how their posters look) and films
around a linked page."""
from __future__ import annotations

import numpy as np

from engine.errors import NoPosterView, NoRatingsView
from engine.films import Suggestion
from engine.model import LoadedModel

RATINGS_POOL = 100  # similar(by=both): the ratings view's nearest films that join the link view's as candidates
ABOUT_POPULARITY_PRIOR = 0.3  # about(): people asking about a person expect their known films first
NO_RATINGS_MODEL = ("This model was trained without MovieLens ratings, so there is no ratings view: "
                    "use the links view, or retrain with --ratings.")
NO_POSTER_MODEL = ("This model has no poster view: an admin adds one with `movielike-train posters`. "
                   "Use the links or ratings view meanwhile.")
# All the poster view knows is image features (colours, layout, textures and, with ImageNet weights, the objects
# and faces a pretrained network sees), not why the films are alike.
WHY_POSTERS = "poster looks alike"


def similar(model: LoadedModel, film_id: int, k: int, skip: set[int], view: str) -> list[Suggestion]:
    """The k films most like `film_id` in `view`, best first, none in `skip` (which holds the film itself)."""
    ratings = model.ratings
    if view == "posters":
        return similar_by_posters(model, film_id, k, skip)
    if view == "ratings":
        need_ratings(model, film_id)
        ids, scores = ratings.neighbours(film_id, k, skip)
        return [model.suggestion(i, s, why_ratings(model, film_id, i)) for i, s in zip(ids.tolist(), scores.tolist())]
    weight = model.blend.similar_ratings_weight
    if (view == "links" or ratings is None or not ratings.has_ratings(film_id) or weight <= 0
            or not len(model.bundle.neighbours[film_id])):
        return similar_by_links(model, film_id, k, skip)
    link_ids, link_scores = model.bundle.neighbours[film_id], model.bundle.neighbour_scores[film_id]
    rating_ids, _ = ratings.neighbours(film_id, RATINGS_POOL, skip)  # never in skip
    in_links = set(link_ids.tolist())  # sets, not np.isin: a hundred ids each, where isin's set-up costs more
    only_rated = rating_ids[np.array([i not in in_links for i in rating_ids.tolist()], dtype=bool)]
    candidates = np.concatenate([link_ids, only_rated]).astype(np.int64)
    # The links view's stored score (cosine plus exact link evidence, training/publish/neighbours.py) for its own
    # neighbours; the plain cosine, never above the last stored score, for films only the ratings view found.
    vectors = model.film_vectors
    floor = float(link_scores[-1])
    cosine = np.minimum(vectors[only_rated] @ vectors[film_id], floor)
    link_score = np.concatenate([link_scores, cosine]).astype(np.float32)
    others = skip - {film_id}  # films the user marked seen (the film itself is never its own neighbour)
    if others:
        keep = np.array([i not in others for i in candidates.tolist()], dtype=bool)
        candidates, link_score = candidates[keep], link_score[keep]
    rating_cosine = ratings.cosine(film_id, candidates)  # 0 for a film nobody rated: no evidence either way
    scores = (1 - weight) * link_score + weight * rating_cosine
    order = np.argsort(-scores, kind="stable")[:k]
    if len(order) < k:
        return similar_by_links(model, film_id, k, skip)
    liked_alike = set(rating_ids[:k].tolist())
    results = []
    for position in order:
        other = int(candidates[position])
        why = model.explainer.why(film_id, other)
        if other in liked_alike:
            why = f"{why} · liked by the same people" if why else "liked by the same people"
        results.append(model.suggestion(other, scores[position], why))
    return results


def similar_by_links(model: LoadedModel, film_id: int, k: int, skip: set[int]) -> list[Suggestion]:
    """Reads the exact neighbours stored in the bundle; searches only when `k` plus `skip` go deeper than them."""
    ids, scores = model.bundle.neighbours[film_id], model.bundle.neighbour_scores[film_id]
    deep = k + len(skip)  # skip removes at most len(skip) of them: the first k + len(skip) hold the k best kept
    kept = [(i, s) for i, s in zip(ids[:deep].tolist(), scores[:deep].tolist()) if i not in skip]
    if len(kept) < k:  # deeper than the stored neighbours: they lead, then the nearest by cosine below the last
        floor = float(scores[-1]) if len(scores) else 1.0
        taken = skip | {i for i, _ in kept}
        found, found_scores = model.films.nearest(model.bundle.film_vectors[film_id], k, exclude=taken)
        kept += [(i, min(s, floor)) for i, s in zip(found.tolist(), found_scores.tolist())]
    return [model.suggestion(i, s, model.explainer.why(film_id, i)) for i, s in kept[:k]]


def similar_by_posters(model: LoadedModel, film_id: int, k: int, skip: set[int]) -> list[Suggestion]:
    """The films whose posters are nearest `film_id`'s by cosine (in [-1, 1]), best first; NoPosterView without one."""
    need_poster(model, film_id)
    ids, scores = model.posters.neighbours(film_id, k, skip)
    return [model.suggestion(i, s, WHY_POSTERS) for i, s in zip(ids.tolist(), scores.tolist())]


def need_poster(model: LoadedModel, film_id: int) -> None:
    """NoPosterView, saying what to try instead, unless the film has a poster vector."""
    if model.posters is None:
        raise NoPosterView(NO_POSTER_MODEL, missing_part=True)
    if not model.posters.has_poster(film_id):
        raise NoPosterView(f"{model.label(film_id)} has no poster in this model, so there is no poster view of it: "
                           "try the links view (--by links).")


def need_ratings(model: LoadedModel, film_id: int) -> None:
    """NoRatingsView, saying what to try instead, unless the film has a ratings view."""
    if model.ratings is None:
        raise NoRatingsView(NO_RATINGS_MODEL)
    if not model.ratings.has_ratings(film_id):
        raise NoRatingsView(f"{model.label(film_id)} has no MovieLens ratings, so there is no ratings view of it: "
                            "try the links view (--by links).")


def why_ratings(model: LoadedModel, film_id: int, other: int) -> str:
    shared = model.explainer.why(film_id, other, limit=2)
    return "liked by the same people" + (f" · {shared}" if shared else "")


def about(model: LoadedModel, link_id: int, k: int) -> list[Suggestion]:
    """Films nearest a linked page's vector, cosine + ABOUT_POPULARITY_PRIOR x popularity, best first."""
    ids, scores = model.lifted(model.bundle.link_vectors[link_id], k, set(), ABOUT_POPULARITY_PRIOR)
    name = model.link_name(link_id)
    results = []
    for film_id, score in zip(ids, scores):
        linked = link_id in set(model.explainer.links_of(int(film_id)).tolist())
        why = f"links to {name}" if linked else closest_links(model, int(film_id), link_id)
        results.append(model.suggestion(int(film_id), score, why))
    return results


def closest_links(model: LoadedModel, film_id: int, link_id: int) -> str:
    """The film's three links nearest the page: why a film that does not link to it is close to it."""
    links = model.explainer.links_of(film_id)
    links = links[links < len(model.bundle.link_vectors)]
    if len(links) == 0:
        return ""
    scores = model.bundle.link_vectors[links] @ model.bundle.link_vectors[link_id]
    best = links[np.argsort(-scores)[:3]]
    return " · ".join(model.link_name(i) for i in best)
