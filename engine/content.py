"""Link content: how much a film's links overlap the links of films someone liked, by exact TF-IDF cosine.

The learned vectors smooth over links; this counts them exactly, so a rare shared page (a director, a novelist)
weighs what it should. Built once per bundle from the links every bundle already has; one pass over them a query.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.vectors import csr_positions


class LinkContent:
    """Films x linked pages, idf-weighted, rows of unit length (CSR arrays shared with the bundle's film links)."""

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, n_links: int):
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int32)
        n_films = len(self.indptr) - 1
        frequency = np.bincount(self.indices, minlength=n_links)
        idf = np.log(max(n_films, 1) / np.maximum(frequency, 1)).astype(np.float32)
        data = idf[self.indices]
        lengths = np.diff(self.indptr)
        self._nonempty = lengths > 0
        starts = self.indptr[:-1][self._nonempty]
        norms = np.sqrt(np.add.reduceat(data * data, starts)) if len(starts) else np.zeros(0, dtype=np.float32)
        row_norm = np.ones(n_films, dtype=np.float32)
        row_norm[self._nonempty] = np.maximum(norms, 1e-12)
        self.data = (data / np.repeat(row_norm, lengths)).astype(np.float32)
        self._starts = starts
        self.n_links = n_links
        self.n_films = n_films
        # The same matrix by link (CSC): the films of each page, to touch only the pages a profile has.
        by_link = np.argsort(self.indices, kind="stable")
        self._link_indptr = np.concatenate([[0], np.cumsum(frequency)]).astype(np.int64)
        self._link_films = np.repeat(np.arange(n_films, dtype=np.int32), lengths)[by_link]
        self._link_data = self.data[by_link]
        self._frequency = frequency

    def scores(self, films: list[int], among: Rows | None = None) -> np.ndarray:
        """Each film's summed TF-IDF cosine with `films` (float32): one per film, or one per film of `among`
        (`rows(films)`: a group's candidates, read once for every member's likes and dislikes)."""
        if among is not None:
            return self._scores_among(films, among)
        scores = np.zeros(self.n_films, dtype=np.float32)
        profile = self._profile(films)
        if profile is None:
            return scores
        pages = np.flatnonzero(profile)
        if self._frequency[pages].sum() * 4 < len(self.indices):  # few pages' films to visit: go by page
            touched = csr_positions(self._link_indptr, pages)
            weights = self._link_data[touched] * np.repeat(profile[pages], self._frequency[pages])
            return np.bincount(self._link_films[touched], weights=weights, minlength=self.n_films).astype(np.float32)
        products = self.data * profile[self.indices]  # most pages: one pass over every film's links
        scores[self._nonempty] = np.add.reduceat(products, self._starts)
        return scores

    def rows(self, films: np.ndarray) -> Rows:
        """The rows of `films`, gathered once, for scores(..., among=...)."""
        films = np.asarray(films, dtype=np.int64)
        where = csr_positions(self.indptr, films)
        lengths = np.diff(self.indptr)[films]
        nonempty = lengths > 0
        starts = (np.cumsum(lengths) - lengths)[nonempty]
        return Rows(len(films), nonempty, starts, self.indices[where], self.data[where])

    def _profile(self, films: list[int]) -> np.ndarray | None:
        """The summed TF-IDF rows of `films`, one weight per page; None when they have no links."""
        where = csr_positions(self.indptr, films)
        if not len(where):
            return None
        return np.bincount(self.indices[where], weights=self.data[where], minlength=self.n_links).astype(np.float32)

    def _scores_among(self, films: list[int], among: Rows) -> np.ndarray:
        profile = self._profile(films)
        if profile is None or not among.count:
            return np.zeros(among.count, dtype=np.float32)
        scores = np.zeros(among.count, dtype=np.float32)
        if len(among.starts):
            scores[among.nonempty] = np.add.reduceat(among.data * profile[among.pages], among.starts)
        return scores


@dataclass(frozen=True)
class Rows:
    """Some films' rows of the TF-IDF matrix, one after the other: which films have links, where each of their rows
    starts, and each entry's page and weight."""

    count: int
    nonempty: np.ndarray
    starts: np.ndarray
    pages: np.ndarray
    data: np.ndarray
