"""Fetch the public data when no local copy exists: MovieLens ml-latest-small and the Cookbook's wp_movies_10k.

Every file is checked before it is kept: the MovieLens files against their known sha256, the Cookbook file against
the git blob hash GitHub publishes for it. Downloads go to a temporary name and are renamed into place.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

MOVIELENS_URL = "https://files.grouplens.org/datasets/movielens/ml-latest-small.zip"
COOKBOOK_URL = "https://raw.githubusercontent.com/DOsinga/deep_learning_cookbook/master/data/wp_movies_10k.ndjson"
COOKBOOK_META_URL = "https://api.github.com/repos/DOsinga/deep_learning_cookbook/contents/data/wp_movies_10k.ndjson"

# sha256 of the official ml-latest-small files (generated 2018-09-26).
MOVIELENS_FILES = {
    "ratings.csv": "aa289ca83157595d0df6aea1be6a4ded676ddc4385472e8313a8ed9805352646",
    "movies.csv": "5a5f32dd9bb3797b8e728a1b98958789d2b13f294a69fdfbc5727f8a9611aa07",
    "links.csv": "97ad18e4e56a09363c65676b6cb3482ce3e2cea2372a24620c1599c843325f31",
    "tags.csv": "92a9f8bb7916dceef6151209845788c3643f794dfa79d1feaec7121b5960399d",
    "README.txt": "63d22ac138e80fae37021797ed8e1b9424b5239dc576a137422adf783ae3f404",
}
TIMEOUT_SECONDS = 60
USER_AGENT = "movielike-train (+https://github.com/)"


class DownloadError(Exception):
    """A download failed or did not match its checksum; nothing partial was kept."""


def _get(url: str, label: str, progress: bool = True) -> bytes:
    """GET `url` whole into memory with a progress bar (these files are at most tens of MB)."""
    from tqdm.auto import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            buffer = io.BytesIO()
            with tqdm(total=total, unit="B", unit_scale=True, desc=label, disable=not progress) as bar:
                for block in iter(lambda: response.read(1 << 16), b""):
                    buffer.write(block)
                    bar.update(len(block))
            return buffer.getvalue()
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{url} answered HTTP {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise DownloadError(f"could not download {url}: {getattr(error, 'reason', error)}") from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` under a temporary name beside `path`, then rename it into place: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_blob_sha1(data: bytes) -> str:
    """The hash git (and GitHub's contents API) gives a file: sha1 of 'blob <size>\\0' + content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def fetch_movielens(data_dir: Path, url: str = MOVIELENS_URL, progress: bool = True) -> Path:
    """ml-latest-small into data_dir/movielens/ml-latest-small/, each file checked against its sha256."""
    target = Path(data_dir) / "movielens" / "ml-latest-small"
    if all((target / name).is_file() and sha256_bytes((target / name).read_bytes()) == digest
           for name, digest in MOVIELENS_FILES.items()):
        return target
    archive = _get(url, "ml-latest-small.zip", progress)
    try:
        members = zipfile.ZipFile(io.BytesIO(archive))
    except zipfile.BadZipFile:
        raise DownloadError(f"{url} is not a zip archive (corrupt or not MovieLens)") from None
    contents = {}
    for name, digest in MOVIELENS_FILES.items():
        try:
            data = members.read(f"ml-latest-small/{name}")
        except KeyError:
            raise DownloadError(f"{url} has no ml-latest-small/{name}") from None
        if sha256_bytes(data) != digest:
            raise DownloadError(f"ml-latest-small/{name} from {url} does not match its sha256; refusing it")
        contents[name] = data
    for name, data in contents.items():
        write_atomically(target / name, data)
    return target


def fetch_cookbook_films(data_dir: Path, url: str = COOKBOOK_URL, meta_url: str = COOKBOOK_META_URL,
                         progress: bool = True) -> Path:
    """The Cookbook's 10,000 films with their links into data_dir/films/films.ndjson, checked against git's hash."""
    target = Path(data_dir) / "films" / "films.ndjson"
    try:
        meta = json.loads(_get(meta_url, "checksum", progress=False))
        expected, size = meta["sha"], int(meta["size"])
    except (ValueError, KeyError, TypeError):
        raise DownloadError(f"{meta_url} did not give the file's git hash and size") from None
    if target.is_file() and git_blob_sha1(target.read_bytes()) == expected:
        return target
    data = _get(url, "wp_movies_10k.ndjson", progress)
    if len(data) != size or git_blob_sha1(data) != expected:
        raise DownloadError(f"{url} does not match the published git hash {expected}; refusing it")
    write_atomically(target, data)
    return target


def fetch_all(data_dir: Path, progress: bool = True) -> list[Path]:
    """Everything `make demo` needs when there is no local data."""
    return [fetch_cookbook_films(data_dir, progress=progress), fetch_movielens(data_dir, progress=progress)]
