"""The recommender's Python API, shared by the CLI and the bot: resolve, similar, about, recommend, hot reload."""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from engine import group as grouping
from engine import recommend as recommending
from engine import similar as similarity
from engine.blend import SIMILAR_VIEWS, VIEWS, Blend, check_view
from engine.bundle import Bundle, current_version, load_current, load_newest_intact
from engine.config import Config
from engine.errors import BundleError, EngineError, NotFound
from engine.explain import display_link
from engine.favourites import parse_decade
from engine.films import Film, Suggestion
from engine.group import GroupMember, MemberIds
from engine.model import LoadedModel
from engine.normalize import title_key
from engine.pages import Page, pages_like
from engine.remote import RemoteModels, is_remote
from engine.titles import Match, resolve_in

log = logging.getLogger(__name__)
MAX_K = 100  # the most films one call returns


class Engine:
    """Films like a film, films around a linked page, and picks for a taste. Thread-safe; reloads without downtime."""

    def __init__(self, bundle: Bundle, config: Config, models_dir: Path, remote: RemoteModels | None = None):
        self.config = config
        self.models_dir = Path(models_dir)
        self.remote = remote  # an object store mirrored into models_dir, or None
        self._model = LoadedModel(bundle, config)
        self._reload_lock = threading.Lock()
        self._loaded = bundle.path.name  # the version directory serving now (its manifest may name itself otherwise)
        self._refused: str | None = None  # a version CURRENT names that failed to load: not tried again, logged once
        self._remote_error: str | None = None  # the object store's last problem, logged once

    @classmethod
    def load(cls, models_dir: str | Path | None = None, config: Config | None = None) -> Engine:
        """Load the bundle that `models_dir/CURRENT` names (default: MOVIELIKE_MODELS).

        `models_dir` (or MOVIELIKE_MODELS) may be s3://bucket/prefix: the current version is downloaded into the
        local cache (MOVIELIKE_MODELS_CACHE) and verified first. When the version CURRENT names is damaged, the
        newest intact version is served instead (and a warning says so); a new CURRENT is picked up by
        `reload_if_changed` as usual. BundleError when nothing is published or nothing loads.
        """
        config = config or Config.from_env()
        url = str(models_dir) if models_dir is not None and is_remote(models_dir) else (
            config.models_url if models_dir is None else None)
        remote = RemoteModels(url, config.models_dir) if url else None
        models_dir = config.models_dir if url or models_dir is None else Path(models_dir)
        if remote is not None:
            try:
                remote.sync()
            except BundleError as error:
                if current_version(models_dir) is None:
                    raise
                log.warning("Serving the cached model: %s", error)  # a store that is down or a bad new version
        try:
            return cls(load_current(models_dir), config, models_dir, remote)
        except BundleError as error:
            wanted = current_version(models_dir)
            fallback = load_newest_intact(models_dir, skip=wanted) if wanted else None
            if fallback is None:
                raise
            log.warning("CURRENT names model %s, which cannot be loaded (%s); serving %s, the newest intact version",
                        wanted, error, fallback.path.name)
            engine = cls(fallback, config, models_dir, remote)
            engine._refused = wanted
            return engine

    @property
    def model(self) -> LoadedModel:
        """The loaded bundle's arrays (read-only), for benches, tests and the evaluation."""
        return self._model

    @property
    def version(self) -> str:
        return self._model.bundle.version

    @property
    def manifest(self) -> dict:
        return self._model.bundle.manifest

    @property
    def search_mode(self) -> str:
        return self._model.films.mode

    def __len__(self) -> int:
        return len(self._model)

    @property
    def serving_current(self) -> bool:
        """Whether the version served is the one CURRENT names (False after falling back from a damaged one)."""
        return self._loaded == current_version(self.models_dir)

    @property
    def has_ratings(self) -> bool:
        """Whether the loaded model has the ratings view (it was trained with MovieLens ratings)."""
        return self._model.ratings is not None

    @property
    def has_posters(self) -> bool:
        """Whether the loaded model has the poster view (published by `movielike-train posters`)."""
        return self._model.posters is not None

    @property
    def blend(self) -> Blend:
        return self._model.blend

    def views_for(self, film: int | Film) -> tuple[str, ...]:
        """The views `similar` can show for this film: both, links and ratings when it has MovieLens ratings, else
        links; then posters when the model has a poster vector for it."""
        model = self._model
        film_id = model.id_of_key.get(film.key) if isinstance(film, Film) else int(film)
        ratings, posters = model.ratings, model.posters
        views = VIEWS if film_id is not None and ratings is not None and ratings.has_ratings(film_id) else ("links",)
        return (*views, "posters") if film_id is not None and posters is not None and posters.has_poster(film_id) else views

    def set_blend(self, blend: Blend) -> None:
        """Use other blend weights until the next reload (the trainer's tuning and experiments)."""
        self._model.blend = blend

    def reload_if_changed(self) -> bool:
        """Swap to the version CURRENT names if it changed; queries in flight finish on the old one. True if swapped.

        A broken new bundle is logged and the running one kept (BundleError is not raised to a serving process).
        With an object store, its CURRENT is read first and a new version downloaded and verified (in the caller's
        thread: the bot's reload loop runs this in a worker thread).
        """
        if self.remote is not None:
            with self._reload_lock:  # the poll and an announcement may ask at once: one download
                try:
                    self.remote.sync()
                except BundleError as error:
                    if str(error) != self._remote_error:
                        log.error("Keeping model %s: %s", self.version, error)  # once per distinct problem
                        self._remote_error = str(error)
                    return False
                self._remote_error = None
        wanted = current_version(self.models_dir)
        if wanted is None or wanted in (self._loaded, self._refused):
            return False
        with self._reload_lock:
            if wanted in (self._loaded, self._refused):
                return False
            try:
                model = LoadedModel(load_current(self.models_dir), self.config)
            except BundleError as error:
                self._refused = wanted  # logged once; tried again only when CURRENT names another version
                log.error("Keeping model %s: the new one (%s) cannot be loaded: %s", self.version, wanted, error)
                return False
            self._model, self._loaded = model, wanted
            log.info("Loaded model %s", wanted)
            return True

    # -- lookups ---------------------------------------------------------------------------------------------------

    def resolve(self, text: str) -> Film:
        """The film meant by `text`; NotFound carrying the closest films, BadInput for empty or oversized text."""
        return self.resolve_match(text)[0]

    def resolve_match(self, text: str, typos: bool = True) -> tuple[Film, Match]:
        """Like `resolve`, also saying how it matched ('exact' or 'typo'), so callers can say "showing results for".

        `typos=False` tries exact titles only (microseconds) and raises NotFound without suggestions otherwise.
        """
        model = self._model
        match = _match(model, text, typos)
        return model.film(match.id), match

    def film(self, film_id: int) -> Film:
        """The film with this id; IndexError when the loaded model has no such id (e.g. a button from an older one)."""
        model = self._model
        if not 0 <= int(film_id) < len(model):
            raise IndexError(f"no film {film_id} in model {self.version}")
        return model.film(int(film_id))

    def ids_for(self, keys: Iterable[str]) -> list[int]:
        """Ids in this model of the films these stable keys name, in order; keys of films this model lacks are
        skipped (a retrain that drops a film keeps its ratings; they count again when it comes back)."""
        return _ids(self._model, keys)

    def film_by_key(self, key: str) -> Film | None:
        """The film a stable key names in this model (its article title, or an older title redirecting to it)."""
        model = self._model
        film_id = model.id_of_key.get(key)
        return None if film_id is None else model.film(film_id)

    def namesakes(self, film: int | Film, limit: int = 4) -> list[Film]:
        """Other films with the same title (remakes, unrelated films), best known first: for 'not this one?'."""
        model = self._model
        film_id = model.id_of_key.get(film.key, -1) if isinstance(film, Film) else int(film)
        if not 0 <= film_id < len(model):
            return []
        ids = model.film_names.by_key.get(title_key(model.titles[film_id]), [])
        return [model.film(i) for i in ids if i != film_id][:limit]

    def recommend_for_keys(self, likes: Iterable[str], dislikes: Iterable[str], k: int = 10,
                           exclude: Iterable[str] = (), by: str = "both", seen: Iterable[str] = ()) -> list[Suggestion]:
        """`recommend` for ratings stored by stable key (Film.key): keys this model lacks are skipped; the keys are
        read and the picks made on one model, even while a new one is being loaded."""
        model = self._model
        return _recommend(model, _ids(model, likes), _ids(model, dislikes), _ids(model, seen), _ids(model, exclude),
                          _clamp(k), check_view(by))

    def about_page(self, link_text: str) -> str:
        """The linked page's title that `about` would use for `link_text`."""
        model = self._model
        return model.bundle.link_titles[_link_id(model, link_text)]

    # -- queries ---------------------------------------------------------------------------------------------------

    def similar(
        self, title_or_id: str | int | Film, k: int = 10, exclude: Iterable[int] = (), by: str = "both"
    ) -> list[Suggestion]:
        """The k films most like the given one, best first, never the film itself; `why` names shared links.

        A `Film` is found by its stable key in the model serving now (ids are only valid within one model).

        `by="links"`: the neighbours stored in the bundle, scored by the link model's cosine plus exact link evidence
        (shared rare links, one article linking to the other; training/publish/neighbours.py). `by="ratings"`:
        cosine of the ratings model's factors (liked by the same people); NoRatingsView for a film MovieLens never
        rated. `by="both"` (default): the two blended by the tuned weight (0 as the ratings cosine of a film nobody
        rated); links alone when the film itself has no ratings. `by="posters"`: cosine of the films' poster image
        features, among the films with a poster (fewer than k when fewer have one), why "poster looks alike";
        NoPosterView for a film without a poster vector or a model without the poster view (`views_for` says which
        films have it).
        """
        model = self._model
        k = _clamp(k)
        view = check_view(by, SIMILAR_VIEWS)
        film_id = _match(model, title_or_id).id
        skip = {film_id, *(int(i) for i in exclude)}
        return similarity.similar(model, film_id, k, skip, view)

    def about(self, link_text: str, k: int = 10) -> list[Suggestion]:
        """Films nearest a linked page's vector (a person, studio, genre, place...), best first.

        Scores are the cosine plus 0.3 x popularity, so a person's known films lead their obscure ones.
        """
        model = self._model
        return similarity.about(model, _link_id(model, link_text), _clamp(k))

    def page(self, link_text: str) -> Page:
        """The linked page `link_text` means (as `about` resolves it): title, name shown, main kind, films linking."""
        model = self._model
        return model.pages.page(_link_id(model, link_text))

    @property
    def has_page_kinds(self) -> bool:
        """Whether the loaded model knows each page's kind (bundles from before kinds do not)."""
        return self._model.pages.has_kinds

    def pages_like(self, page: str, k: int = 10, kind: str | None = None) -> list[Page]:
        """The k linked pages nearest a page by their link vectors (cosine in [-1, 1]), best first, never the page.

        `kind` ('director', 'actor', 'person', 'company', 'genre', 'place', 'category', 'film'...; engine/kinds.py)
        keeps only pages of that kind (any of their kinds: George Lucas is a director, a writer and a producer);
        ValueError for an unknown kind, NoPageKinds on a model without page kinds. Each Page's why names the films
        whose articles link to both, best known first. NotFound carries the closest page names.
        """
        model = self._model
        return pages_like(model.pages, model.label, _link_id(model, page), _clamp(k), kind)

    def recommend(
        self,
        likes: Sequence[str | int] = (),
        dislikes: Sequence[str | int] = (),
        k: int = 10,
        exclude: Iterable[str | int] = (),
        by: str = "both",
        seen: Iterable[str | int] = (),
    ) -> list[Suggestion]:
        """Picks for someone who liked `likes`, disliked `dislikes` and has seen `seen` without rating them (ids or
        exact titles); unknown ones are skipped.

        Links view: a linear classifier's direction in the link model (the likes' centroid with likes only), scored
        by cosine plus the tuned links-popularity weight x popularity. Ratings view: EASE over every film rated or
        seen (what the people who watched them also watched; learnt from the films' links too when the trainer had
        them) plus the taste model folded in from the 👍/👎 in closed form. Both (default): those two plus the liked
        films' link content (exact TF-IDF overlap) and their mean vector, each standardised on its best films and
        blended by the tuned weights (engine/blend.py).
        Nothing liked: well-known films, kept away from the disliked ones. Rated, seen and excluded films never
        come back.
        """
        model = self._model
        k = _clamp(k)
        view = check_view(by)
        return _recommend(model, _known_ids(model, likes), _known_ids(model, dislikes), _known_ids(model, seen),
                          _known_ids(model, exclude), k, view)

    def favourites(self, k: int = 10, genre: str | None = None, decade: str | int | None = None,
                   exclude: Iterable[str | int] = ()) -> list[Suggestion]:
        """The films people rate above their usual: the rating predictor's film biases, shrunk toward 0 for films
        with few ratings (bias x n / (n + 5); training/ratings/crowd.py), best first; score = stars above the usual,
        why "rated 0.6 stars above its raters' usual (1,234 ratings)".

        `genre`: one genre, case-insensitive (NotFound with the closest names for an unknown one); `decade`:
        "1980s", "80s", "1980" or 1980 (BadInput otherwise); `exclude`: stable keys, exact titles or ids never
        returned. Well-known films (score: popularity in [0, 1], a why saying so) fill in when fewer rated films
        match, and are all there is on a model without MovieLens ratings.
        """
        model = self._model
        favourites = model.favourites
        name = favourites.genre(genre) if genre is not None else None
        first_year = parse_decade(str(decade)) if decade is not None else None
        exclude = list(exclude)
        keys = {e for e in exclude if isinstance(e, str) and e in model.id_of_key}  # stored keys: dict lookups
        skip = set(_ids(model, keys)) | set(_known_ids(model, [e for e in exclude if e not in keys]))
        return [model.suggestion(film, score, why) for film, score, why in favourites.top(_clamp(k), name, first_year, skip)]

    def favourites_genre(self, text: str) -> str:
        """The genre name `favourites(genre=text)` filters by; NotFound with the closest names for an unknown one."""
        return self._model.favourites.genre(text)

    @property
    def has_favourites(self) -> bool:
        """Whether `favourites` ranks by the crowd's ratings (False: a model without them lists well-known films)."""
        return self._model.favourites.has_biases

    @property
    def genres(self) -> list[str]:
        """The genre names `favourites` filters by (empty for a model from before genres were stored)."""
        return list(self._model.favourites.genre_names)

    def recommend_group(self, members: Sequence[GroupMember], k: int = 5, exclude: Iterable[str] = ()
                        ) -> list[Suggestion]:
        """Picks for a group (movie night) from each member's ratings (stable keys; keys this model lacks are
        skipped): the members' own scores averaged, plus a least-misery term, never a film any member rated or
        saw or one very close to something a member disliked; whys name the members (engine/group.py says how
        and why). Well-known films when nobody liked anything yet. BadInput for no members or more than
        MAX_GROUP."""
        model = self._model
        ids = [_member_ids(model, member) for member in members]
        return grouping.recommend_group(model, ids, _clamp(k), _ids(model, exclude))


