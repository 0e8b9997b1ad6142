"""Baselines beyond item-item matrices: implicit's ALS, LightFM with the films' links as item features, and EASE
blended with link-content (TF-IDF) similarity to the films a user liked.

Each returns a users x items score matrix over the MovieLens items of the evaluation (item i is catalogue film
`film_of_item[i]`); the caller ranks each user's unseen items by it.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from scipy import sparse
from threadpoolctl import threadpool_limits

SEED = 20180926  # the evaluation's split seed: fixed, so every run fits the same factors


def als_scores(interactions: np.ndarray, factors: int, regularization: float, alpha: float, iterations: int = 15,
               threads: int = 2, seed: int = SEED) -> np.ndarray:
    """implicit's ALS (Hu, Koren & Volinsky 2008; confidence 1 + alpha) on the binary matrix: users x items scores."""
    from implicit.cpu.als import AlternatingLeastSquares

    with threadpool_limits(1, "blas"):  # implicit runs its own threads; a BLAS pool inside each is slower (it warns)
        model = AlternatingLeastSquares(factors=factors, regularization=regularization, alpha=alpha, iterations=iterations,
                                        num_threads=threads, random_state=seed)
        model.fit(sparse.csr_matrix(interactions), show_progress=False)
    return np.asarray(model.user_factors) @ np.asarray(model.item_factors).T


def link_item_features(film_of_item: np.ndarray, link_indptr: np.ndarray, link_indices: np.ndarray,
                       min_items: int = 2) -> sparse.csr_matrix:
    """Items x (identity + links) for LightFM: each item's own column and the links shared by >= `min_items` items.

    A link only one item has is its identity again, so it is left out. Rows sum to 1, as LightFM's Dataset does.
    """
    starts, stops = link_indptr[film_of_item], link_indptr[film_of_item + 1]
    item_of_pair = np.repeat(np.arange(len(film_of_item)), stops - starts)
    links = np.concatenate([link_indices[a:b] for a, b in zip(starts, stops)]) if len(film_of_item) else np.empty(0, int)
    shared = np.flatnonzero(np.bincount(np.unique(np.stack([item_of_pair, links]), axis=1)[1]) >= min_items)
    column_of_link = np.full(int(links.max(initial=0)) + 1, -1)
    column_of_link[shared] = len(film_of_item) + np.arange(len(shared))
    keep = column_of_link[links] >= 0
    n_items = len(film_of_item)
    features = sparse.csr_matrix(
        (np.ones(n_items + int(keep.sum()), dtype=np.float32),
         (np.concatenate([np.arange(n_items), item_of_pair[keep]]), np.concatenate([np.arange(n_items), column_of_link[links[keep]]]))),
        shape=(n_items, n_items + len(shared)),
    )
    features.data[:] = 1.0  # a link listed twice for one film counts once
    return sparse.diags(1 / np.asarray(features.sum(axis=1)).ravel()) @ features


def lightfm_scores(interactions: np.ndarray, item_features: sparse.csr_matrix, components: int, epochs: Sequence[int],
                   threads: int = 1, seed: int = SEED) -> Iterator[tuple[int, np.ndarray]]:
    """LightFM (WARP loss) trained once, yielding (epochs so far, users x items scores) at each of `epochs`.

    One thread by default: LightFM's threads update the factors without locks, so more than one is not reproducible.
    """
    from lightfm import LightFM

    model = LightFM(no_components=components, loss="warp", random_state=np.random.RandomState(seed))
    matrix = sparse.coo_matrix(interactions)
    done = 0
    for target in sorted(epochs):
        model.fit_partial(matrix, item_features=item_features, epochs=target - done, num_threads=threads)
        done = target
        item_biases, item_vectors = model.get_item_representations(item_features)
        user_biases, user_vectors = model.get_user_representations()
        yield done, user_vectors @ item_vectors.T + item_biases[None, :] + user_biases[:, None]


def content_scores(item_tfidf: sparse.csr_matrix, liked: Sequence[np.ndarray], how: str = "sum") -> np.ndarray:
    """Users x items: TF-IDF cosine of each item to the user's liked items, summed ("sum") or the nearest one ("max").

    A mean ranks as the sum does once standardised per user (it is the sum over a per-user constant), so it is not
    offered. `liked[u]` holds user u's liked item indexes; `item_tfidf` has one row per item.
    """
    scores = np.zeros((len(liked), item_tfidf.shape[0]), dtype=np.float32)
    transposed = item_tfidf.T.tocsc()
    for row, items in enumerate(liked):
        if len(items) == 0:
            continue
        if how == "sum":
            profile = sparse.csr_matrix(item_tfidf[items].sum(axis=0))
            scores[row] = (profile @ transposed).toarray().ravel()
        elif how == "max":
            scores[row] = (item_tfidf[items] @ transposed).max(axis=0).toarray().ravel()
        else:
            raise ValueError(f"unknown aggregation {how!r}: 'sum' or 'max'")
    return scores


def standardised(scores: np.ndarray) -> np.ndarray:
    """Each row shifted to mean 0 and scaled to standard deviation 1 (a constant row becomes all zeros)."""
    scores = np.asarray(scores, dtype=np.float32)
    spread = scores.std(axis=1, keepdims=True)
    return (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)


def ease_with_links(ease: np.ndarray, content: np.ndarray, weight: float) -> np.ndarray:
    """EASE scores plus `weight` x link-content scores, both standardised per user so the weight means the same for all."""
    return standardised(ease) + weight * standardised(content)
