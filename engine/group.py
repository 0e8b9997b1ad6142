"""Picks for a group (movie night): each member's own scores, averaged, with a least-misery guard.

The aggregation, and why:
- Each member with likes gets their own `recommend()` scores (the tuned blend, or the links view on a model without
  ratings), standardised on their best open films so that every member weighs the same however many films they rated.
  A member without likes counts through well-known films (standardised popularity), at half weight: they said nothing
  about their taste, and a well-known film is the safest thing to offer them.
- The group's score is the members' mean (the group's favourites rise) minus MISERY_WEIGHT x misery, where misery is
  how much the film resembles what some member disliked (the largest, over members, of the standardised TF-IDF
  overlap of its links with their disliked films): least misery, on the side of what people told us they dislike.
  A least-misery term on the members' own scores (their minimum) was tried and did not lower misery: those scores
  say what someone would watch more than what they would enjoy.
- Guard: a film among the NEAR_DISLIKED films most like something a member disliked (the links view's stored
  neighbours, both ways) is never picked, nor is any film a member rated or marked seen.
- Only candidates are scored in full (each member's best films by their ratings signals, the films most like their
  first liked films, the best-known films): the link content of every film for each of 10 members would take most
  of the 20 ms a group's picks may take.
`training/evaluation/group.py` measures the aggregation against the plain average of the members' scores, the most
popular films and one member's own picks (hit rate and misery on simulated MovieLens groups), and tunes
MISERY_WEIGHT and the guard on groups apart from those it scores.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from engine.content import Rows
from engine.errors import BadInput
from engine.films import Suggestion
from engine.model import LoadedModel
from engine.recommend import CONTENT_FILMS, blended, link_signals, signals, standardise_top, taste_vector
from engine.vectors import top_k

MAX_GROUP = 15  # the most members one movie night takes
MISERY_WEIGHT = 1.0  # least misery: how much a film's likeness to what some member disliked counts against it
NO_RATINGS_WEIGHT = 0.5  # a member without likes: well-known films, at this weight
NEAR_DISLIKED = 10  # a film among the 10 most like a disliked film (or with one among its 10) is never picked
NAMED = 3  # a why names at most this many members before "and N more"
MEMBER_CANDIDATES = 100  # scored in full: each member's best films by their ratings signals,
NEIGHBOURS_OF_LIKED = 20  # the NEIGHBOURS_EACH films most like each of their first 20 liked films (links view),
NEIGHBOURS_EACH = 10
WELL_KNOWN_CANDIDATES = 300  # and the best-known open films


@dataclass(frozen=True)
class GroupMember:
    """One person at movie night: how whys name them, and their ratings as stable film keys (Film.key)."""

    name: str
    likes: tuple[str, ...] = ()
    dislikes: tuple[str, ...] = ()
    seen: tuple[str, ...] = ()


@dataclass
class MemberIds:
    """A member's ratings as film ids of one loaded model (liked wins over disliked, both over seen)."""

    name: str
    liked: list[int]
    disliked: list[int] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)


