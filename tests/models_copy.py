"""Copies of the trained model under new version names: what a retrain publishes, without training again."""
from __future__ import annotations

import shutil
from pathlib import Path

from engine.bundle import CURRENT


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
