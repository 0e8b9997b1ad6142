"""Where posters come from and how one is read: a folder of JPEGs named by MovieLens id (`<movielens_id>.jpg`, as in
the shared data's posters/ml_movieid_jpg), or the image URLs of the bundle's catalogue (films.json `images`)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

URL_SCHEMES = ("https://", "http://")


def folder_posters(folder: Path, movielens_ids: list[int | None]) -> dict[int, Path]:
    """Film id -> poster file for every catalogue film whose MovieLens id names a file `<id>.jpg` in `folder`."""
    folder = Path(folder)
    named = {path.stem: path for path in folder.glob("*.jpg") if path.is_file()}
    return {film: named[str(movielens_id)] for film, movielens_id in enumerate(movielens_ids)
            if movielens_id is not None and str(movielens_id) in named}


def catalogue_urls(images: list[str | None]) -> dict[int, str]:
    """Film id -> poster URL for every catalogue film with an http(s) image address."""
    return {film: url.strip() for film, url in enumerate(images)
            if isinstance(url, str) and url.strip().lower().startswith(URL_SCHEMES)}


def best_known_first(films: dict[int, object], popularity: np.ndarray, limit: int | None) -> dict[int, object]:
    """`films` ordered by popularity (best known first; ties by id), cut to `limit` when given."""
    order = sorted(films, key=lambda film: (-float(popularity[film]), film))
    return {film: films[film] for film in order[:limit]}


THUMBNAIL_SIZE = (32, 48)  # width, height: a poster's 2:3, small enough for 30k films in 140 MB, big enough to see


def thumbnails(paths: list[Path], size: tuple[int, int] = THUMBNAIL_SIZE) -> np.ndarray:
    """Each poster shrunk to `size` (width, height), as (len(paths), height, width, 3) uint8 RGB, for pictures that
    show posters (the map in Slack); mid-grey for a file Pillow cannot read."""
    from PIL import Image, UnidentifiedImageError

    width, height = size
    out = np.full((len(paths), height, width, 3), 128, dtype=np.uint8)
    for row, path in enumerate(paths):
        try:
            with Image.open(path) as image:
                out[row] = np.asarray(image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS))
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
            continue
    return out


def read_poster(path: Path, size: int) -> np.ndarray | None:
    """The image as a (size, size, 3) float32 RGB array in [0, 255], squeezed to a square as the seed did (the whole
    poster kept, its 2:3 shape stretched); None when the file is not an image Pillow reads."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB").resize((size, size), Image.Resampling.BILINEAR), dtype=np.float32)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
