"""The model bundle: a versioned directory with a manifest, the contract between `training` (writes) and `engine` (reads).

models/
  CURRENT                 the name of the live version (replaced atomically)
  <version>/manifest.json format, version, created_at, sha256 and size of every file, counts, dim, metrics
  <version>/films.ann     Annoy index (angular) over film vectors; links.ann the same over link vectors
  <version>/film_vectors.npy, link_vectors.npy   normalised float32 vectors (row i = film/link id i)
  <version>/films.json    columnar catalogue: titles, years, images, directors, movielens_ids
  <version>/links.json    link titles; ids below manifest counts.model_links have vectors
  <version>/film_links_indptr.npy, film_links_indices.npy   CSR: the links of each film (for explanations)
  <version>/popularity.npy   how well known each film is, in [0, 1]
  <version>/aliases.json  [[other name, film id], ...]: Wikipedia redirects to films, for title resolution
  <version>/film_neighbours.npy, film_neighbour_scores.npy   each film's 100 nearest films in the links view, best
                          first (int32 ids, float32 scores: cosine + exact link evidence, training/publish/neighbours.py),
                          computed when publishing
  <version>/rating_factors.npy, rating_biases.npy, rating_counts.npy   the taste model's film factors (float32,
                          n_films x manifest ratings.dim), biases and MovieLens rating counts; films with no ratings
                          carry factors estimated from their link neighbours (count 0). Optional: absent without ratings
  <version>/ratings.ann   Annoy index (angular) over the factors of the films with ratings
  <version>/rating_neighbours.npy, rating_neighbour_scores.npy   each rated film's nearest rated films in the ratings
                          view, best first (row r = the r-th film with ratings, by film id; int32 ids, float32 cosines
                          of their factors), computed when publishing so similar() reads them instead of scoring every
                          rated film. Optional, both or none (with ratings; older bundles lack them)
  <version>/ease_indptr.npy, ease_indices.npy, ease_weights.npy   CSR over film ids: EASE item-item weights over
                          every rated film (who watched what), the largest few hundred a film. Optional (with ratings)
  <version>/poster_vectors.npy, poster_films.npy, posters.ann   the poster view (`movielike-train posters`): image
                          features of the films' posters (float32 unit rows, manifest posters.dim wide), the film id
                          of each row (int32, unique) and an Annoy index (angular) over the rows (item i = row i).
                          Optional, all or none, with the manifest's `posters` section (model, weights, figures)
  <version>/poster_thumbnails.npy   each poster row's poster, 48 x 32 pixels (uint8 RGB), for pictures (the map in
                          Slack). Optional within the poster part
  <version>/crowd_biases.npy, crowd_counts.npy   crowd favourites: each film's rating-predictor bias in stars (how
                          much better its raters rate it than their usual), shrunk by n / (n + 5), float32, and the
                          ratings n it was learned from (int32; 0 = unrated, bias 0). Optional, both or none, with
                          the manifest's ratings.favourites section (training/ratings/crowd.py)
  <version>/genres.json   {"names": [...], "indptr": [...], "indices": [...]}: CSR over film ids, film i's genres are
                          names[indices[indptr[i]:indptr[i + 1]]] (infobox genres). Optional (older bundles lack it)
  <version>/link_kinds.npy  each link's kinds, (links, 2) uint16: every kind's bit and the main kind's bit (director,
                          actor, company, genre, place, category, film...; engine/kinds.py), read from the infobox
                          fields films name it in. Optional: without it pages_like cannot filter by kind
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from annoy import AnnoyIndex

from engine.errors import BundleError
from engine.kinds import check_kinds

FORMAT = 1
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
FILES = (
    "films.ann",
    "links.ann",
    "film_vectors.npy",
    "link_vectors.npy",
    "films.json",
    "links.json",
    "film_links_indptr.npy",
    "film_links_indices.npy",
    "popularity.npy",
    "film_neighbours.npy",
    "film_neighbour_scores.npy",
)
OPTIONAL_FILES = ("aliases.json", "poster_thumbnails.npy", "link_kinds.npy", "genres.json")  # added after format 1: checked when listed
EASE_FILES = ("ease_indptr.npy", "ease_indices.npy", "ease_weights.npy")  # all or none, optional: added later
RATING_FILES = ("rating_factors.npy", "rating_biases.npy", "rating_counts.npy", "ratings.ann")  # all or none
RATING_NEIGHBOUR_FILES = ("rating_neighbours.npy", "rating_neighbour_scores.npy")  # both or none, optional: added later
FAVOURITE_FILES = ("crowd_biases.npy", "crowd_counts.npy")  # both or none, optional: added later (crowd favourites)
POSTER_THUMBNAILS = "poster_thumbnails.npy"  # optional within the poster part: small posters for pictures
POSTER_FILES = ("poster_vectors.npy", "poster_films.npy", "posters.ann")  # all or none, optional: `movielike-train posters`
LINK_KINDS = "link_kinds.npy"  # optional: each link's kinds (person, studio, genre...), for pages_like(kind=...)
RELOAD_CHANNEL = "movielike:models"  # the trainer publishes a new version's name here; bots reload at once
NEIGHBOURS = 100  # exact nearest films stored per film: similar() for a known film is then a lookup


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def current_version(models_dir: Path) -> str | None:
    """The version named by CURRENT, or None when nothing has been published."""
    try:
        return (Path(models_dir) / CURRENT).read_text().strip() or None
    except FileNotFoundError:
        return None


@dataclass
class RatingArrays:
    """The ratings view's arrays (row i = film id i) and the fold-in weights the taste model was trained with."""

    factors: np.ndarray
    biases: np.ndarray
    counts: np.ndarray
    alpha: float
    fold_in_l2: float
    index: AnnoyIndex
    ease: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # (indptr, indices, weights); None in older bundles
    neighbours: tuple[np.ndarray, np.ndarray] | None = None  # (ids, scores), a row per rated film; None in older bundles


