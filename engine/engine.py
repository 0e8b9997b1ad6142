"""The recommender's Python API, shared by the CLI and the bot: resolve, similar, about, recommend."""
from __future__ import annotations

import logging
import threading
from urllib.parse import quote
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from engine.bundle import Bundle, current_version, load_current
from engine.config import Config
from engine.errors import BundleError, EngineError, NoRatingsView, NotFound
from engine.explain import Explainer, display_link
from engine.normalize import split_disambiguator, title_key
from engine.ratings import RatingsView
from engine.recommend import taste_vector
from engine.search import VectorSearch
from engine.titles import Match, NameIndex, resolve_in

log = logging.getLogger(__name__)
MAX_K = 100
POPULARITY_PRIOR = 0.15  # recommend(by=links) without a tuned value: how much being well known lifts a cosine
ABOUT_POPULARITY_PRIOR = 0.3  # about(): people asking about a person expect their known films first
VIEWS = ("both", "links", "ratings")  # which model similar()/recommend() use: the blend, or one view alone
RATINGS_POOL = 100  # similar(by=both): the ratings view's nearest films that join the link view's as candidates


@dataclass(frozen=True)
class Blend:
    """How the views mix; the trainer tunes these on held-out MovieLens users and stores them in the manifest.

    similar: score = (1 - similar) x link cosine + similar x ratings cosine.
    recommend: score = (1 - recommend) x link score + recommend x taste score (each standardised over the
    catalogue) + popularity x how well known the film is (popularity in [0, 1]).
    links_popularity: recommend(by="links") scores cosine + links_popularity x popularity.
    """

    similar: float = 0.5
    recommend: float = 0.5
    popularity: float = 2.0
    links_popularity: float = POPULARITY_PRIOR

    @classmethod
    def from_manifest(cls, manifest: dict) -> "Blend":
        stored = manifest.get("blend") or {}
        return cls(**{name: float(stored[name]) for name in cls.__dataclass_fields__ if name in stored})


@dataclass(frozen=True)
class Film:
    """A film in the catalogue."""

    id: int
    title: str
    year: int | None
    image: str | None
    director: str | None
    movielens_id: int | None

    @property
    def url(self) -> str:
        return wikipedia_url(self.title)

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)


@dataclass(frozen=True)
class Suggestion:
    """One result: the film, its `score` (cosine in [-1, 1], higher is closer; for the well-known films offered
    to someone with no likes, popularity in [0, 1]) and `why` in words."""

    id: int
    title: str
    year: int | None
    image: str | None
    director: str | None
    movielens_id: int | None
    score: float
    why: str

    @property
    def label(self) -> str:
        return film_label(self.title, self.year)

    def to_dict(self) -> dict:
        return asdict(self)


def wikipedia_url(title: str) -> str:
    """The article's address, percent-encoded so it is safe inside Slack's <url|label> links."""
    return "https://en.wikipedia.org/wiki/" + quote(title.replace(" ", "_"), safe="_,:'!")


def film_label(title: str, year: int | None) -> str:
    """How people write a film: 'The Thing (1982 film)' -> 'The Thing (1982)', 'Alien (film)' + 1979 -> 'Alien (1979)'."""
    name = split_disambiguator(title)[0].strip() or title
    return f"{name} ({year})" if year else name


