"""Publish a model bundle atomically: build it in a temporary directory, rename it into place, then swap CURRENT."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from engine.bundle import FORMAT, LINK_KINDS, MANIFEST, NEIGHBOURS, current_version, published_versions, write_current
from engine.film_links import FilmLinks
from training.links.dataset import LinkDataset
from training.publish.link_kinds import infer_link_kinds
from training.publish.neighbours import link_neighbours
from training.publish.rating_neighbours import rating_neighbours
from training.publish.writer import BundleWriter, write_json_atomically
from training.ratings.export import RatingsExport, impute_unrated

RATINGS_TREES = 50  # Annoy trees over the ratings view's factors
RATING_NEIGHBOURS = 150  # stored per rated film: similar() blends the nearest 100 (engine/similar.RATINGS_POOL), and
# the margin keeps it a lookup when some of those are films the user marked seen (11 MB at 9.6k rated films)


def film_links_of(dataset: LinkDataset, aliases: list[tuple[str, str]] = ()) -> FilmLinks:
    """Which films' articles link to which (titles and redirects both name a film), as the engine will read them."""
    titles = [film.title for film in dataset.films]
    id_of_key = {title: i for i, title in enumerate(titles)}
    for alias, target in aliases:
        if target in id_of_key:
            id_of_key.setdefault(alias, id_of_key[target])
    return FilmLinks(dataset.link_titles, dataset.link_indptr, dataset.link_indices, titles, id_of_key)