@dataclass
class PosterArrays:
    """The poster view: unit image-feature rows, the film id of each row, and an Annoy index whose item i is row i."""

    vectors: np.ndarray
    films: np.ndarray
    index: AnnoyIndex
    thumbnails: np.ndarray | None = None  # (posters, height, width, 3) uint8: row i is film films[i]'s poster, small


@dataclass
class Bundle:
    """A loaded, verified bundle. Vectors and Annoy indexes are memory-mapped, so processes share their pages."""

    path: Path
    manifest: dict
    film_vectors: np.ndarray
    link_vectors: np.ndarray
    film_index: AnnoyIndex
    link_index: AnnoyIndex
    films: dict
    link_titles: list[str]
    link_indptr: np.ndarray
    link_indices: np.ndarray
    popularity: np.ndarray
    neighbours: np.ndarray
    neighbour_scores: np.ndarray
    aliases: list
    ratings: RatingArrays | None = None
    posters: PosterArrays | None = None
    favourites: tuple[np.ndarray, np.ndarray] | None = None  # (shrunk biases, counts) by film id; None in older bundles
    genres: dict | None = None  # genres.json (names, indptr, indices); None in older bundles
    link_kinds: np.ndarray | None = None  # (links, 2) uint16, engine/kinds.py; None in bundles from before kinds

    @property
    def version(self) -> str:
        return self.manifest["version"]

    @property
    def n_films(self) -> int:
        return len(self.films["titles"])


def verify(path: Path) -> dict:
    """Read and check the manifest and every file's size and sha256; raise BundleError saying what is wrong."""
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BundleError(f"{path} is not a model bundle: {MANIFEST} is missing. Publish one with `movielike-train train`.")
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise BundleError(f"{manifest_path} cannot be read ({error}). Retrain with `movielike-train train`.") from None
    if manifest.get("format") != FORMAT:
        raise BundleError(
            f"{path} has bundle format {manifest.get('format')!r}, this engine reads format {FORMAT}. "
            "Retrain with this version's `movielike-train train`, or upgrade movielike."
        )
    listed = manifest.get("files", {})
    has_ratings = any(name in listed for name in RATING_FILES)
    if has_ratings and "ratings" not in manifest:
        raise BundleError(f"{path}: the manifest lists rating files but no ratings section; the bundle is incomplete. Retrain.")
    has_ease = any(name in listed for name in EASE_FILES)
    has_favourites = any(name in listed for name in FAVOURITE_FILES)
    has_rating_neighbours = any(name in listed for name in RATING_NEIGHBOUR_FILES)
    if has_rating_neighbours and not has_ratings:
        raise BundleError(f"{path}: the manifest lists the ratings view's neighbours but no rating files; the bundle "
                          "is incomplete. Retrain.")
    if has_favourites and "favourites" not in manifest.get("ratings", {}):
        raise BundleError(f"{path}: the manifest lists crowd favourite files but no ratings.favourites section; the "
                          "bundle is incomplete. Retrain.")
    has_posters = any(name in listed for name in POSTER_FILES)
    if has_posters and "posters" not in manifest:
        raise BundleError(f"{path}: the manifest lists poster files but no posters section; the bundle is incomplete. "
                          "Run `movielike-train posters` again.")
    wanted = (FILES + tuple(name for name in OPTIONAL_FILES if name in listed) + (RATING_FILES if has_ratings else ())
              + (EASE_FILES if has_ease else ()) + (POSTER_FILES if has_posters else ())
              + (FAVOURITE_FILES if has_favourites else ()) + (RATING_NEIGHBOUR_FILES if has_rating_neighbours else ()))
    for name in wanted:
        if name not in listed:
            raise BundleError(f"{path}: the manifest does not list {name}; the bundle is incomplete. Retrain.")
        file_path = path / name
        if not file_path.is_file():
            raise BundleError(f"{path}: {name} is missing. Retrain, or point MOVIELIKE_MODELS at a complete bundle.")
        if file_path.stat().st_size != listed[name]["bytes"] or sha256_of(file_path) != listed[name]["sha256"]:
            raise BundleError(f"{path}: {name} does not match its checksum in the manifest (corrupt or altered). Retrain.")
    return manifest


