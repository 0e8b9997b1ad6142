"""Small models with and without page kinds (bundle part `link_kinds.npy`), for the pages-like tests: the trained
small model when it has kinds, else a copy with kinds read from the same small films file, as `train` would write."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from engine.bundle import CURRENT, LINK_KINDS, MANIFEST
from tests.models_copy import copy_current, edit_manifest, relist


def with_kinds(models_dir: Path, films_file: Path, target: Path) -> Path:
    """`models_dir` when its current bundle has page kinds, else a copy in `target` given them."""
    version = (models_dir / CURRENT).read_text().strip()
    if LINK_KINDS in json.loads((models_dir / version / MANIFEST).read_text())["files"]:
        return models_dir
    from training.data.films import read_films
    from training.publish.link_kinds import infer_link_kinds

    copy_current(models_dir, target)
    bundle = target / version
    titles = json.loads((bundle / "links.json").read_text())
    np.save(bundle / LINK_KINDS, infer_link_kinds(read_films(films_file).films, titles))
    relist(bundle, LINK_KINDS)
    return target


def without_kinds(models_dir: Path, target: Path) -> Path:
    """A copy of the current bundle as published before page kinds: no `link_kinds.npy`, none listed."""
    version = copy_current(models_dir, target)
    (target / version / LINK_KINDS).unlink(missing_ok=True)
    edit_manifest(target / version, lambda manifest: manifest["files"].pop(LINK_KINDS, None))
    return target
