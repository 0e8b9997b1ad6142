"""Each film's nearest films for the links view, stored in the bundle: the learned cosine, plus exact evidence.

score(a, b) = cosine of their vectors
            + TFIDF_WEIGHT x exact TF-IDF cosine of their links (a rare shared page counts fully: the learned vectors
              smooth it away)
            + KIN_WEIGHT when one film's article links to the other's (sequels, remakes, "based on"; namesakes not)
            - GENERIC_PENALTY when they share no link but generic ones (countries, languages, decades: the why would
              say nothing), unless their articles link.
Weights measured on the shared films (README, "films like this"): franchise hit rate@10 0.617 -> 0.686, linked films
in the top 10 0.26 -> 0.99, neighbours of the best-known films sharing only generic links 9.1% -> 1.8%.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

from engine.explain import generic_links
from engine.film_links import FilmLinks
from engine.vectors import top_k_rows
from training.data.link_content import link_tfidf

TFIDF_WEIGHT = 1.0
KIN_WEIGHT = 2.0
GENERIC_PENALTY = 0.2
BLOCK = 512  # at most this many query films scored at once
BLOCK_CELLS = 44_000_000  # and at most this many query films x films: 512 rows at 37.5k films, 258 at 170k, where a
# block's score, evidence and candidate arrays rose memory by 386 MB (920 MB with 512 rows), no slower; top_k_rows
# has since added a negated float32 copy of the block (176 MB at most)
CANDIDATES = 300  # of each film, the best films by the rest of the score that the generic links' share re-ranks
GENERIC_ROWS = 32  # query films whose candidates' generic TF-IDF is read at once (a 9,600 x 32 sparse product)


def _generic(link_indices: np.ndarray, n_links: int, n_films: int) -> np.ndarray:
    return generic_links(np.bincount(link_indices, minlength=n_links), n_films)


def tfidf_split(link_indptr: np.ndarray, link_indices: np.ndarray, n_links: int
                ) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """The TF-IDF rows of unit length (over every link, rare ones included, engine/content.py) split by link: the
    specific links' columns and the generic links' columns, both sparse (a dense generic part was films x generic
    links floats: 1.4 GB at 170k films with 2,000 generic links)."""
    tfidf = link_tfidf(link_indptr, link_indices, n_links)
    generic = _generic(link_indices, n_links, tfidf.shape[0])
    return tfidf[:, np.flatnonzero(~generic)].tocsr(), tfidf[:, np.flatnonzero(generic)].tocsr()


def generic_share(generic_tfidf: sparse.csr_matrix, queries: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """queries x candidates: the generic links' part of each query film's TF-IDF cosine with each of its candidates
    (`candidates[r]` are query r's), as one sparse product of the candidates' rows with the queries'."""
    rows, wide = candidates.shape
    products = (generic_tfidf[candidates.ravel()] @ generic_tfidf[queries].T).toarray()  # (rows x wide) x rows
    return products[np.arange(rows * wide), np.repeat(np.arange(rows), wide)].reshape(rows, wide)


def specific_links(link_indptr: np.ndarray, link_indices: np.ndarray, n_links: int) -> sparse.csr_matrix:
    """Binary films x specific (not generic) links: two films whose rows overlap share something a why can name."""
    n_films = len(link_indptr) - 1
    binary = sparse.csr_matrix((np.ones(len(link_indices), dtype=np.float32), link_indices, link_indptr),
                               shape=(n_films, n_links))
    return binary[:, np.flatnonzero(~_generic(link_indices, n_links, n_films))].tocsr()


def kin_matrix(film_links: FilmLinks, n_films: int) -> sparse.csr_matrix:
    """Symmetric film x film matrix: 1 where either article links to the other."""
    pairs = film_links.pairs
    if len(pairs) == 0:
        return sparse.csr_matrix((n_films, n_films), dtype=np.float32)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    kin = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_films, n_films))
    kin.data[:] = 1.0  # a pair linked both ways counts once
    return kin


def link_neighbours(vectors: np.ndarray, link_indptr: np.ndarray, link_indices: np.ndarray, n_links: int,
                    film_links: FilmLinks, k: int, weights: tuple[float, float, float] | None = None,
                    films: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The k best other films of each film (or of `films`) by the score above, best first: (ids, scores).

    Every film is scored by cosine, specific-link TF-IDF and kinship (sparse products); the generic links' share
    of the TF-IDF (a few hundred links most films have: a dense product over every film would cost minutes at
    170k films) and the penalty (which only lowers scores) are applied to the CANDIDATES best films of each, where
    the top k comes from.
    """
    tfidf_weight, kin_weight, penalty = weights or (TFIDF_WEIGHT, KIN_WEIGHT, GENERIC_PENALTY)
    n_films = len(vectors)
    queries = np.arange(n_films) if films is None else np.asarray(films)
    k = min(k, n_films - 1)
    wide = min(max(CANDIDATES, k), n_films - 1)
    specific_tfidf, generic_tfidf = tfidf_split(link_indptr, link_indices, n_links)
    specific_tfidf_t = specific_tfidf.T.tocsr()
    kin = kin_matrix(film_links, n_films)
    ids = np.empty((len(queries), k), dtype=np.int32)
    scores = np.empty((len(queries), k), dtype=np.float32)
    block_rows = max(1, min(BLOCK, BLOCK_CELLS // max(n_films, 1)))
    for start in range(0, len(queries), block_rows):
        block = queries[start:start + block_rows]
        rows = np.arange(len(block))
        score = vectors[block] @ vectors.T
        evidence = np.zeros(score.shape, dtype=bool)  # shares a specific link, or their articles link
        shared = (specific_tfidf[block] @ specific_tfidf_t).tocoo()  # its pattern: the pairs sharing specific links
        score[shared.row, shared.col] += tfidf_weight * shared.data
        evidence[shared.row, shared.col] = True
        related = kin[block].tocoo()
        score[related.row, related.col] += kin_weight
        evidence[related.row, related.col] = True
        score[rows, block] = -np.inf
        candidates = top_k_rows(score, wide)
        chosen = np.take_along_axis(score, candidates, axis=1)
        if tfidf_weight and generic_tfidf.shape[1]:  # a few rows at a time: rows x candidates x generic links floats
            for first in range(0, len(block), GENERIC_ROWS):
                rows_now = slice(first, first + GENERIC_ROWS)
                chosen[rows_now] += tfidf_weight * generic_share(generic_tfidf, block[rows_now], candidates[rows_now])
        chosen -= penalty * ~np.take_along_axis(evidence, candidates, axis=1)
        order = np.argsort(-chosen, axis=1, kind="stable")[:, :k]
        ids[start:start + len(block)] = np.take_along_axis(candidates, order, axis=1)
        scores[start:start + len(block)] = np.take_along_axis(chosen, order, axis=1)
    return ids, scores
