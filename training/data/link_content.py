"""The films' link content as a SciPy matrix, for training's sparse products (the engine reads the same weights
through engine/content.LinkContent, without SciPy)."""
from __future__ import annotations

import numpy as np
from scipy import sparse

from engine.content import LinkContent


def link_tfidf(link_indptr: np.ndarray, link_indices: np.ndarray, n_links: int | None = None) -> sparse.csr_matrix:
    """Films x links, idf-weighted (idf over the whole catalogue), rows of unit length: the engine's link content.
    `n_links`: the width (every link the films can have); by default the highest link id used, plus one."""
    if n_links is None:
        n_links = int(np.max(link_indices, initial=-1)) + 1
    content = LinkContent(link_indptr, link_indices, n_links)
    return sparse.csr_matrix((content.data, content.indices, content.indptr), shape=(content.n_films, n_links))
