"""One loaded bundle and everything derived from it, swapped as a whole so a query never mixes two versions."""
from __future__ import annotations

import numpy as np

from engine.blend import LINKS_POPULARITY_PRIOR, Blend
from engine.bundle import Bundle
from engine.config import Config
from engine.content import LinkContent
from engine.explain import Explainer, display_link
from engine.favourites import Favourites
from engine.film_links import FilmLinks
from engine.films import Film, Suggestion
from engine.pages import PageIndex
from engine.posters import PosterView
from engine.ratings import RatingsView
from engine.search import VectorSearch
from engine.titles import NameIndex
from engine.vectors import top_k


class LoadedModel:
    """The catalogue (titles, years, posters...), name indexes, vector search, explanations, the ratings view and
    the poster view (None when the bundle has no such part)."""

    def __init__(self, bundle: Bundle, config: Config):
        self.bundle = bundle
        films = bundle.films
        self.titles: list[str] = films["titles"]
        self.years: list[int | None] = films["years"]
        self.images: list[str | None] = films["images"]
        self.directors: list[str | None] = films["directors"]
        self.movielens_ids: list[int | None] = films["movielens_ids"]
        self.popularity = np.asarray(bundle.popularity, dtype=np.float32)
        aliases = [(alias, int(film)) for alias, film in bundle.aliases if 0 <= int(film) < len(self.titles)]
        self.film_names = NameIndex(self.titles, self.popularity, self.years, aliases)
        # Stable keys -> ids: every title, then the redirects of renamed articles (a title always wins).
        self.id_of_key: dict[str, int] = {title: i for i, title in enumerate(self.titles)}
        for alias, film in aliases:
            self.id_of_key.setdefault(alias, film)
        n_model_links = int(bundle.manifest["counts"]["model_links"])
        link_films = np.bincount(bundle.link_indices, minlength=len(bundle.link_titles))[:n_model_links]
        self.link_names = NameIndex(bundle.link_titles[:n_model_links], link_films.astype(np.float32))
        # Exact titles first: a button carries a page's exact title, which fuzzy matching may take for another page
        self.link_id_of_title = {title: i for i, title in enumerate(bundle.link_titles[:n_model_links])}
        self.film_links = FilmLinks(bundle.link_titles, bundle.link_indptr, bundle.link_indices, self.titles, self.id_of_key)
        self.explainer = Explainer(bundle.link_titles, bundle.link_indptr, bundle.link_indices, bundle.n_films,
                                   self.film_links, self.label)
        self.content = LinkContent(bundle.link_indptr, bundle.link_indices, len(bundle.link_titles))
        mode = config.search
        if mode == "auto":
            mode = "exact" if bundle.n_films <= config.exact_max_films else "annoy"
        self.films = VectorSearch(bundle.film_vectors, bundle.film_index, mode, config.annoy_search_k)
        self.popular_order = np.argsort(-self.popularity, kind="stable")
        self.pages = PageIndex(bundle.link_titles, bundle.link_vectors, bundle.link_indptr, bundle.link_indices,
                               self.popular_order, bundle.link_kinds)
        self.film_vectors = np.asarray(bundle.film_vectors)  # a plain view of the memory map: no per-slice overhead
        arrays = bundle.ratings
        self.ratings = None if arrays is None else RatingsView(
            arrays.factors, arrays.biases, arrays.counts, arrays.alpha, arrays.fold_in_l2,
            arrays.index if mode == "annoy" else None, arrays.ease, arrays.neighbours)
        # The rated films' TF-IDF rows and link vectors, gathered once: a heavy rater's link signals read only these
        # (recommend.heavy_rater_picks; a few MB whatever the catalogue's size: MovieLens rates ~10k films)
        rated = None if self.ratings is None else self.ratings.rated_ids
        self.rated_content = None if rated is None else self.content.rows(rated)
        self.rated_vectors = None if rated is None else np.ascontiguousarray(self.film_vectors[rated])
        posters = bundle.posters
        poster_mode = config.search if config.search != "auto" else (
            "exact" if posters is None or len(posters.films) <= config.exact_max_films else "annoy")
        self.posters = None if posters is None else PosterView(posters.vectors, posters.films, posters.index,
                                                              poster_mode, config.annoy_search_k, posters.thumbnails)
        self.blend = Blend.from_manifest(bundle.manifest)
        biases, counts = bundle.favourites or (None, None)
        self.favourites = Favourites(biases, counts, bundle.genres, self.years, self.popularity)

    def __len__(self) -> int:
        return len(self.titles)

    def film(self, film_id: int) -> Film:
        return Film(int(film_id), self.titles[film_id], self.years[film_id], self.images[film_id],
                    self.directors[film_id], self.movielens_ids[film_id])

    def suggestion(self, film_id: int, score: float, why: str) -> Suggestion:
        return Suggestion(int(film_id), self.titles[film_id], self.years[film_id], self.images[film_id],
                          self.directors[film_id], self.movielens_ids[film_id], round(float(score), 4), why)

    def label(self, film_id: int) -> str:
        return self.film(film_id).label

    def link_name(self, link_id: int) -> str:
        return display_link(self.bundle.link_titles[link_id])

    def lifted(self, query: np.ndarray, k: int, skip: set[int], prior: float = LINKS_POPULARITY_PRIOR,
               everywhere: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The k best films near `query` once being well known lifts each cosine by prior x popularity.

        Re-ranks a deeper search; `everywhere` scores the whole catalogue instead (exact mode), for a strong prior
        that may lift a well-known film from far away. `skip` holds film ids of this model (callers check them).
        """
        if everywhere and self.films.mode == "exact":
            lifted = self.films.vectors @ np.asarray(query, dtype=np.float32) + prior * self.popularity
            ids = top_k(lifted, k, skip)
            return ids, lifted[ids]
        ids, scores = self.films.nearest(query, k * 5 + 20, exclude=skip)
        lifted = scores + prior * self.popularity[ids]
        order = np.argsort(-lifted, kind="stable")[:k]
        return ids[order], lifted[order]
