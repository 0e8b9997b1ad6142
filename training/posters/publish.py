"""The poster view published as a new version: every file of the version CURRENT names, hard-linked (the bundle
writer's `keep`), plus poster_vectors.npy, poster_films.npy and posters.ann (engine/bundle.py), the manifest's
`posters` section added. Built in a temporary directory, renamed into place, then CURRENT swapped, as `train` does,
so running engines pick it up within seconds."""
from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from engine.bundle import POSTER_FILES, POSTER_THUMBNAILS, current_version, verify
from engine.errors import BundleError
from engine.vectors import normalize_rows
from training.publish.bundle import activate_version, new_version
from training.publish.writer import BundleWriter

POSTER_TREES = 50  # Annoy trees over a few thousand posters (engines search so few exactly unless MOVIELIKE_SEARCH=annoy)


def publish_posters(models_dir: Path, vectors: np.ndarray, films: np.ndarray, section: dict, n_trees: int = POSTER_TREES,
                    keep: int = 3, thumbnails: np.ndarray | None = None, computed_on: str | None = None) -> Path:
    """Publish the current version plus the poster view (row i of `vectors` is film `films[i]`; of `thumbnails`, its
    poster, small) and make it CURRENT.

    `section` goes into the manifest as `posters`, with `dim` and `films` (the count) added. A poster view the
    current version already has is replaced. BundleError when nothing is published, the current version does not
    verify, or CURRENT moved to another version meanwhile (a retrain: run `posters` again on it). `computed_on`: the
    version whose catalogue the film ids come from (the one CURRENT named when the posters were read): film ids mean
    other films in another version, so nothing is published when CURRENT names another one now.
    """
    models_dir = Path(models_dir)
    source_version = current_version(models_dir)
    if source_version is None:
        raise BundleError(f"No model published in {models_dir}. Train one with `movielike-train train` first.")
    if computed_on is not None and source_version != computed_on:
        raise BundleError(f"{models_dir / 'CURRENT'} moved from {computed_on} to {source_version} while the posters were "
                          "computed; nothing was published. Run `movielike-train posters` again.")
    source = models_dir / source_version
    manifest = verify(source)
    vectors = np.asarray(vectors)
    films = np.asarray(films)
    n_films = int(manifest["counts"]["films"])
    if (vectors.ndim != 2 or len(vectors) != len(films) or len(films) == 0 or len(np.unique(films)) != len(films)
            or not 0 <= int(films.min()) <= int(films.max()) < n_films):
        raise ValueError(f"poster vectors {vectors.shape} do not fit {films.shape[0]} unique film ids below {n_films}")
    if thumbnails is not None and (np.ndim(thumbnails) != 4 or len(thumbnails) != len(films)):
        raise ValueError(f"poster thumbnails {np.shape(thumbnails)} do not fit {len(films)} posters")
    version = new_version()
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=models_dir))
    try:
        writer = BundleWriter(staging)
        for name, entry in manifest["files"].items():
            if name not in (*POSTER_FILES, POSTER_THUMBNAILS):
                writer.keep(name, source / name, entry)
        unit = normalize_rows(vectors)
        writer.array("poster_vectors.npy", unit)
        writer.array("poster_films.npy", films.astype(np.int32))
        writer.annoy("posters.ann", unit, n_trees)
        if thumbnails is not None:
            writer.array(POSTER_THUMBNAILS, np.asarray(thumbnails, dtype=np.uint8))
        writer.finish({
            **{key: value for key, value in manifest.items() if key != "files"},
            "version": version,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "derived_from": source_version,
            "posters": {**section, "dim": int(unit.shape[1]), "films": len(films), "n_trees": n_trees},
        })
        os.chmod(staging, 0o755)
        os.rename(staging, models_dir / version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if current_version(models_dir) != source_version:  # a retrain published while the posters were computed
        shutil.rmtree(models_dir / version, ignore_errors=True)
        raise BundleError(f"{models_dir / 'CURRENT'} moved from {source_version} to {current_version(models_dir)} "
                          "while the posters were computed; nothing was published. Run `movielike-train posters` again.")
    activate_version(models_dir, version, keep)
    return models_dir / version