class _Loaded:
    """Everything derived from one bundle; swapped as a whole so a query never mixes two versions."""

    def __init__(self, bundle: Bundle, config: Config):
        self.bundle = bundle
        films = bundle.films
        self.titles: list[str] = films["titles"]
        self.years: list[int | None] = films["years"]
        self.images: list[str | None] = films["images"]
        self.directors: list[str | None] = films["directors"]
        self.movielens_ids: list[int | None] = films["movielens_ids"]
        self.popularity = np.asarray(bundle.popularity, dtype=np.float32)
        self.by_movielens_id = {mid: i for i, mid in enumerate(self.movielens_ids) if mid is not None}
        aliases = [(alias, int(film)) for alias, film in bundle.aliases if 0 <= int(film) < len(self.titles)]
        self.film_names = NameIndex(self.titles, self.popularity, self.years, aliases)
        n_model_links = int(bundle.manifest["counts"]["model_links"])
        link_films = np.bincount(bundle.link_indices, minlength=len(bundle.link_titles))[:n_model_links]
        self.link_names = NameIndex(bundle.link_titles[:n_model_links], link_films.astype(np.float32))
        self.explainer = Explainer(bundle.link_titles, bundle.link_indptr, bundle.link_indices, bundle.n_films)
        mode = config.search
        if mode == "auto":
            mode = "exact" if bundle.n_films <= config.exact_max_films else "annoy"
        self.films = VectorSearch(bundle.film_vectors, bundle.film_index, mode, config.annoy_search_k)
        self.links = VectorSearch(bundle.link_vectors, bundle.link_index, mode, config.annoy_search_k)
        self.popular_order = np.argsort(-self.popularity, kind="stable")
        self.film_vectors = np.asarray(bundle.film_vectors)  # a plain view of the memory map: no per-slice overhead
        self.film_mean = self.film_vectors.mean(axis=0, dtype=np.float64)
        self.film_covariance = np.cov(self.film_vectors, rowvar=False, bias=True)  # for standardising V @ q cheaply
        arrays = bundle.ratings
        self.ratings = None if arrays is None else RatingsView(
            arrays.factors, arrays.biases, arrays.counts, arrays.alpha, arrays.fold_in_l2,
            arrays.index if mode == "annoy" else None)
        self.blend = Blend.from_manifest(bundle.manifest)

    def film(self, film_id: int) -> Film:
        return Film(
            int(film_id),
            self.titles[film_id],
            self.years[film_id],
            self.images[film_id],
            self.directors[film_id],
            self.movielens_ids[film_id],
        )

    def suggestion(self, film_id: int, score: float, why: str) -> Suggestion:
        film = self.film(film_id)
        return Suggestion(film.id, film.title, film.year, film.image, film.director, film.movielens_id, round(float(score), 4), why)


