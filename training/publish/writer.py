"""The one way bundle files are written: into a directory being built, each file recorded so the manifest lists
its sha256 and size (the engine verifies both); the manifest itself is written to a temporary name, then renamed."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from annoy import AnnoyIndex

from engine.bundle import MANIFEST, sha256_of


def write_json_atomically(path: Path, value) -> None:
    """JSON (UTF-8, compact) to a temporary file beside `path`, then renamed over it: readers see old or new."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False, separators=(",", ":"))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class BundleWriter:
    """Writes the files of one bundle into `directory` and lists them, with checksums, in its manifest."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.files: dict[str, dict | None] = {}  # name -> its manifest entry (None: measured when finishing)

    def array(self, name: str, array: np.ndarray) -> None:
        np.save(self.directory / name, array)
        self.files[name] = None

    def json(self, name: str, value) -> None:
        write_json_atomically(self.directory / name, value)
        self.files[name] = None

    def annoy(self, name: str, vectors: np.ndarray, n_trees: int, ids: np.ndarray | None = None, seed: int = 42) -> None:
        """An angular Annoy index over `vectors` (row i as item i), or over rows `ids` only, items keeping their ids."""
        index = AnnoyIndex(vectors.shape[1], "angular")
        index.set_seed(seed)
        for item in (range(len(vectors)) if ids is None else ids):
            index.add_item(int(item), vectors[item].tolist())
        index.build(n_trees, n_jobs=-1)
        index.save(str(self.directory / name))
        index.unload()
        self.files[name] = None

    def link(self, name: str, source: Path, entry: dict) -> None:
        """Use another bundle's file as is (a symlink), with its manifest entry (already checked when it was loaded)."""
        os.symlink(Path(source).resolve(), self.directory / name)
        self.files[name] = dict(entry)

    def keep(self, name: str, source: Path, entry: dict) -> None:
        """Carry a published version's file into this one unchanged: a hard link (a copy across file systems), so
        it outlives the other version being pruned; its manifest entry comes along (already verified)."""
        try:
            os.link(source, self.directory / name)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(source, self.directory / name)
        self.files[name] = dict(entry)

    def finish(self, manifest: dict) -> dict:
        """Write the manifest: `manifest` plus the sha256 and size of every file written. Returns it."""
        files = {name: entry or {"sha256": sha256_of(self.directory / name), "bytes": (self.directory / name).stat().st_size}
                 for name, entry in self.files.items()}
        manifest = {**manifest, "files": files}
        write_json_atomically(self.directory / MANIFEST, manifest)
        return manifest