def stored_neighbours(dataset: LinkDataset, film_vectors: np.ndarray, aliases: list[tuple[str, str]] = (),
                      k: int = NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
    """The links view's nearest films of every film (publish/neighbours.py), as the bundle stores them."""
    return link_neighbours(film_vectors.astype(np.float32), dataset.link_indptr, dataset.link_indices,
                           len(dataset.link_titles), film_links_of(dataset, aliases), k)


def write_ratings_view(writer: BundleWriter, export: RatingsExport, n_trees: int = RATINGS_TREES) -> dict:
    """The ratings view's files (factors, biases, counts, an Annoy index over rated films); returns the manifest's
    `ratings` section."""
    writer.array("rating_factors.npy", export.factors.astype(np.float32))
    writer.array("rating_biases.npy", export.biases.astype(np.float32))
    writer.array("rating_counts.npy", export.counts.astype(np.int32))
    writer.annoy("ratings.ann", export.factors, n_trees, ids=np.flatnonzero(export.counts > 0))
    neighbour_ids, neighbour_scores = rating_neighbours(export.factors, export.counts, RATING_NEIGHBOURS)
    writer.array("rating_neighbours.npy", neighbour_ids)
    writer.array("rating_neighbour_scores.npy", neighbour_scores)
    parts = {}  # the optional parts' manifest sections
    if export.ease is not None:
        writer.array("ease_indptr.npy", export.ease.indptr.astype(np.int64))
        writer.array("ease_indices.npy", export.ease.indices.astype(np.int32))
        writer.array("ease_weights.npy", export.ease.weights.astype(np.float32))
        parts["ease"] = export.ease.info
    if export.crowd is not None:
        writer.array("crowd_biases.npy", export.crowd.biases.astype(np.float32))
        writer.array("crowd_counts.npy", export.crowd.counts.astype(np.int32))
        parts["favourites"] = export.crowd.info
    return {
        **export.info,
        **parts,
        "dim": int(export.factors.shape[1]),
        "films_with_ratings": int((export.counts > 0).sum()),
        "films_estimated": int(((export.counts == 0) & (np.abs(export.factors).sum(axis=1) > 0)).sum()),
    }


def film_genres(dataset: LinkDataset) -> dict:
    """genres.json: the genre names (sorted) and, as CSR, the indexes of each film's genres (film i's are
    indices[indptr[i]:indptr[i + 1]])."""
    names = sorted({genre for film in dataset.films for genre in film.genres}, key=str.casefold)
    index = {name: i for i, name in enumerate(names)}
    indptr, indices = [0], []
    for film in dataset.films:
        indices.extend(index[genre] for genre in film.genres)
        indptr.append(len(indices))
    return {"names": names, "indptr": indptr, "indices": indices}


def _catalogue(dataset: LinkDataset) -> dict:
    films = dataset.films
    return {
        "titles": [f.title for f in films],
        "years": [f.year for f in films],
        "images": [f.infobox.get("image") or None for f in films],
        "directors": [f.infobox.get("director") or None for f in films],
        "movielens_ids": [f.movielens_id for f in films],
    }


def new_version(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"


def publish_bundle(
    models_dir: Path,
    dataset: LinkDataset,
    film_vectors: np.ndarray,
    link_vectors: np.ndarray,
    popularity: np.ndarray,
    manifest_extra: dict,
    n_trees: int = 100,
    keep: int = 3,
    aliases: list[tuple[str, str]] = (),
    ratings: RatingsExport | None = None,
    activate: bool = True,
    neighbours: tuple[np.ndarray, np.ndarray] | None = None,
) -> Path:
    """Write every file of a bundle, then publish it as CURRENT. Returns the new bundle's directory.

    `ratings` adds the ratings view (films MovieLens never rated get factors from their link neighbours).
    `activate=False` leaves CURRENT alone, for a caller that evaluates the bundle first, then `activate_version`.
    `neighbours`: the links view's stored neighbours (ids, scores) when the caller computed them already.
    """
    if film_vectors.shape[0] != dataset.n_films or link_vectors.shape[0] != dataset.n_model_links:
        raise ValueError(
            f"vectors do not fit the dataset: films {film_vectors.shape} for {dataset.n_films} films, "
            f"links {link_vectors.shape} for {dataset.n_model_links} links"
        )
    if film_vectors.shape[1] < 1 or film_vectors.shape[1] != link_vectors.shape[1]:
        raise ValueError(f"film and link vectors need one positive dimension: {film_vectors.shape} vs {link_vectors.shape}")
    models_dir = Path(models_dir)
    models_dir.mkdir(parents=True, exist_ok=True)
    version = new_version()
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=models_dir))
    try:
        writer = BundleWriter(staging)
        writer.array("film_vectors.npy", film_vectors.astype(np.float32))
        writer.array("link_vectors.npy", link_vectors.astype(np.float32))
        writer.array("film_links_indptr.npy", dataset.link_indptr.astype(np.int64))
        writer.array("film_links_indices.npy", dataset.link_indices.astype(np.int32))
        writer.array("popularity.npy", popularity.astype(np.float32))
        neighbours, neighbour_scores = neighbours or stored_neighbours(dataset, film_vectors, aliases)
        writer.array("film_neighbours.npy", neighbours)
        writer.array("film_neighbour_scores.npy", neighbour_scores)
        if ratings is not None:
            section = write_ratings_view(writer, impute_unrated(ratings, neighbours, neighbour_scores))
            manifest_extra = {**manifest_extra, "ratings": {**manifest_extra.get("ratings", {}), **section}}
        writer.json("films.json", _catalogue(dataset))
        writer.json("links.json", dataset.link_titles)
        writer.array(LINK_KINDS, infer_link_kinds(dataset.films, dataset.link_titles))  # for pages_like(kind=...)
        writer.json("genres.json", film_genres(dataset))
        film_ids = {film.title: i for i, film in enumerate(dataset.films)}
        writer.json("aliases.json", [[alias, film_ids[target]] for alias, target in aliases if target in film_ids])
        writer.annoy("films.ann", film_vectors, n_trees)
        writer.annoy("links.ann", link_vectors, max(10, n_trees // 2))
        writer.finish({
            "format": FORMAT,
            "version": version,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "dim": int(film_vectors.shape[1]),
            "metric": "angular",
            "annoy": {"films_n_trees": n_trees, "links_n_trees": max(10, n_trees // 2)},
            "counts": {
                "films": dataset.n_films,
                "model_links": dataset.n_model_links,
                "links": len(dataset.link_titles),
                "pairs": len(dataset.pair_films),
            },
            **manifest_extra,
        })
        os.chmod(staging, 0o755)
        final = models_dir / version
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if activate:
        activate_version(models_dir, version, keep)
    return final


def activate_version(models_dir: Path, version: str, keep: int = 3) -> None:
    """Make a written bundle the live one (CURRENT) and delete old versions beyond `keep`."""
    point_current(models_dir, version)
    prune(models_dir, keep)


def update_manifest(bundle_dir: Path, changes: dict) -> dict:
    """Merge `changes` into a bundle's manifest, atomically (temporary file, then rename). Returns the new manifest.

    The manifest lists the other files' checksums and is not listed itself, so evaluation results can be added later.
    """
    path = Path(bundle_dir) / MANIFEST
    manifest = {**json.loads(path.read_text()), **changes}
    write_json_atomically(path, manifest)
    return manifest


def point_current(models_dir: Path, version: str) -> None:
    """Make CURRENT name `version`, atomically (write a temporary file, fsync, then os.replace)."""
    write_current(models_dir, version)


def prune(models_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` versions (never the current one); returns what was deleted."""
    current = current_version(models_dir)
    removable = [v for v in published_versions(models_dir) if v != current]
    doomed = removable[: max(0, len(removable) - max(keep - 1, 0))]
    for version in doomed:
        shutil.rmtree(Path(models_dir) / version, ignore_errors=True)
    return doomed
