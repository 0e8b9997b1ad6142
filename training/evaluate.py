"""Evaluation the trainer prints and stores: link share, franchise hits (model vs exact TF-IDF), example neighbours."""
from __future__ import annotations

import numpy as np
from scipy import sparse

from training.dataset import LinkDataset

EXAMPLE_TITLES = ("Star Wars (film)", "Blade Runner", "Toy Story", "The Godfather", "Alien (film)", "Rocky")


def normalize_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


def top_k_rows(scores: np.ndarray, k: int, exclude: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best columns of each row, best first; `exclude[i]` (a column) is never returned for row i."""
    scores = np.array(scores, dtype=np.float32, copy=True)
    if exclude is not None:
        scores[np.arange(len(scores)), exclude] = -np.inf
    part = np.argpartition(-scores, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
    return np.take_along_axis(part, order, axis=1)


def franchise_hit_rate(neighbours_of, pairs: list[tuple[int, int]], k: int = 10) -> float:
    """Share of (first, follow-up) pairs whose follow-up is among the first film's k nearest films."""
    if not pairs:
        return float("nan")
    firsts = np.array(sorted({first for first, _ in pairs}))
    top = neighbours_of(firsts, k)
    row_of = {film: row for row, film in enumerate(firsts)}
    hits = sum(1 for first, follow in pairs if follow in set(top[row_of[first]].tolist()))
    return hits / len(pairs)


def vector_neighbours(film_vectors: np.ndarray):
    """Exact cosine neighbours over normalised film vectors, as a function for `franchise_hit_rate`."""

    def neighbours(film_ids: np.ndarray, k: int) -> np.ndarray:
        return top_k_rows(film_vectors[film_ids] @ film_vectors.T, k, exclude=film_ids)

    return neighbours


def tfidf_matrix(dataset: LinkDataset) -> sparse.csr_matrix:
    """Films x model links, idf-weighted binary links, rows L2-normalised: the plain baseline."""
    films = np.repeat(np.arange(dataset.n_films), np.diff(dataset.link_indptr))
    links = dataset.link_indices
    keep = links < dataset.n_model_links
    matrix = sparse.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.float32), (films[keep], links[keep])),
        shape=(dataset.n_films, dataset.n_model_links),
    )
    document_frequency = np.bincount(links[keep], minlength=dataset.n_model_links)
    idf = np.log(dataset.n_films / np.maximum(document_frequency, 1)).astype(np.float32)
    matrix = matrix @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sparse.diags(1 / np.maximum(norms, 1e-12)) @ matrix


def tfidf_neighbours(matrix: sparse.csr_matrix):
    def neighbours(film_ids: np.ndarray, k: int) -> np.ndarray:
        scores = (matrix[film_ids] @ matrix.T).toarray()
        return top_k_rows(scores, k, exclude=film_ids)

    return neighbours


def link_share(film_vectors: np.ndarray, link_vectors: np.ndarray, dataset: LinkDataset, sample: int = 2000, seed: int = 7) -> float:
    """For sampled films with n model links: the share of the n links nearest the film that are its own."""
    rng = np.random.default_rng(seed)
    film_ids = rng.choice(dataset.n_films, size=min(sample, dataset.n_films), replace=False)
    scores = film_vectors[film_ids] @ link_vectors.T
    shares = []
    for row, film_id in enumerate(film_ids):
        own = dataset.links_of(film_id)
        own = own[own < dataset.n_model_links]
        if len(own) == 0:
            continue
        nearest = np.argpartition(-scores[row], len(own) - 1)[: len(own)]
        shares.append(len(np.intersect1d(nearest, own)) / len(own))
    return float(np.mean(shares))


def neighbour_examples(film_vectors: np.ndarray, dataset: LinkDataset, titles=EXAMPLE_TITLES, k: int = 5) -> dict[str, list[str]]:
    index = {film.title: i for i, film in enumerate(dataset.films)}
    found = [index[title] for title in titles if title in index]
    if not found:
        found = list(range(min(3, dataset.n_films)))
    top = vector_neighbours(film_vectors)(np.array(found), k)
    return {dataset.films[i].title: [dataset.films[j].title for j in row] for i, row in zip(found, top)}
