"""Publishing to an S3-compatible object store: every file of a version, then its manifest, then CURRENT last, so a
bot that reads CURRENT always finds a complete version (see engine/remote.py for the layout and the reading side).
An upload that stops half-way leaves CURRENT naming the previous version; bots keep serving it."""
from __future__ import annotations

import json
from pathlib import Path

from engine.bundle import CURRENT, MANIFEST
from engine.remote import RemoteModels


def upload_version(remote: RemoteModels, bundle_dir: Path) -> str:
    """Upload the version in `bundle_dir` (files first, manifest last) without touching CURRENT; returns its name."""
    bundle_dir = Path(bundle_dir)
    version = bundle_dir.name
    for name in json.loads((bundle_dir / MANIFEST).read_text())["files"]:
        remote.client.upload_file(str(bundle_dir / name), remote.bucket, remote.key(version, name))
    remote.client.upload_file(str(bundle_dir / MANIFEST), remote.bucket, remote.key(version, MANIFEST))
    return version


def point_remote_current(remote: RemoteModels, version: str) -> None:
    """Make the store's CURRENT name `version` (one PUT: readers see the old or the new name, never half)."""
    remote.client.put_object(Bucket=remote.bucket, Key=remote.key(CURRENT), Body=(version + "\n").encode())


def remote_metrics(remote: RemoteModels) -> dict | None:
    """The metrics of the version the store's CURRENT names, for the retrain guard; None when nothing is there."""
    version = remote.current()
    manifest = remote.read(version, MANIFEST) if version else None
    return json.loads(manifest).get("metrics") if manifest else None