class Engine:
    """Films like a film, films around a linked page, and picks for a taste. Thread-safe; reloads without downtime."""

    def __init__(self, bundle: Bundle, config: Config, models_dir: Path):
        self.config = config
        self.models_dir = Path(models_dir)
        self._state = _Loaded(bundle, config)
        self._reload_lock = threading.Lock()

    @classmethod
    def load(cls, models_dir: str | Path | None = None, config: Config | None = None) -> "Engine":
        """Load the bundle that `models_dir/CURRENT` names (default: MOVIELIKE_MODELS); BundleError if none or broken."""
        config = config or Config.from_env()
        models_dir = Path(models_dir) if models_dir is not None else config.models_dir
        return cls(load_current(models_dir), config, models_dir)

    @property
    def version(self) -> str:
        return self._state.bundle.version

    @property
    def manifest(self) -> dict:
        return self._state.bundle.manifest

    @property
    def search_mode(self) -> str:
        return self._state.films.mode

    def __len__(self) -> int:
        return len(self._state.titles)

    @property
    def has_ratings(self) -> bool:
        """Whether the loaded model has the ratings view (it was trained with MovieLens ratings)."""
        return self._state.ratings is not None

    @property
    def blend(self) -> Blend:
        return self._state.blend

    def views_for(self, film_id: int) -> tuple[str, ...]:
        """The views `similar` can show for this film: all three when it has MovieLens ratings, else links."""
        ratings = self._state.ratings
        return VIEWS if ratings is not None and ratings.has_ratings(int(film_id)) else ("links",)

    def set_blend(self, blend: Blend) -> None:
        """Use other blend weights until the next reload (the trainer's tuning and experiments)."""
        self._state.blend = blend

    def reload_if_changed(self) -> bool:
        """Swap to the version CURRENT names if it changed; queries in flight finish on the old one. True if swapped.

        A broken new bundle is logged and the running one kept (BundleError is not raised to a serving process).
        """
        wanted = current_version(self.models_dir)
        if wanted is None or wanted == self.version:
            return False
        with self._reload_lock:
            if wanted == self.version:
                return False
            try:
                state = _Loaded(load_current(self.models_dir), self.config)
            except BundleError as error:
                log.error("Keeping model %s: the new one cannot be loaded: %s", self.version, error)
                return False
            self._state = state
            log.info("Loaded model %s", wanted)
            return True

    # -- lookups ---------------------------------------------------------------------------------------------------

    def _match(self, state: _Loaded, title_or_id: str | int, typos: bool = True) -> Match:
        """Resolve a title or accept a film id; NotFound carries Film candidates."""
        if isinstance(title_or_id, (int, np.integer)) and not isinstance(title_or_id, bool):
            if 0 <= int(title_or_id) < len(state.titles):
                return Match(int(title_or_id), "id")
            raise NotFound(str(title_or_id))
        try:
            return resolve_in(state.film_names, title_or_id, typos=typos)
        except NotFound as error:
            error.candidates = [state.film(i) for i in error.candidates]
            raise

    def _film_id(self, state: _Loaded, title_or_id: str | int) -> int:
        return self._match(state, title_or_id).id

    def resolve(self, text: str) -> Film:
        """The film meant by `text`; NotFound carrying the closest films, BadInput for empty or oversized text."""
        return self.resolve_match(text)[0]

    def resolve_match(self, text: str, typos: bool = True) -> tuple[Film, Match]:
        """Like `resolve`, also saying how it matched ('exact' or 'typo'), so callers can say "showing results for".

        `typos=False` tries exact titles only (microseconds) and raises NotFound without suggestions otherwise.
        """
        state = self._state
        match = self._match(state, text, typos)
        return state.film(match.id), match

    def film(self, film_id: int) -> Film:
        """The film with this id; IndexError when the loaded model has no such id (e.g. a button from an older one)."""
        state = self._state
        if not 0 <= int(film_id) < len(state.titles):
            raise IndexError(f"no film {film_id} in model {self.version}")
        return state.film(int(film_id))

    def namesakes(self, film_id: int, limit: int = 4) -> list[Film]:
        """Other films with the same title (remakes, unrelated films), best known first: for 'not this one?'."""
        state = self._state
        ids = state.film_names.by_key.get(title_key(state.titles[film_id]), [])
        return [state.film(i) for i in ids if i != film_id][:limit]

    def by_movielens_id(self, movielens_id: int) -> Film | None:
        state = self._state
        film_id = state.by_movielens_id.get(int(movielens_id))
        return None if film_id is None else state.film(film_id)

    # -- queries ---------------------------------------------------------------------------------------------------

    def similar(
        self, title_or_id: str | int, k: int = 10, exclude: Iterable[int] = (), by: str = "both"
    ) -> list[Suggestion]:
        """The k films most like the given one, best first, never the film itself; `why` names shared links.

        `by="links"`: cosine in the link model (the exact neighbours stored in the bundle). `by="ratings"`: cosine
        of the ratings model's factors (liked by the same people); NoRatingsView for a film MovieLens never rated.
        `by="both"` (default): the two cosines blended by the tuned weight (0 as the ratings cosine of a film nobody
        rated); links alone when the film itself has no ratings.
        """
        state = self._state
        k = _clamp(k)
        view = _view(by)
        film_id = self._film_id(state, title_or_id)
        skip = {film_id, *(int(i) for i in exclude)}
        ratings = state.ratings
        if view == "ratings":
            self._need_ratings(state, film_id)
            ids, scores = ratings.neighbours(film_id, k, skip)
            return [state.suggestion(i, s, self._why_ratings(state, film_id, i)) for i, s in zip(ids.tolist(), scores.tolist())]
        if view == "links" or ratings is None or not ratings.has_ratings(film_id) or state.blend.similar <= 0:
            return self._similar_by_links(state, film_id, k, skip)
        link_ids = state.bundle.neighbours[film_id]
        rating_ids, _ = ratings.neighbours(film_id, RATINGS_POOL, skip)
        candidates = np.array([i for i in dict.fromkeys([*link_ids.tolist(), *rating_ids.tolist()]) if i not in skip])
        vectors = state.bundle.film_vectors
        link_cosine = vectors[candidates] @ vectors[film_id]
        rating_cosine = ratings.cosine(film_id, candidates)  # 0 for a film nobody rated: no evidence either way
        weight = state.blend.similar
        scores = (1 - weight) * link_cosine + weight * rating_cosine
        order = np.argsort(-scores, kind="stable")[:k]
        if len(order) < k:
            return self._similar_by_links(state, film_id, k, skip)
        liked_alike = set(rating_ids[:k].tolist())
        results = []
        for position in order:
            other = int(candidates[position])
            why = state.explainer.why(film_id, other)
            if other in liked_alike:
                why = f"{why} · liked by the same people" if why else "liked by the same people"
            results.append(state.suggestion(other, scores[position], why))
        return results

    def _similar_by_links(self, state: _Loaded, film_id: int, k: int, skip: set[int]) -> list[Suggestion]:
        """Reads the exact neighbours stored in the bundle; searches only when `k` plus `skip` go deeper than them."""
        ids, scores = state.bundle.neighbours[film_id], state.bundle.neighbour_scores[film_id]
        kept = [(i, s) for i, s in zip(ids.tolist(), scores.tolist()) if i not in skip]
        if len(kept) < k:  # deeper than the stored neighbours: search
            found, found_scores = state.films.nearest(state.bundle.film_vectors[film_id], k, exclude=skip)
            kept = list(zip(found.tolist(), found_scores.tolist()))
        return [state.suggestion(i, s, state.explainer.why(film_id, i)) for i, s in kept[:k]]

    def _need_ratings(self, state: _Loaded, film_id: int) -> None:
        if state.ratings is None:
            raise NoRatingsView("This model was trained without MovieLens ratings, so there is no ratings view: "
                                "use the links view, or retrain with --ratings.")
        if not state.ratings.has_ratings(film_id):
            label = film_label(state.titles[film_id], state.years[film_id])
            raise NoRatingsView(f"{label} has no MovieLens ratings, so there is no ratings view of it: "
                                "try the links view (--by links).")

    def _why_ratings(self, state: _Loaded, film_id: int, other: int) -> str:
        shared = state.explainer.why(film_id, other, limit=2)
        return "liked by the same people" + (f" · {shared}" if shared else "")

    def about(self, link_text: str, k: int = 10) -> list[Suggestion]:
        """Films nearest a linked page's vector (a person, studio, genre, place...), best first.

        Scores are the cosine plus ABOUT_POPULARITY_PRIOR x popularity, so a person's known films lead their obscure ones.
        """
        state = self._state
        k = _clamp(k)
        link_id = self._link_id(state, link_text)
        ids, scores = self._lifted(state, state.bundle.link_vectors[link_id], k, set(), ABOUT_POPULARITY_PRIOR)
        name = display_link(state.bundle.link_titles[link_id])
        results = []
        for film_id, score in zip(ids, scores):
            links = state.explainer.links_of(int(film_id))
            linked = link_id in set(links.tolist())
            why = f"links to {name}" if linked else self._closest_links(state, int(film_id), link_id)
            results.append(state.suggestion(int(film_id), score, why))
        return results

    def about_page(self, link_text: str) -> str:
        """The linked page's title that `about` would use for `link_text`."""
        state = self._state
        return state.bundle.link_titles[self._link_id(state, link_text)]

    def _link_id(self, state: _Loaded, link_text: str) -> int:
        """Resolve a linked page's name; NotFound carries the closest page names."""
        try:
            return resolve_in(state.link_names, link_text, what="page").id
        except NotFound as error:
            error.candidates = [display_link(state.bundle.link_titles[i]) for i in error.candidates]
            raise

    def recommend(
        self,
        likes: Sequence[str | int] = (),
        dislikes: Sequence[str | int] = (),
        k: int = 10,
        exclude: Iterable[str | int] = (),
        by: str = "both",
    ) -> list[Suggestion]:
        """Picks for someone who liked `likes` and disliked `dislikes` (ids or exact titles); unknown ones are skipped.

        Links view: a linear classifier's direction in the link model (the likes' centroid with likes only), scored
        by cosine plus the tuned links_popularity x popularity. Ratings view: the user's vector folded in from their
        ratings in closed form, scored by taste over the rated films. Both (default): the two standardised and
        blended by the tuned weights. Nothing liked: well-known films, kept away from the disliked ones. Rated and
        excluded films never come back.
        """
        state = self._state
        k = _clamp(k)
        view = _view(by)
        liked = self._known_ids(state, likes)
        liked_set = set(liked)
        disliked = [i for i in self._known_ids(state, dislikes) if i not in liked_set]
        skip = liked_set | set(disliked) | set(self._known_ids(state, exclude))
        vectors = state.film_vectors
        direction = taste_vector(vectors[liked], vectors[disliked])
        ratings = state.ratings
        if view == "ratings" and ratings is None:
            raise NoRatingsView("This model was trained without MovieLens ratings, so there is no ratings view: "
                                "use the links view, or retrain with --ratings.")
        if view == "links" or ratings is None:
            if direction is None:
                return self._popular(state, k, skip, vectors[disliked])
            ids, scores = self._lifted(state, direction, k, skip, state.blend.links_popularity, everywhere=True)
            return self._picks(state, liked, ids, scores, 0.0)
        user = ratings.fold_in(liked, disliked)
        taste = ratings.taste_scores(user)
        if direction is None:
            return self._popular(state, k, skip, vectors[disliked], ratings.rated_ids, taste)
        blend = state.blend
        weight = 1.0 if view == "ratings" else blend.recommend
        # Each view standardised over the catalogue (means and spreads from precomputed covariances: no extra passes).
        scores = blend.popularity * state.popularity
        scores[ratings.rated_ids] += weight * taste
        if weight < 1:
            link = vectors @ direction
            link -= float(state.film_mean @ direction)
            link *= (1 - weight) / _spread(state.film_covariance, direction)
            scores += link
        ids = _top(scores, k, skip)
        return self._picks(state, liked, ids, scores[ids], weight)

    def _picks(self, state: _Loaded, liked: list[int], ids: np.ndarray, scores: np.ndarray, rating_weight: float
               ) -> list[Suggestion]:
        """Suggestions saying 'like <the liked film closest to each>: <links they share>', closeness blended like
        the scores (one matrix product for all picks)."""
        closeness = state.film_vectors[liked] @ state.film_vectors[ids].T
        ratings = state.ratings
        if rating_weight > 0 and ratings is not None:
            rated = ratings.rated[ids]
            by_ratings = ratings.unit[liked] @ ratings.unit[ids].T
            closeness = np.where(rated, (1 - rating_weight) * closeness + rating_weight * by_ratings, closeness)
        results = []
        for column, (film_id, score) in enumerate(zip(ids.tolist(), np.asarray(scores).tolist())):
            closest = liked[int(np.argmax(closeness[:, column]))]
            shared = state.explainer.why(closest, film_id)
            why = f"like {film_label(state.titles[closest], state.years[closest])}" + (f": {shared}" if shared else "")
            results.append(state.suggestion(film_id, score, why))
        return results

    # -- helpers ---------------------------------------------------------------------------------------------------

    def _known_ids(self, state: _Loaded, items: Iterable[str | int]) -> list[int]:
        """Film ids of ratings given as ids or exact titles (no typo guessing: a rating names its film exactly)."""
        ids: list[int] = []
        n_films = len(state.titles)
        for item in items:
            if isinstance(item, (int, np.integer)) and not isinstance(item, bool) and 0 <= item < n_films:
                ids.append(int(item))  # the common case (stored ratings): no title matching
                continue
            try:
                ids.append(self._match(state, item, typos=False).id)
            except (EngineError, ValueError) as error:  # an unusable rating is skipped, not fatal
                log.debug("recommend: skipping %r: %s", item, error)
        return list(dict.fromkeys(ids))

    def _lifted(
        self, state: _Loaded, query: np.ndarray, k: int, skip: set[int], prior: float = POPULARITY_PRIOR,
        everywhere: bool = False,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k best films near `query` once being well known lifts each cosine by prior x popularity.

        Re-ranks a deeper search; `everywhere` scores the whole catalogue instead (exact mode), for a strong prior
        that may lift a well-known film from far away.
        """
        if everywhere and state.films.mode == "exact":
            lifted = state.films.vectors @ np.asarray(query, dtype=np.float32) + prior * state.popularity
            ids = _top(lifted, k, skip)
            return ids, lifted[ids]
        ids, scores = state.films.nearest(query, k * 5 + 20, exclude=skip)
        lifted = scores + prior * state.popularity[ids]
        order = np.argsort(-lifted, kind="stable")[:k]
        return ids[order], lifted[order]

    def _popular(
        self, state: _Loaded, k: int, skip: set[int], disliked: np.ndarray,
        rated_ids: np.ndarray | None = None, taste: np.ndarray | None = None,
    ) -> list[Suggestion]:
        """Well-known films for someone with no likes: away from the disliked ones, nudged by their taste scores."""
        pool = [int(i) for i in state.popular_order[: k * 10 + len(skip)] if int(i) not in skip]
        scores = state.popularity[pool].copy()
        if len(disliked):
            scores -= 0.5 * np.clip(state.film_vectors[pool] @ np.asarray(disliked).T, 0, None).max(axis=1)
        if taste is not None:
            nudge = np.zeros(len(state.titles), dtype=np.float32)
            nudge[rated_ids] = taste
            scores += 0.1 * nudge[pool]
        order = np.argsort(-scores, kind="stable")[:k]
        return [state.suggestion(pool[i], state.popularity[pool[i]], "one of the best-known films") for i in order]

    def _closest_links(self, state: _Loaded, film_id: int, link_id: int) -> str:
        links = state.explainer.links_of(film_id)
        links = links[links < len(state.bundle.link_vectors)]
        if len(links) == 0:
            return ""
        scores = state.bundle.link_vectors[links] @ state.bundle.link_vectors[link_id]
        best = links[np.argsort(-scores)[:3]]
        return " · ".join(display_link(state.bundle.link_titles[i]) for i in best)


def _spread(covariance: np.ndarray, query: np.ndarray) -> float:
    """Standard deviation over the catalogue of rows . query, from the rows' covariance (never zero)."""
    query = query.astype(np.float64)
    return max(float(np.sqrt(max(query @ covariance @ query, 0.0))), 1e-12)


def _view(by: str) -> str:
    if by not in VIEWS:
        raise ValueError(f"by must be one of {', '.join(VIEWS)}, got {by!r}")
    return by


def _top(scores: np.ndarray, k: int, skip: set[int]) -> np.ndarray:
    """Ids of the k highest scores, best first, none of them in `skip`."""
    want = min(k + len(skip), len(scores))
    top = np.argpartition(scores, len(scores) - want)[-want:] if want < len(scores) else np.arange(len(scores))
    top = top[np.argsort(-scores[top], kind="stable")]
    return np.array([i for i in top.tolist() if i not in skip][:k], dtype=np.int64)


def _clamp(k: int) -> int:
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise ValueError(f"k must be a whole number, got {k!r}") from None
    return max(1, min(k, MAX_K))
