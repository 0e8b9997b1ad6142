"""Why two films are alike: the links they share that say most (rare links first, people before categories)."""
from __future__ import annotations

import re

import numpy as np

CATEGORY = "Category:"
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)$")


def display_link(title: str) -> str:
    """'Category:Star Wars films' -> 'Star Wars films'; 'Western (genre)' -> 'Western'."""
    if title.startswith(CATEGORY):
        title = title[len(CATEGORY) :]
    return _TRAILING_PARENS.sub("", title) or title


class Explainer:
    """Picks the shared links a person would find telling: named pages (people, studios) that many films link to but
    that are not generic, then the most specific shared categories, then generic pages (genres, countries)."""

    GENERIC_SHARE = 0.003  # a link used by more than 0.3% of films (a genre, a country, a big studio) says little alone
    NAMED_FIRST = 2  # how many named pages lead before a category gets a place

    def __init__(self, link_titles: list[str], link_indptr: np.ndarray, link_indices: np.ndarray, n_films: int):
        self.link_titles = link_titles
        self.indptr = link_indptr
        self.indices = link_indices
        self.frequency = np.bincount(link_indices, minlength=len(link_titles))
        self.is_category = np.array([t.startswith(CATEGORY) for t in link_titles], dtype=bool)
        self.is_generic = self.frequency > max(3, self.GENERIC_SHARE * n_films)

    def links_of(self, film_id: int) -> np.ndarray:
        return self.indices[self.indptr[film_id] : self.indptr[film_id + 1]]

    def films_linking(self, link_id: int) -> np.ndarray:
        """Ids of the films that link to `link_id`."""
        positions = np.flatnonzero(self.indices == link_id)
        return np.searchsorted(self.indptr, positions, side="right") - 1

    def shared(self, a: int, b: int, limit: int = 3) -> list[str]:
        """Up to `limit` shared links, most telling first."""
        common = np.intersect1d(self.links_of(a), self.links_of(b))
        if len(common) == 0:
            return []
        frequency = self.frequency[common]
        generic = self.is_generic[common]
        category = self.is_category[common]
        named = common[~generic & ~category][np.argsort(-frequency[~generic & ~category], kind="stable")]
        categories = common[~generic & category][np.argsort(frequency[~generic & category], kind="stable")]
        rest = common[generic][np.argsort(frequency[generic], kind="stable")]
        order = [*named[: self.NAMED_FIRST], *categories[:1], *named[self.NAMED_FIRST :], *categories[1:], *rest]
        return [display_link(self.link_titles[i]) for i in order[:limit]]

    def why(self, a: int, b: int, limit: int = 3) -> str:
        return " · ".join(self.shared(a, b, limit))
