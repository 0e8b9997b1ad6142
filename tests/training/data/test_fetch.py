"""Downloading the public data, against a loopback HTTP server laid out like the real sources."""
from __future__ import annotations

import functools
import http.server
import io
import json
import threading
import zipfile
from pathlib import Path

import pytest

from tests.conftest import data_dir
from training.data.fetch import DownloadError, fetch_cookbook_films, fetch_movielens, git_blob_sha1


@pytest.fixture()
def site(tmp_path):
    """Serve tmp_path/site on 127.0.0.1 and yield (root folder, base URL, request log)."""
    root = tmp_path / "site"
    root.mkdir()
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def movielens_zip(source: Path, tamper: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("ratings.csv", "movies.csv", "links.csv", "tags.csv", "README.txt"):
            data = (source / name).read_bytes()
            if name == tamper:
                data = data.replace(b"5.0", b"4.0", 1)
            archive.writestr(f"ml-latest-small/{name}", data)
    return buffer.getvalue()


def test_movielens_is_downloaded_verified_and_laid_out(site, tmp_path):
    root, base, requests = site
    source = data_dir() / "movielens" / "ml-latest-small"
    (root / "ml-latest-small.zip").write_bytes(movielens_zip(source))
    target = fetch_movielens(tmp_path / "data", f"{base}/ml-latest-small.zip", progress=False)
    assert (target / "ratings.csv").read_bytes() == (source / "ratings.csv").read_bytes()
    fetch_movielens(tmp_path / "data", f"{base}/ml-latest-small.zip", progress=False)
    assert requests.count("/ml-latest-small.zip") == 1, "verified files are not downloaded again"


def test_tampered_movielens_is_refused_and_nothing_kept(site, tmp_path):
    root, base, _ = site
    (root / "ml-latest-small.zip").write_bytes(movielens_zip(data_dir() / "movielens" / "ml-latest-small", tamper="ratings.csv"))
    with pytest.raises(DownloadError, match=r"ratings\.csv.*sha256"):
        fetch_movielens(tmp_path / "data", f"{base}/ml-latest-small.zip", progress=False)
    assert not (tmp_path / "data" / "movielens" / "ml-latest-small" / "ratings.csv").exists()
    (root / "broken.zip").write_bytes(b"this is not a zip")
    with pytest.raises(DownloadError, match="not a zip"):
        fetch_movielens(tmp_path / "data", f"{base}/broken.zip", progress=False)
    with pytest.raises(DownloadError, match="404"):
        fetch_movielens(tmp_path / "data", f"{base}/missing.zip", progress=False)


def test_cookbook_films_are_checked_against_the_published_git_hash(site, tmp_path):
    root, base, _ = site
    lines = (data_dir() / "films" / "films.ndjson").read_bytes().splitlines(keepends=True)[:200]
    films = b"".join(lines)
    (root / "wp_movies_10k.ndjson").write_bytes(films)
    (root / "meta.json").write_text(json.dumps({"sha": git_blob_sha1(films), "size": len(films)}))
    target = fetch_cookbook_films(tmp_path / "data", f"{base}/wp_movies_10k.ndjson", f"{base}/meta.json", progress=False)
    assert target.read_bytes() == films

    (root / "bad.json").write_text(json.dumps({"sha": "0" * 40, "size": len(films)}))
    other = tmp_path / "other"
    with pytest.raises(DownloadError, match="git hash"):
        fetch_cookbook_films(other, f"{base}/wp_movies_10k.ndjson", f"{base}/bad.json", progress=False)
    assert not (other / "films" / "films.ndjson").exists()


def test_git_blob_hash_matches_git():
    # `printf 'hello\n' | git hash-object --stdin`
    assert git_blob_sha1(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