def group_scores(model: LoadedModel, members: Sequence[MemberIds], closed: np.ndarray,
                 misery_weight: float = MISERY_WEIGHT) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(candidate film ids, their group scores, members x candidates matrix of each member's standardised score).
    `closed` marks films that cannot be picked (rated or seen by a member, excluded): they are no candidates."""
    firsts = _first_passes(model, members, closed)
    candidates = _candidates(model, members, firsts, closed)
    rows = np.empty((len(members), len(candidates)), dtype=np.float32)
    misery = np.full(len(candidates), -np.inf, dtype=np.float32)
    content_rows = model.content.rows(candidates)
    for row, (member, first) in enumerate(zip(members, firsts)):
        rows[row], resemblance = _member_scores(model, member, first, candidates, content_rows, closed)
        if resemblance is not None:
            misery = np.maximum(misery, resemblance)
    group = rows.mean(axis=0)
    if misery_weight and np.isfinite(misery).all():  # somebody disliked something
        group = group - misery_weight * misery
    return candidates, group, rows


def _first_passes(model: LoadedModel, members: Sequence[MemberIds], closed: np.ndarray) -> list[np.ndarray | None]:
    """Each member's score of every film from what is cheap to compute for all: recommend()'s ratings signals and
    popularity (the links view's cosine on a model without ratings); None for a member without likes."""
    if model.ratings is not None:
        return [_first_pass(model, member, closed) if member.liked else None for member in members]
    liked = [i for i, member in enumerate(members) if member.liked]
    if not liked:
        return [None] * len(members)
    vectors = model.film_vectors
    directions = np.stack([taste_vector(vectors[members[i].liked], vectors[members[i].disliked]) for i in liked])
    # every member's direction in one product: one pass over the catalogue's vectors instead of one each (at 170k
    # films, 3 ms a member)
    cosines = directions @ vectors.T + model.blend.links_popularity_weight * model.popularity
    rows = dict(zip(liked, cosines))
    return [rows.get(i) for i in range(len(members))]


def _first_pass(model: LoadedModel, member: MemberIds, closed: np.ndarray) -> np.ndarray:
    """One member's first pass on a model with ratings: recommend()'s ratings signals blended with popularity."""
    parts = signals(model, member.liked, member.disliked, member.seen, "ratings", model.blend, closed=closed)
    return blended(parts, model.blend, model.popularity)


def _candidates(model: LoadedModel, members: Sequence[MemberIds], firsts: list[np.ndarray | None],
                closed: np.ndarray) -> np.ndarray:
    """The films worth scoring in full: each member's best by the first pass, the films most like their first
    liked films in the links view (where link content finds what ratings do not), and the best-known films."""
    pools = [top_k(np.where(closed, -np.inf, model.popularity), WELL_KNOWN_CANDIDATES)]
    for member, first in zip(members, firsts):
        if first is not None:
            pools.append(top_k(np.where(closed, -np.inf, first), MEMBER_CANDIDATES))
            liked = member.liked[:NEIGHBOURS_OF_LIKED]
            pools.append(np.asarray(model.bundle.neighbours[liked, :NEIGHBOURS_EACH]).ravel())
    films = np.unique(np.concatenate(pools).astype(np.int64))
    return films[~closed[films]]


def _member_scores(model: LoadedModel, member: MemberIds, first: np.ndarray | None, films: np.ndarray,
                   content_rows: Rows, closed: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """One member's score of each of `films`, standardised on their best open ones so that every member weighs
    the same (the first pass plus the link signals: recommend()'s blend; well-known films, at NO_RATINGS_WEIGHT,
    for a member without likes), and how much each resembles what they disliked (standardised TF-IDF overlap of
    links; None without dislikes)."""
    closed_among = closed[films]
    parts = {}
    if first is None:
        scores = NO_RATINGS_WEIGHT * standardise_top(model.popularity[films], closed_among)
    else:
        scores = first[films]
        if model.ratings is not None:
            parts = link_signals(model, member.liked, member.disliked, closed, model.blend, films, content_rows)
            for name, part in parts.items():
                scores = scores + model.blend.weight_of(name) * part
        scores = standardise_top(scores, closed_among)
    if not member.disliked:
        return scores, None
    if "unlike" in parts:  # the blend weighs the disliked films' content: computed already (its negative)
        return scores, -parts["unlike"]
    return scores, standardise_top(model.content.scores(member.disliked[:CONTENT_FILMS], content_rows), closed_among)


def near_disliked(model: LoadedModel, members: Sequence[MemberIds], films: np.ndarray,
                  depth: int = NEAR_DISLIKED) -> np.ndarray:
    """Which of `films` are very close to something a member disliked: among the `depth` nearest films of a
    disliked film in the links view, or with a disliked film among their own `depth` nearest."""
    disliked = np.array(sorted({f for m in members for f in m.disliked}), dtype=np.int64)
    films = np.asarray(films, dtype=np.int64)
    if not len(disliked) or not len(films):
        return np.zeros(len(films), dtype=bool)
    neighbours = model.bundle.neighbours
    near = np.isin(films, np.asarray(neighbours[disliked, :depth]).ravel())
    return near | np.isin(np.asarray(neighbours[films, :depth]), disliked).any(axis=1)


def _best_open(model: LoadedModel, members: Sequence[MemberIds], films: np.ndarray, scores: np.ndarray, k: int,
               guard: bool) -> np.ndarray:
    """Positions in `films` of the k best by `scores` (closed films at -inf), without films near a member's
    dislikes when `guard`: a few times k are read at a time, more when the guard turns many away."""
    want = 4 * k
    while True:
        best = top_k(scores, want)
        best = best[np.isfinite(scores[best])]
        kept = best[~near_disliked(model, members, films[best])] if guard else best
        if len(kept) >= k or len(best) < want:  # enough, or no open film is left to read
            return kept[:k]
        want *= 4


def recommend_group(model: LoadedModel, members: Sequence[MemberIds], k: int, exclude: Sequence[int] = (),
                    misery_weight: float = MISERY_WEIGHT, guard: bool = True) -> list[Suggestion]:
    """k films for the group (see the module's docstring), best first, each with a why that names members."""
    if not members:
        raise BadInput("A movie night needs at least one member.")
    if len(members) > MAX_GROUP:
        raise BadInput(f"A movie night takes at most {MAX_GROUP} people; {len(members)} were given.")
    closed = np.zeros(len(model), dtype=bool)
    for member in members:
        closed[[*member.liked, *member.disliked, *member.seen]] = True
    closed[list(exclude)] = True
    if not any(member.liked for member in members):
        return _well_known(model, members, k, closed)
    films, group, rows = group_scores(model, members, closed, misery_weight)
    best = _best_open(model, members, films, group, k, guard)
    return [model.suggestion(int(films[i]), float(group[i]), _why(model, members, rows[:, i], int(films[i]), guard))
            for i in best]


def _well_known(model: LoadedModel, members: Sequence[MemberIds], k: int, closed: np.ndarray) -> list[Suggestion]:
    """Nobody liked anything yet: the best-known open films, away from what anyone disliked."""
    films = np.arange(len(model))
    order = films[_best_open(model, members, films, np.where(closed, -np.inf, model.popularity), k, True)].tolist()
    why = "one of the best-known films (nobody here has liked a film yet)"
    return [model.suggestion(film, float(model.popularity[film]), why) for film in order]


def _why(model: LoadedModel, members: Sequence[MemberIds], scores: np.ndarray, film: int, guarded: bool) -> str:
    """'Ana and Ben liked Alien (1979); Cy liked Predator (1987); nothing close to what anyone disliked': the members
    who rate the film above their own average pick, each with their liked film closest to it (at most NAMED such
    films, the most shared first); 'a middle ground for the group' when it is nobody's above-average pick."""
    fans = [member for member, score in zip(members, scores.tolist()) if member.liked and score > 0]
    by_film: dict[int, list[str]] = {}
    for member in fans:
        closeness = model.film_vectors[member.liked] @ model.film_vectors[film]
        by_film.setdefault(member.liked[int(np.argmax(closeness))], []).append(member.name)
    shared = sorted(by_film.items(), key=lambda item: -len(item[1]))
    parts = [f"{_names(names)} liked {model.label(liked)}" for liked, names in shared[:NAMED]]
    others = sum(len(names) for _, names in shared[NAMED:])
    if others:
        parts.append(f"{others} more liked films like it")
    if not fans:
        parts.append("a middle ground for the group")
    newcomers = [member.name for member in members if not member.liked]
    if newcomers and model.popularity[film] >= float(model.popularity[model.popular_order[min(999, len(model) - 1)]]):
        parts.append(f"well known, for {_names(newcomers)}")
    if guarded and any(member.disliked for member in members):
        parts.append("nothing close to what anyone disliked")
    return "; ".join(parts)


def _names(names: list[str]) -> str:
    """'Ana', 'Ana and Ben', 'Ana, Ben and Cy', 'Ana, Ben, Cy and 2 more'."""
    if len(names) > NAMED:
        return f"{', '.join(names[:NAMED])} and {len(names) - NAMED} more"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
