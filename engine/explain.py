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


GENERIC_SHARE = 0.003  # a link used by more than 0.3% of films (a genre, a country, a big studio) says little alone


def generic_links(frequency: np.ndarray, n_films: int) -> np.ndarray:
    """Which links are generic (by document frequency): used by more than GENERIC_SHARE of films, and by more than 3."""
    return np.asarray(frequency) > max(3, GENERIC_SHARE * n_films)


class Explainer:
    """Picks the shared links a person would find telling: named pages (people, studios) that many films link to but
    that are not generic, then the most specific shared categories, then generic pages (genres, countries)."""

    NAMED_FIRST = 2  # how many named pages lead before a category gets a place
    NAMES_KEPT = 100_000  # display names remembered (a few MB), for the links of the films people ask about

    def __init__(self, link_titles: list[str], link_indptr: np.ndarray, link_indices: np.ndarray, n_films: int,
                 film_links=None, label_of=None):
        self.film_links = film_links  # engine.film_links.FilmLinks: which films' articles link to which
        self.label_of = label_of or str
        self.link_titles = link_titles
        self.indptr = link_indptr
        self.indices = link_indices
        frequency = np.bincount(link_indices, minlength=len(link_titles))
        is_category = np.array([t.startswith(CATEGORY) for t in link_titles], dtype=bool)
        is_generic = generic_links(frequency, n_films)
        # One sort key per link, as plain Python lists: explaining ten results must cost microseconds, not numpy calls.
        tier = np.where(is_generic, 2, np.where(is_category, 1, 0))
        order = np.where(tier == 0, -frequency, frequency).astype(np.int64)  # named: common first; others: rare first
        span = int(frequency.max(initial=0)) + 1
        self._tier = tier.tolist()
        self._key = (tier * (2 * span + 1) + order + span).tolist()  # (tier, order) as one int, sorted in C
        self._indptr = link_indptr.tolist()
        self._indices = link_indices.tolist()
        self._names: dict[int, str] = {}  # display names of links explained so far, up to NAMES_KEPT

    def links_of(self, film_id: int) -> np.ndarray:
        return self.indices[self.indptr[film_id] : self.indptr[film_id + 1]]

    def shared(self, a: int, b: int, limit: int = 3) -> list[str]:
        """Up to `limit` shared links, most telling first."""
        links_a = self._indices[self._indptr[a] : self._indptr[a + 1]]
        links_b = set(self._indices[self._indptr[b] : self._indptr[b + 1]])
        common = [link for link in links_a if link in links_b]
        common.sort(key=self._key.__getitem__)  # stable: ties keep the order of a's article
        tier = self._tier
        named = [link for link in common if tier[link] == 0]
        categories = [link for link in common if tier[link] == 1]
        generic = [link for link in common if tier[link] == 2]
        order = named[: self.NAMED_FIRST] + categories[:1] + named[self.NAMED_FIRST :] + categories[1:] + generic
        return [self._name(link) for link in order[:limit]]

    def _name(self, link: int) -> str:
        """A link's display name, remembered: three of them go into every why line."""
        name = self._names.get(link)
        if name is None:
            if len(self._names) >= self.NAMES_KEPT:
                self._names.clear()
            name = self._names[link] = display_link(self.link_titles[link])
        return name

    def why(self, a: int, b: int, limit: int = 3) -> str:
        """Why film `b` is like film `a`: a link between their articles first (the strongest evidence), then the
        shared links that say most."""
        kinship = self.kinship(a, b)
        shared = self.shared(a, b, limit - 1 if kinship else limit)
        return " · ".join([kinship, *shared] if kinship else shared)

    def kinship(self, a: int, b: int) -> str:
        """'links to <a>' when b's article links to a's, 'linked from <a>' when a's links to b's, else ''."""
        if self.film_links is None:
            return ""
        if a in self.film_links.links_to.get(b, ()):
            return f"links to {self.label_of(a)}"
        if b in self.film_links.links_to.get(a, ()):
            return f"linked from {self.label_of(a)}"
        return ""