def load_bundle(path: Path) -> Bundle:
    """Verify then load the bundle at `path`."""
    path = Path(path)
    manifest = verify(path)
    dim = int(manifest["dim"])
    film_index = AnnoyIndex(dim, "angular")
    film_index.load(str(path / "films.ann"))
    link_index = AnnoyIndex(dim, "angular")
    link_index.load(str(path / "links.ann"))
    films = json.loads((path / "films.json").read_text())
    return Bundle(
        path=path,
        manifest=manifest,
        film_vectors=np.load(path / "film_vectors.npy", mmap_mode="r"),
        link_vectors=np.load(path / "link_vectors.npy", mmap_mode="r"),
        film_index=film_index,
        link_index=link_index,
        films=films,
        link_titles=json.loads((path / "links.json").read_text()),
        link_indptr=np.load(path / "film_links_indptr.npy"),
        link_indices=np.load(path / "film_links_indices.npy"),
        popularity=np.load(path / "popularity.npy"),
        neighbours=np.asarray(np.load(path / "film_neighbours.npy", mmap_mode="r")),
        neighbour_scores=np.asarray(np.load(path / "film_neighbour_scores.npy", mmap_mode="r")),
        aliases=json.loads((path / "aliases.json").read_text()) if "aliases.json" in manifest["files"] else [],
        ratings=_load_ratings(path, manifest),
        posters=_load_posters(path, manifest, len(films["titles"])),
        favourites=_load_favourites(path, manifest, len(films["titles"])),
        genres=_load_genres(path, manifest, len(films["titles"])),
        link_kinds=_load_link_kinds(path, manifest),
    )


def _load_link_kinds(path: Path, manifest: dict) -> np.ndarray | None:
    """Each link's kinds (engine/kinds.py) when the bundle has them; BundleError when they do not fit the links."""
    if LINK_KINDS not in manifest["files"]:
        return None
    kinds = np.load(path / LINK_KINDS)
    problem = check_kinds(kinds, int(manifest["counts"]["links"]))
    if problem:
        raise BundleError(f"{path}: {problem}. Retrain with `movielike-train train`.")
    return kinds