def _member_ids(model: LoadedModel, member: GroupMember) -> MemberIds:
    """A member's ratings as ids of `model`: liked wins over disliked, both over seen (as in _recommend)."""
    liked = list(dict.fromkeys(_ids(model, member.likes)))
    liked_set = set(liked)
    disliked = [i for i in dict.fromkeys(_ids(model, member.dislikes)) if i not in liked_set]
    rated = liked_set.union(disliked)
    return MemberIds(member.name, liked, disliked, [i for i in dict.fromkeys(_ids(model, member.seen)) if i not in rated])


def _recommend(model: LoadedModel, liked: list[int], disliked: list[int], seen: list[int], exclude: list[int], k: int,
               view: str) -> list[Suggestion]:
    """recommend() on film ids: a film liked wins over disliked and seen, disliked over seen; none of them, nor
    `exclude`, comes back."""
    liked = list(dict.fromkeys(liked))
    liked_set = set(liked)
    disliked = [i for i in dict.fromkeys(disliked) if i not in liked_set]
    rated = liked_set | set(disliked)
    watched = [i for i in dict.fromkeys(seen) if i not in rated]
    skip = rated | set(watched) | set(exclude)
    return recommending.recommend(model, liked, disliked, skip, k, view, watched)


def _match(model: LoadedModel, title_or_id: str | int | Film, typos: bool = True) -> Match:
    """Resolve a title, accept a film id, or find a Film (from this or an earlier model) by its stable key;
    NotFound carries Film candidates."""
    if isinstance(title_or_id, Film):  # looked up again by key: right even if a new model was loaded meanwhile
        film_id = model.id_of_key.get(title_or_id.key)
        if film_id is None:
            raise NotFound(title_or_id.title)
        return Match(film_id, "key")
    if isinstance(title_or_id, (int, np.integer)) and not isinstance(title_or_id, bool):
        if 0 <= int(title_or_id) < len(model):
            return Match(int(title_or_id), "id")
        raise NotFound(str(title_or_id))
    try:
        return resolve_in(model.film_names, title_or_id, typos=typos)
    except NotFound as error:
        error.candidates = [model.film(i) for i in error.candidates]
        raise


