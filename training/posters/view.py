"""What `movielike-train posters` does: find each film's poster (a folder, or downloaded) -> embed the posters ->
measure the genre-sharing figure -> publish the current version plus the poster view, and make it CURRENT."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.bundle import current_version, sha256_of
from engine.errors import BundleError
from training.posters.download import DownloadSettings, PosterDownloader
from training.posters.embed import DEFAULT_MODEL, IMAGE_SIZE, embed_posters
from training.posters.genres import genre_share, genres_of_titles
from training.posters.images import best_known_first, catalogue_urls, folder_posters, thumbnails
from training.posters.publish import POSTER_TREES, publish_posters


class PosterError(Exception):
    """No posters to embed, or a download that stopped: nothing was published; the message says what to do."""


@dataclass(frozen=True)
class PosterSource:
    """A folder of JPEGs named by MovieLens id, or (`download`) the catalogue's image URLs fetched into a cache."""

    folder: Path | None = None
    download: DownloadSettings | None = None

    def describe(self) -> str:
        return f"download into {self.download.cache}" if self.download else f"folder {self.folder}"


@dataclass
class PosterRun:
    bundle: Path  # the version published
    section: dict  # its manifest's `posters` section


def build_poster_view(models_dir: Path, source: PosterSource, model: str = DEFAULT_MODEL, weights="imagenet",
                      image_size: int = IMAGE_SIZE, films_path: Path | None = None, limit: int | None = None,
                      batch_size: int = 32, n_trees: int = POSTER_TREES, keep: int = 3, seed: int = 42,
                      progress: bool = True, out=sys.stderr) -> PosterRun:
    """The whole command; prints what it does to `out`. `weights`: 'imagenet', None (random, seeded) or a file.
    `films_path`: the films file whose infobox genres the figure reads (default: the one the model was trained on).
    `limit`: only the best-known films with a poster."""
    models_dir = Path(models_dir)
    version = current_version(models_dir)
    if version is None:
        raise BundleError(f"No model published in {models_dir}. Train one with `movielike-train train` first.")
    bundle = models_dir / version
    catalogue = json.loads((bundle / "films.json").read_text())
    popularity = np.load(bundle / "popularity.npy")
    if source.download is not None:
        wanted = best_known_first(catalogue_urls(catalogue["images"]), popularity, limit)
        print(f"{len(wanted):,} films of {version} have a poster URL; downloading politely into {source.download.cache} "
              f"(one request every {source.download.delay:g}s at most; cached posters are not fetched again)", file=out)
        report = PosterDownloader(source.download).fetch_all(wanted, progress)
        print(f"{report.downloaded:,} downloaded, {report.cached:,} already cached, {len(report.failed):,} failed "
              f"({report.requests:,} requests)", file=out)
        for film, why in list(report.failed.items())[:5]:
            print(f"  {catalogue['titles'][film]}: {why}", file=out)
        if report.stopped:
            raise PosterError(f"the download stopped: {report.stopped}. Nothing was published.")
        posters = report.paths
    else:
        posters = best_known_first(folder_posters(source.folder, catalogue["movielens_ids"]), popularity, limit)
        print(f"{len(posters):,} films of {version} have a poster in {source.folder}", file=out)
    if not posters:
        raise PosterError(f"no film of {version} has a poster in the {source.describe()}: nothing to publish. "
                          "Posters are named <MovieLens id>.jpg (--images), or come from the catalogue's URLs (--download).")
    embedding = embed_posters(posters, model, weights, image_size, batch_size, seed=seed, progress=progress)
    if len(embedding.films) == 0:
        raise PosterError(f"none of the {len(posters):,} poster files is an image Pillow can read; nothing was published.")
    weights_name = "imagenet" if weights == "imagenet" else "none" if weights is None else "file"
    described = {"imagenet": "ImageNet weights", "none": "random weights", "file": f"weights from {weights}"}[weights_name]
    print(f"embedded {len(embedding.films):,} posters with {model} ({described}, {image_size} px) in "
          f"{embedding.seconds:.1f}s ({len(embedding.unreadable)} unreadable)", file=out)
    section = {
        "model": model,
        "weights": weights_name,
        **({"weights_file": Path(weights).name, "weights_sha256": sha256_of(Path(weights))} if weights_name == "file" else {}),
        "image_size": image_size,
        "source": "download" if source.download else "folder",
        "seconds": round(embedding.seconds, 1),
        "seconds_per_poster": round(embedding.seconds / len(embedding.films), 4),
        "unreadable": len(embedding.unreadable),
        "figures": _figures(bundle, catalogue, embedding, films_path, out),
    }
    small = thumbnails([posters[int(film)] for film in embedding.films])
    published = publish_posters(models_dir, embedding.vectors, embedding.films, section, n_trees, keep, small,
                                computed_on=version)
    print(f"published {published} (from {version}, with the poster view of {len(embedding.films):,} films)", file=out)
    return PosterRun(published, json.loads((published / "manifest.json").read_text())["posters"])


def _figures(bundle: Path, catalogue: dict, embedding, films_path: Path | None, out) -> dict | None:
    """The genre-sharing figure (training/posters/genres.py), printed; None with a note when no films file is there."""
    if films_path is None:
        films_path = json.loads((bundle / "manifest.json").read_text()).get("input", {}).get("films_file")
    if not films_path or not Path(films_path).is_file():
        print(f"no films file at {films_path} for the genres: the genre-sharing figure is left out (--films PATH)", file=out)
        return None
    genres = genres_of_titles(Path(films_path), catalogue["titles"])
    figures = genre_share(embedding.films, embedding.vectors, genres, np.load(bundle / "film_vectors.npy"),
                          np.load(bundle / "film_neighbours.npy", mmap_mode="r"))
    if figures.get("posters") is not None:
        print(f"top {figures['k']} sharing a genre with the film, over {figures['films']:,} films with a poster and "
              f"genres: posters {figures['posters']:.3f}, links among the same films {figures['links_among_posters']:.3f}, "
              f"links as served {figures['links']:.3f}, random {figures['random']:.3f}", file=out)
    return {"genre_share_at_10": figures}