def _load_favourites(path: Path, manifest: dict, n_films: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(shrunk biases, counts) when the bundle has crowd favourites; BundleError when they do not fit the catalogue."""
    if FAVOURITE_FILES[0] not in manifest["files"]:
        return None
    biases, counts = (np.load(path / name) for name in FAVOURITE_FILES)
    if biases.shape != (n_films,) or counts.shape != (n_films,):
        raise BundleError(f"{path}: crowd favourites {biases.shape} / {counts.shape} do not fit {n_films} films. Retrain.")
    return biases.astype(np.float32), counts.astype(np.int64)


def _load_genres(path: Path, manifest: dict, n_films: int) -> dict | None:
    """genres.json when the bundle has it; BundleError when its CSR does not fit the catalogue or its names."""
    if "genres.json" not in manifest["files"]:
        return None
    genres = json.loads((path / "genres.json").read_text())
    names = genres.get("names", [])
    indptr = np.asarray(genres.get("indptr", []), dtype=np.int64)
    indices = np.asarray(genres.get("indices", []), dtype=np.int64)
    if (len(indptr) != n_films + 1 or indptr[0] != 0 or indptr[-1] != len(indices) or np.any(np.diff(indptr) < 0)
            or (len(indices) and not 0 <= indices.min() <= indices.max() < len(names))):
        raise BundleError(f"{path}: genres.json does not fit {n_films} films and {len(names)} genre names. Retrain.")
    return {"names": [str(name) for name in names], "indptr": indptr, "indices": indices}


def _load_ratings(path: Path, manifest: dict) -> RatingArrays | None:
    """The ratings view's arrays when the bundle has them (bundles trained without ratings do not)."""
    if "rating_factors.npy" not in manifest["files"]:
        return None
    index = AnnoyIndex(int(manifest["ratings"]["dim"]), "angular")
    index.load(str(path / "ratings.ann"))
    factors = np.asarray(np.load(path / "rating_factors.npy", mmap_mode="r"))
    counts = np.load(path / "rating_counts.npy")
    return RatingArrays(
        factors=factors,
        biases=np.load(path / "rating_biases.npy"),
        counts=counts,
        alpha=float(manifest["ratings"]["alpha"]),
        fold_in_l2=float(manifest["ratings"]["fold_in_l2"]),
        index=index,
        ease=tuple(np.load(path / name) for name in EASE_FILES) if EASE_FILES[0] in manifest["files"] else None,
        neighbours=_load_rating_neighbours(path, manifest, counts),
    )


def _load_rating_neighbours(path: Path, manifest: dict, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The ratings view's stored neighbours when the bundle has them; BundleError when they do not fit its rated films."""
    if RATING_NEIGHBOUR_FILES[0] not in manifest["files"]:
        return None
    ids, scores = (np.asarray(np.load(path / name, mmap_mode="r")) for name in RATING_NEIGHBOUR_FILES)
    rated = int((counts > 0).sum())
    if (ids.ndim != 2 or ids.shape != scores.shape or ids.shape[0] != rated
            or (ids.size and not (int(ids.min()) >= 0 and int(ids.max()) < len(counts) and (counts[ids] > 0).all()))):
        raise BundleError(f"{path}: the ratings view's neighbours {ids.shape} / {scores.shape} do not fit its {rated} "
                          f"rated films of {len(counts)}. Retrain.")
    return ids, scores


def _load_posters(path: Path, manifest: dict, n_films: int) -> PosterArrays | None:
    """The poster view when the bundle has it; BundleError when its arrays do not fit together or the catalogue."""
    if POSTER_FILES[0] not in manifest["files"]:
        return None
    vectors = np.load(path / "poster_vectors.npy", mmap_mode="r")
    films = np.load(path / "poster_films.npy")
    dim = int(manifest["posters"]["dim"])
    if (vectors.ndim != 2 or vectors.shape != (len(films), dim) or films.ndim != 1 or len(np.unique(films)) != len(films)
            or (len(films) and not 0 <= int(films.min()) <= int(films.max()) < n_films)):
        raise BundleError(f"{path}: the poster view does not fit: vectors {vectors.shape}, {films.shape[0]} film ids "
                          f"(unique, below {n_films}), posters.dim {dim}. Run `movielike-train posters` again.")
    index = AnnoyIndex(dim, "angular")
    index.load(str(path / "posters.ann"))
    thumbnails = None
    if POSTER_THUMBNAILS in manifest["files"]:
        thumbnails = np.load(path / POSTER_THUMBNAILS, mmap_mode="r")
        if thumbnails.dtype != np.uint8 or thumbnails.ndim != 4 or thumbnails.shape[0] != len(films) or thumbnails.shape[3] != 3:
            raise BundleError(f"{path}: the poster thumbnails {thumbnails.shape} {thumbnails.dtype} do not fit {len(films)} "
                              "posters (uint8 RGB). Run `movielike-train posters` again.")
    return PosterArrays(vectors=np.asarray(vectors), films=films.astype(np.int64), index=index, thumbnails=thumbnails)


def write_current(models_dir: Path, version: str) -> None:
    """Make `models_dir/CURRENT` name `version`, atomically (a temporary file, fsync, then os.replace)."""
    handle, temporary = tempfile.mkstemp(prefix=".CURRENT-", dir=models_dir)
    with os.fdopen(handle, "w") as out:
        out.write(version + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, Path(models_dir) / CURRENT)


def published_versions(models_dir: Path) -> list[str]:
    """Version directories under `models_dir` (those with a manifest), oldest first: names sort by publication time."""
    try:
        entries = list(Path(models_dir).iterdir())
    except FileNotFoundError:
        return []
    return sorted(p.name for p in entries if p.is_dir() and not p.name.startswith(".") and (p / MANIFEST).exists())


def load_newest_intact(models_dir: Path, skip: str) -> Bundle | None:
    """The newest published version other than `skip` that verifies, or None: what to serve when CURRENT's is damaged."""
    for version in reversed(published_versions(models_dir)):
        if version == skip:
            continue
        try:
            return load_bundle(Path(models_dir) / version)
        except BundleError:
            continue
    return None


def load_current(models_dir: Path) -> Bundle:
    """Load the bundle CURRENT names; BundleError with the next step when there is none."""
    models_dir = Path(models_dir)
    version = current_version(models_dir)
    if version is None:
        raise BundleError(
            f"No model published in {models_dir}. Train one with `make demo` or "
            "`movielike-train train --films PATH`, or set MOVIELIKE_MODELS to where your models are."
        )
    if "/" in version or version.startswith("."):
        raise BundleError(f"{models_dir / CURRENT} names {version!r}, which is not a version directory.")
    return load_bundle(models_dir / version)
