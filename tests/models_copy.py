"""Copies of the trained model under new version names: what a retrain publishes, without training again."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from engine.bundle import CURRENT, MANIFEST, sha256_of


def copy_current(models_dir: Path, target: Path) -> str:
    """Copy the version `models_dir/CURRENT` names into `target` and make it current there; returns its name."""
    from training.publish.bundle import point_current

    version = (models_dir / CURRENT).read_text().strip()
    shutil.copytree(models_dir / version, target / version)
    point_current(target, version)
    return version


def add_version(models: Path, version: str, new_name: str) -> str:
    """A copy of `version` named `new_name` (its manifest says so too), not yet current; returns `new_name`."""
    shutil.copytree(models / version, models / new_name)
    manifest = models / new_name / "manifest.json"
    manifest.write_text(manifest.read_text().replace(f'"version":"{version}"', f'"version":"{new_name}"'))
    return new_name


def copy_bundle(models_dir: Path, target: Path) -> Path:
    """copy_current, returning the copied version's directory (a bundle a test may damage or strip)."""
    return target / copy_current(models_dir, target)


def edit_manifest(bundle: Path, change) -> None:
    """Apply `change` to a bundle's manifest (a dict) and write it back."""
    path = bundle / MANIFEST
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def relist(bundle: Path, name: str) -> None:
    """Record a file written into a bundle on purpose in its manifest, with its size and checksum, so the bundle
    verifies and only what the file holds is on trial."""
    entry = {"sha256": sha256_of(bundle / name), "bytes": (bundle / name).stat().st_size}
    edit_manifest(bundle, lambda manifest: manifest["files"].__setitem__(name, entry))
