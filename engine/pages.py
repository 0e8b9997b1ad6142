"""Pages like a page: the linked pages (people, studios, genres, places...) nearest a page by their link vectors.

The link model learns a vector for every page films link to, not only for films; pages that the same films link to
end up close. Scores are cosines in [-1, 1] (exact: a matrix-vector product over the pages with vectors, or over
the pages of the kind asked for). The why names the films whose articles link to both pages, best known first.
"""
from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

import numpy as np

from engine.errors import NoPageKinds
from engine.explain import display_link
from engine.kinds import kind_bits, kind_name
from engine.vectors import top_k

WHY_FILMS = 2  # films named in a why; the rest are counted


@dataclass(frozen=True)
class Page:
    """A linked page: its Wikipedia title, the name shown (engine/explain.py display_link), its main kind (None when
    unknown: a page no film's infobox names, or a bundle without kinds), how many films link to it, and, as an
    answer to pages_like, its cosine to the page asked about and a why."""

    title: str
    name: str
    kind: str | None
    films: int
    score: float = 1.0
    why: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class PageIndex:
    """Which films link to each page (best known first), each page's kinds, and search over the link vectors."""

    def __init__(self, link_titles: list[str], link_vectors: np.ndarray, link_indptr: np.ndarray,
                 link_indices: np.ndarray, popular_order: np.ndarray, kinds: np.ndarray | None):
        self.titles = link_titles
        self.vectors = np.asarray(link_vectors)  # ids below n_model_links have vectors
        self.kinds = kinds  # (n_links, 2) uint16 (engine/kinds.py) or None in bundles from before kinds
        self._indptr = link_indptr
        self._indices = link_indices
        self._popular_order = popular_order
        self._lock = threading.Lock()
        self._films_by_link: tuple[np.ndarray, np.ndarray] | None = None
        self._subsets: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    @property
    def has_kinds(self) -> bool:
        return self.kinds is not None

    def kind(self, link_id: int) -> str | None:
        return None if self.kinds is None else kind_name(self.kinds[link_id, 1])

    def _film_ranks(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR over links: the popularity ranks (0 = best known) of the films linking to each, ascending. Built on
        first use (a fifth of a second on the full catalogue), not at load."""
        if self._films_by_link is None:
            with self._lock:
                if self._films_by_link is None:
                    n_films = len(self._indptr) - 1
                    rank = np.empty(n_films, dtype=np.int32)
                    rank[self._popular_order] = np.arange(n_films, dtype=np.int32)
                    film_of = np.repeat(np.arange(n_films), np.diff(self._indptr))
                    order = np.lexsort((rank[film_of], self._indices))
                    counts = np.bincount(self._indices, minlength=len(self.titles))
                    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
                    self._films_by_link = (indptr, rank[film_of][order])
        return self._films_by_link

    def film_count(self, link_id: int) -> int:
        indptr, _ = self._film_ranks()
        return int(indptr[link_id + 1] - indptr[link_id])

    def shared_films(self, a: int, b: int) -> tuple[np.ndarray, int]:
        """Film ids linking to both pages, best known first (at most WHY_FILMS), and how many there are."""
        indptr, ranks = self._film_ranks()
        first, second = ranks[indptr[a] : indptr[a + 1]], ranks[indptr[b] : indptr[b + 1]]
        small, large = (first, second) if len(first) <= len(second) else (second, first)
        if len(small) == 0 or len(large) == 0:
            return np.empty(0, dtype=np.int64), 0
        at = np.minimum(np.searchsorted(large, small), len(large) - 1)
        both = small[large[at] == small]  # ascending ranks: best known first
        return self._popular_order[both[:WHY_FILMS]], len(both)

    def _subset(self, bits: int) -> tuple[np.ndarray, np.ndarray]:
        """The ids (with vectors) of the pages with any of `bits`, and their vectors as one contiguous matrix."""
        subset = self._subsets.get(bits)
        if subset is None:
            ids = np.flatnonzero(self.kinds[: len(self.vectors), 0] & bits)
            subset = (ids, np.ascontiguousarray(self.vectors[ids]))
            self._subsets[bits] = subset
        return subset

    def nearest(self, link_id: int, k: int, kind: str | None) -> tuple[np.ndarray, np.ndarray]:
        """The k pages nearest page `link_id` by cosine (never itself), of `kind` when given, best first."""
        query = self.vectors[link_id]
        if kind is None:
            scores = self.vectors @ query
            top = top_k(scores, k, {link_id})
            return top, scores[top]
        bits = kind_bits(kind)  # an unknown kind is a usage error on any model
        if self.kinds is None:
            raise NoPageKinds("This model has no page kinds (it was trained before them), so pages cannot be "
                              "filtered by kind; ask without a kind, or retrain with `movielike-train train`.")
        ids, vectors = self._subset(bits)
        scores = vectors @ query
        top = top_k(scores, k, {link_id}, ids=ids)
        return ids[top], scores[top]

    def page(self, link_id: int, score: float = 1.0, why: str = "") -> Page:
        return Page(self.titles[link_id], display_link(self.titles[link_id]), self.kind(link_id),
                    self.film_count(link_id), round(float(score), 4), why)


def pages_like(pages: PageIndex, label_of, link_id: int, k: int, kind: str | None = None) -> list[Page]:
    """The k pages nearest a page (of `kind` when given), each with the films linking to both as its why."""
    ids, scores = pages.nearest(link_id, k, kind)
    results = []
    for other, score in zip(ids.tolist(), scores.tolist()):
        films, count = pages.shared_films(link_id, other)
        if count:
            named = ", ".join(label_of(int(film)) for film in films)
            why = f"both in {named}" + (f" and {count - len(films)} more" if count > len(films) else "")
        else:
            why = "no film links to both: close by the films around them"
        results.append(pages.page(other, score, why))
    return results
