"""The poster view: films whose posters look alike, by the cosine of image features computed offline
(`movielike-train posters`: a Keras image model's pooled features, one unit row a poster)."""
from __future__ import annotations

import numpy as np
from annoy import AnnoyIndex

from engine.search import VectorSearch


class PosterView:
    """Nearest posters by cosine over the films that have one (a few thousand at most: exact search unless asked)."""

    def __init__(self, vectors: np.ndarray, films: np.ndarray, index: AnnoyIndex, mode: str, search_k: int,
                 thumbnails: np.ndarray | None = None):
        self.films = np.asarray(films, dtype=np.int64)  # row -> film id
        self.row_of = {film: row for row, film in enumerate(self.films.tolist())}
        self.search = VectorSearch(vectors, index, mode, search_k)
        self.thumbnails = thumbnails  # memory-mapped (rows, height, width, 3) uint8, or None

    def __len__(self) -> int:
        return len(self.films)

    def has_poster(self, film_id: int) -> bool:
        return int(film_id) in self.row_of

    def thumbnail(self, film_id: int) -> np.ndarray | None:
        """The film's poster, small (height x width x 3, uint8 RGB), when the bundle keeps thumbnails and it has one."""
        row = self.row_of.get(int(film_id))
        return None if row is None or self.thumbnails is None else np.asarray(self.thumbnails[row])

    def neighbours(self, film_id: int, k: int, skip: set[int]) -> tuple[np.ndarray, np.ndarray]:
        """Film ids of the k posters nearest `film_id`'s (which must have one), best first, none in `skip`, and their
        cosines in [-1, 1]. Fewer than k when fewer films have posters."""
        row = self.row_of[int(film_id)]
        exclude = {self.row_of[i] for i in skip if i in self.row_of} | {row}
        rows, scores = self.search.nearest(self.search.vectors[row], k, exclude=exclude)
        return self.films[rows], scores
