"""Turn films into integer (film, link) training pairs and the link vocabulary the model learns vectors for."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from training.data.films import FilmRecord


@dataclass
class LinkDataset:
    """Films that keep at least one model link, the model's link vocabulary, and every (film, link) pair.

    `link_titles` lists the model links first (ids < n_model_links, the ones with vectors), then the rarer links
    that are kept only to explain results. `film_links` is CSR over all links: film i links to
    `link_indices[link_indptr[i]:link_indptr[i+1]]`.
    """

    films: list[FilmRecord]
    link_titles: list[str]
    n_model_links: int
    link_indptr: np.ndarray
    link_indices: np.ndarray
    pair_films: np.ndarray
    pair_links: np.ndarray
    dropped_films: int

    @property
    def n_films(self) -> int:
        return len(self.films)

    def links_of(self, film_id: int) -> np.ndarray:
        return self.link_indices[self.link_indptr[film_id] : self.link_indptr[film_id + 1]]


def build_dataset(films: list[FilmRecord], min_films_per_link: int = 3) -> LinkDataset:
    """Keep links used by at least `min_films_per_link` films; drop films left with none (they cannot be placed)."""
    counts = Counter(link for film in films for link in film.links)
    model_links = sorted((link for link, n in counts.items() if n >= min_films_per_link), key=lambda link: (-counts[link], link))
    model_ids = {link: i for i, link in enumerate(model_links)}
    kept_films = [film for film in films if any(link in model_ids for link in film.links)]
    other_links = sorted({link for film in kept_films for link in film.links if link not in model_ids})
    link_ids = dict(model_ids)
    for link in other_links:
        link_ids[link] = len(link_ids)

    indptr = np.zeros(len(kept_films) + 1, dtype=np.int64)
    indices: list[int] = []
    pair_films: list[int] = []
    pair_links: list[int] = []
    for film_id, film in enumerate(kept_films):
        ids = [link_ids[link] for link in film.links]
        indices.extend(ids)
        indptr[film_id + 1] = len(indices)
        for link_id in ids:
            if link_id < len(model_links):
                pair_films.append(film_id)
                pair_links.append(link_id)
    return LinkDataset(
        films=kept_films,
        link_titles=model_links + other_links,
        n_model_links=len(model_links),
        link_indptr=indptr,
        link_indices=np.asarray(indices, dtype=np.int32),
        pair_films=np.asarray(pair_films, dtype=np.int32),
        pair_links=np.asarray(pair_links, dtype=np.int32),
        dropped_films=len(films) - len(kept_films),
    )
