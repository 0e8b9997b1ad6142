"""Bundles in an S3-compatible object store (MOVIELIKE_MODELS=s3://bucket/prefix): each version is mirrored into a
local cache, every file checked against the manifest's sha256 before the cache's CURRENT names it, so the engine
only ever loads verified local files (memory-mapped, as always).

Layout in the store, as the trainer publishes it: `<prefix>/<version>/<file>` for every file, then
`<prefix>/<version>/manifest.json`, then `<prefix>/CURRENT` last: a reader that sees a version in CURRENT finds it
complete. Endpoint and credentials come from the usual environment variables (AWS_ENDPOINT_URL,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION...), so any S3-compatible store works. boto3 is an
optional dependency: `pip install 'movielike[s3]'`.
"""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from engine.bundle import CURRENT, MANIFEST, current_version, published_versions, sha256_of, write_current
from engine.errors import BundleError

log = logging.getLogger(__name__)
KEEP_CACHED = 2  # cached versions kept besides the current one (a rollback needs no download)


def is_remote(location: str | Path) -> bool:
    return str(location).startswith("s3://")


def split_url(url: str) -> tuple[str, str]:
    """('bucket', 'prefix') of s3://bucket/prefix (prefix without slashes at either end; may be empty)."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise BundleError(f"{url!r} is not an s3://bucket/prefix address.")
    return parsed.netloc, parsed.path.strip("/")


def s3_client():
    """A boto3 S3 client configured from the environment (AWS_ENDPOINT_URL for a non-AWS store), with short
    timeouts: a store that does not answer must not hold a bot's worker threads for minutes."""
    try:
        import boto3
        from botocore.config import Config as ClientConfig
    except ImportError:
        raise BundleError("Models in an object store need boto3: pip install 'movielike[s3]'.") from None
    return boto3.client("s3", config=ClientConfig(connect_timeout=5, read_timeout=30,
                                                  retries={"max_attempts": 3, "mode": "standard"}))


class _Unverified(BundleError):
    """A version that downloaded but does not match its manifest: refused until CURRENT names another version."""


class RemoteModels:
    """The versions under s3://bucket/prefix, mirrored into `cache_dir` (which then looks like a local models dir)."""

    def __init__(self, url: str, cache_dir: Path, client=None):
        self.url = url
        self.bucket, self.prefix = split_url(url)
        self.cache_dir = Path(cache_dir)
        self.client = client or s3_client()
        self._refused: tuple[str, BundleError] | None = None  # a version that failed verification, and why: not
        # downloaded again (the engine logs the same error once)

    def key(self, *parts: str) -> str:
        return "/".join(part for part in (self.prefix, *parts) if part)

    def read(self, *parts: str) -> bytes | None:
        """An object's bytes, or None when there is no such object."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(*parts))["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return None
            raise BundleError(f"{self.url}: cannot read {self.key(*parts)} ({error}).") from None
        except (BotoCoreError, OSError) as error:  # unreachable, no credentials, timed out
            raise BundleError(f"{self.url} cannot be reached ({error}).") from None

    def current(self) -> str | None:
        """The version the store's CURRENT names, or None when nothing is published there."""
        data = self.read(CURRENT)
        version = data.decode("utf-8", errors="replace").strip() if data else ""
        if not version:
            return None
        if "/" in version or version.startswith("."):
            raise BundleError(f"{self.url}/{CURRENT} names {version!r}, which is not a version.")
        return version

    def sync(self) -> str:
        """Make the cache's CURRENT name the store's current version, downloading and verifying it first if it is
        not cached yet. Returns the version; BundleError when nothing is published or the version does not verify
        (the cache's CURRENT is then left as it was)."""
        version = self.current()
        if version is None:
            raise BundleError(f"No model published in {self.url}. Publish one with `movielike-train train --models "
                              f"{self.url}`.")
        if self._refused is not None and self._refused[0] == version:
            raise self._refused[1]
        if not (self.cache_dir / version / MANIFEST).is_file():
            try:
                self._download(version)
            except _Unverified as error:  # a bad version stays refused; a network failure is tried again
                self._refused = (version, error)
                raise
        if current_version(self.cache_dir) != version:
            write_current(self.cache_dir, version)
            self._prune(version)
        return version

    def _download(self, version: str) -> None:
        """Every file of `version` into a temporary folder, each checked against the manifest, then renamed in."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        manifest_bytes = self.read(version, MANIFEST)
        if manifest_bytes is None:
            raise _Unverified(f"{self.url}/{version} has no {MANIFEST}: an upload that did not finish.")
        try:
            files = json.loads(manifest_bytes)["files"]
        except (ValueError, KeyError, TypeError):
            raise _Unverified(f"{self.url}/{version}/{MANIFEST} cannot be read.") from None
        staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=self.cache_dir))
        try:
            for name, entry in files.items():
                if "/" in name or name.startswith("."):
                    raise _Unverified(f"{self.url}/{version}: the manifest lists {name!r}, which is not a file name.")
                self.client.download_file(self.bucket, self.key(version, name), str(staging / name))
                if (staging / name).stat().st_size != entry["bytes"] or sha256_of(staging / name) != entry["sha256"]:
                    raise _Unverified(f"{self.url}/{version}/{name} does not match its checksum in the manifest "
                                      "(corrupt or altered); not loading that version.")
            (staging / MANIFEST).write_bytes(manifest_bytes)
            staging.rename(self.cache_dir / version)
        except BaseException as error:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(error, BundleError):
                raise
            if isinstance(error, Exception):
                raise BundleError(f"{self.url}/{version} could not be downloaded ({error}).") from None
            raise
        log.info("downloaded and verified model %s from %s", version, self.url)

    def _prune(self, current: str) -> None:
        """Delete cached versions beyond the KEEP_CACHED newest others."""
        others = [v for v in published_versions(self.cache_dir) if v != current]
        for version in others[: max(0, len(others) - KEEP_CACHED)]:
            shutil.rmtree(self.cache_dir / version, ignore_errors=True)
