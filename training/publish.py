"""Write a model bundle atomically: build in a temporary directory, rename into place, then swap CURRENT."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from annoy import AnnoyIndex

from engine.bundle import (CURRENT, FILES, FORMAT, MANIFEST, NEIGHBOURS, OPTIONAL_FILES, RATING_FILES, current_version,
                           sha256_of)
from training.dataset import LinkDataset
from training.ratings_export import RatingsExport, impute_unrated, write_rating_files


def build_annoy(vectors: np.ndarray, path: Path, n_trees: int, seed: int = 42) -> None:
    index = AnnoyIndex(vectors.shape[1], "angular")
    index.set_seed(seed)
    for i, vector in enumerate(vectors):
        index.add_item(i, vector.tolist())
    index.build(n_trees, n_jobs=-1)
    index.save(str(path))
    index.unload()


def exact_neighbours(vectors: np.ndarray, k: int = NEIGHBOURS, block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Each row's k nearest other rows by cosine (vectors are normalised), best first; blocked to bound memory."""
    k = min(k, len(vectors) - 1)
    ids = np.empty((len(vectors), k), dtype=np.int32)
    scores = np.empty((len(vectors), k), dtype=np.float32)
    for start in range(0, len(vectors), block):
        sims = vectors[start : start + block] @ vectors.T
        rows = np.arange(len(sims))
        sims[rows, rows + start] = -np.inf
        top = np.argpartition(sims, sims.shape[1] - k, axis=1)[:, -k:]
        top_scores = np.take_along_axis(sims, top, axis=1)
        order = np.argsort(-top_scores, axis=1, kind="stable")
        ids[start : start + block] = np.take_along_axis(top, order, axis=1)
        scores[start : start + block] = np.take_along_axis(top_scores, order, axis=1)
    return ids, scores


def _write_json(path: Path, value) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))


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
) -> Path:
    """Write every file of a bundle, then publish it as CURRENT. Returns the new bundle's directory.

    `ratings` adds the ratings view (films MovieLens never rated get factors from their link neighbours).
    `activate=False` leaves CURRENT alone, for a caller that evaluates the bundle first, then `activate_version`.
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
        np.save(staging / "film_vectors.npy", film_vectors.astype(np.float32))
        np.save(staging / "link_vectors.npy", link_vectors.astype(np.float32))
        np.save(staging / "film_links_indptr.npy", dataset.link_indptr.astype(np.int64))
        np.save(staging / "film_links_indices.npy", dataset.link_indices.astype(np.int32))
        np.save(staging / "popularity.npy", popularity.astype(np.float32))
        neighbours, neighbour_scores = exact_neighbours(film_vectors.astype(np.float32))
        np.save(staging / "film_neighbours.npy", neighbours)
        np.save(staging / "film_neighbour_scores.npy", neighbour_scores)
        names = FILES + OPTIONAL_FILES
        if ratings is not None:
            ratings_section = write_rating_files(staging, impute_unrated(ratings, neighbours, neighbour_scores))
            manifest_extra = {**manifest_extra, "ratings": {**manifest_extra.get("ratings", {}), **ratings_section}}
            names += RATING_FILES
        _write_json(staging / "films.json", _catalogue(dataset))
        _write_json(staging / "links.json", dataset.link_titles)
        film_ids = {film.title: i for i, film in enumerate(dataset.films)}
        _write_json(staging / "aliases.json", [[alias, film_ids[target]] for alias, target in aliases if target in film_ids])
        build_annoy(film_vectors, staging / "films.ann", n_trees)
        build_annoy(link_vectors, staging / "links.ann", max(10, n_trees // 2))
        manifest = {
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
                "pairs": int(len(dataset.pair_films)),
            },
            **manifest_extra,
            "files": {name: {"sha256": sha256_of(staging / name), "bytes": (staging / name).stat().st_size}
                      for name in names},
        }
        _write_json(staging / MANIFEST, manifest)
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
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=bundle_dir)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, separators=(",", ":"))
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    return manifest


def point_current(models_dir: Path, version: str) -> None:
    """Make CURRENT name `version`, atomically (write a temporary file, then os.replace)."""
    handle, temporary = tempfile.mkstemp(prefix=".CURRENT-", dir=models_dir)
    with os.fdopen(handle, "w") as out:
        out.write(version + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, Path(models_dir) / CURRENT)


def versions(models_dir: Path) -> list[str]:
    """Published versions, oldest first."""
    return sorted(p.name for p in Path(models_dir).iterdir() if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).exists())


def prune(models_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` versions (never the current one); returns what was deleted."""
    current = current_version(models_dir)
    removable = [v for v in versions(models_dir) if v != current]
    doomed = removable[: max(0, len(removable) - max(keep - 1, 0))]
    for version in doomed:
        shutil.rmtree(Path(models_dir) / version, ignore_errors=True)
    return doomed