def _ids(model: LoadedModel, keys: Iterable[str]) -> list[int]:
    """Ids in `model` of the films stable keys name, in order; keys it lacks are skipped."""
    id_of_key = model.id_of_key
    return [id_of_key[key] for key in keys if key in id_of_key]


def _link_id(model: LoadedModel, link_text: str) -> int:
    """Resolve a linked page's name (its exact title first: buttons carry it); NotFound carries the closest names."""
    if link_text in model.link_id_of_title:
        return model.link_id_of_title[link_text]
    try:
        return resolve_in(model.link_names, link_text, what="page").id
    except NotFound as error:
        error.candidates = [display_link(model.bundle.link_titles[i]) for i in error.candidates]
        raise


def _known_ids(model: LoadedModel, items: Iterable[str | int]) -> list[int]:
    """Film ids of ratings given as ids or exact titles (no typo guessing: a rating names its film exactly)."""
    items = list(items)
    n_films = len(model)
    if items and set(map(type, items)) == {int} and min(items) >= 0 and max(items) < n_films:  # type checks in C
        return list(dict.fromkeys(items))  # the common case (stored ratings, the CLI): no per-item checks
    ids: list[int] = []
    for item in items:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool) and 0 <= item < n_films:
            ids.append(int(item))  # the common case (stored ratings): no title matching
            continue
        try:
            ids.append(_match(model, item, typos=False).id)
        except (EngineError, ValueError) as error:  # an unusable rating is skipped, not fatal
            log.debug("recommend: skipping %r: %s", item, error)
    return list(dict.fromkeys(ids))


def _clamp(k: int) -> int:
    try:
        k = int(k)
    except (TypeError, ValueError):
        raise ValueError(f"k must be a whole number, got {k!r}") from None
    return max(1, min(k, MAX_K))
