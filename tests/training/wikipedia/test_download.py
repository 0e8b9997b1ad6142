"""`movielike-train download` against a loopback HTTP server laid out like the dump site (dated runs, each with a
dumpstatus.json), serving byte ranges so interrupted downloads resume."""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading
from typing import ClassVar

import pytest

from training.wikipedia.download import DumpError, download
from training.wikipedia.extract import extract


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with `Range: bytes=N-` support (416 for a start at or past the end, as real servers answer),
    recording every request's path and Range header."""

    requests: ClassVar[list[tuple[str, str | None]]] = []  # shared by the handler instances of one server

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.requests.append((self.path, self.headers.get("Range")))
        wanted = self.headers.get("Range")
        path = self.translate_path(self.path)
        if not wanted or not wanted.startswith("bytes=") or not path.endswith(".bz2"):
            return super().do_GET()
        with open(path, "rb") as handle:
            data = handle.read()
        start = int(wanted[len("bytes="):].split("-")[0])
        if start >= len(data):
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        self.wfile.write(data[start:])


@pytest.fixture()
def dump_site(tmp_path, dump):
    dump_path, index_path = dump
    root = tmp_path / "site"
    good, running = root / "enwiki" / "20261101", root / "enwiki" / "20261120"
    good.mkdir(parents=True)
    running.mkdir(parents=True)
    (root / "enwiki" / "index.html").write_text('<a href="20261101/">20261101/</a> <a href="20261120/">20261120/</a>')
    files = {}
    for source, name in ((dump_path, "enwiki-20261101-pages-articles-multistream.xml.bz2"),
                         (index_path, "enwiki-20261101-pages-articles-multistream-index.txt.bz2")):
        data = source.read_bytes()
        (good / name).write_bytes(data)
        files[name] = {"size": len(data), "url": f"/enwiki/20261101/{name}", "sha1": hashlib.sha1(data).hexdigest()}
    status = {"jobs": {"articlesmultistreamdump": {"status": "done", "files": files}}, "version": "0.8"}
    (good / "dumpstatus.json").write_text(json.dumps(status))
    (running / "dumpstatus.json").write_text(json.dumps({"jobs": {"articlesmultistreamdump": {"status": "in-progress", "files": {}}}}))
    RangeHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(RangeHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", good, status
    server.shutdown()
    server.server_close()


def test_latest_complete_run_is_downloaded_verified_and_extracts(tmp_path, dump_site):
    site, _, _ = dump_site
    dump_path, index_path = download(tmp_path / "dl", site=site, progress=False)
    assert dump_path.name == "enwiki-20261101-pages-articles-multistream.xml.bz2"  # 20261120 is still running
    assert not list((tmp_path / "dl").glob("*.part"))
    stats = extract(dump_path, tmp_path / "films.ndjson", index=index_path, workers=2, progress=False)
    assert stats.films == 96


def test_an_interrupted_download_resumes_with_a_range_request(tmp_path, dump_site):
    site, good, _ = dump_site
    name = "enwiki-20261101-pages-articles-multistream.xml.bz2"
    whole = (good / name).read_bytes()
    folder = tmp_path / "dl"
    folder.mkdir()
    (folder / (name + ".part")).write_bytes(whole[: len(whole) // 2])
    download(folder, date="20261101", site=site, progress=False)
    assert (folder / name).read_bytes() == whole
    assert (f"/enwiki/20261101/{name}", f"bytes={len(whole) // 2}-") in RangeHandler.requests


NAME = "enwiki-20261101-pages-articles-multistream.xml.bz2"


def with_part_file(tmp_path, good, content):
    """A download folder holding `content(the whole dump)` as the dump's .part file: (whole dump, folder)."""
    whole = (good / NAME).read_bytes()
    folder = tmp_path / "dl"
    folder.mkdir()
    (folder / (NAME + ".part")).write_bytes(content(whole))
    return whole, folder


def test_a_complete_part_file_is_verified_without_asking_again(tmp_path, dump_site):
    """A run stopped after the last byte but before the rename: no Range request past the end (HTTP 416)."""
    site, good, _ = dump_site
    whole, folder = with_part_file(tmp_path, good, lambda whole: whole)
    download(folder, date="20261101", site=site, progress=False)
    assert (folder / NAME).read_bytes() == whole and not (folder / (NAME + ".part")).exists()
    assert not [path for path, _ in RangeHandler.requests if path.endswith(NAME)]


def test_a_bad_part_file_of_full_length_is_downloaded_again(tmp_path, dump_site):
    site, good, _ = dump_site
    whole, folder = with_part_file(tmp_path, good, lambda whole: b"x" * len(whole))
    download(folder, date="20261101", site=site, progress=False)
    assert (folder / NAME).read_bytes() == whole
    assert (f"/enwiki/20261101/{NAME}", None) in RangeHandler.requests  # started over, whole


def test_a_server_refusing_a_resume_gets_a_whole_download(tmp_path, dump_site):
    """A .part longer than what the server now has: 416 is answered by downloading the file whole."""
    site, good, _ = dump_site
    whole, folder = with_part_file(tmp_path, good, lambda whole: whole[:10])
    (good / NAME).write_bytes(whole[:5])  # the server's copy shrank: bytes=10- is past its end
    with pytest.raises(DumpError, match="does not match"):
        download(folder, date="20261101", site=site, progress=False)
    assert (f"/enwiki/20261101/{NAME}", "bytes=10-") in RangeHandler.requests
    assert (f"/enwiki/20261101/{NAME}", None) in RangeHandler.requests


def test_a_corrupt_file_is_refused_and_deleted(tmp_path, dump_site):
    site, good, status = dump_site
    files = status["jobs"]["articlesmultistreamdump"]["files"]
    name = "enwiki-20261101-pages-articles-multistream.xml.bz2"
    files[name]["sha1"] = "0" * 40
    (good / "dumpstatus.json").write_text(json.dumps(status))
    with pytest.raises(DumpError, match="does not match its published sha1"):
        download(tmp_path / "dl", site=site, progress=False)
    assert not (tmp_path / "dl" / name).exists() and not (tmp_path / "dl" / (name + ".part")).exists()


def test_a_run_that_is_not_done_is_refused(tmp_path, dump_site):
    site, _, _ = dump_site
    with pytest.raises(DumpError, match="20261120"):
        download(tmp_path / "dl", date="20261120", site=site, progress=False)
