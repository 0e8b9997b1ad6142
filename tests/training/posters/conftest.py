"""A loopback HTTP server serving real poster JPEGs (the one fake these tests allow), recording every request."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import data_dir

POSTERS = data_dir() / "posters" / "ml_movieid_jpg"  # 300 real posters named by MovieLens id


@dataclass
class Seen:
    path: str
    user_agent: str
    at: float  # time.monotonic() when the server read the request


@dataclass
class PosterServer:
    """GET /p/<MovieLens id>.jpg: the poster. /missing.jpg: 404. /page.jpg: an HTML page. /busy.jpg: 429 with
    Retry-After: 1 the first time, then the poster. /always-busy.jpg: 429, Retry-After: 0. /far.jpg: 429, Retry-After:
    3600. /flaky.jpg: 503 without Retry-After the first time, then the poster."""

    url: str
    seen: list[Seen] = field(default_factory=list)

    def requests_for(self, path: str) -> list[Seen]:
        return [request for request in self.seen if request.path == path]


def _handler(server_state: PosterServer, lock: threading.Lock):
    answered: dict[str, int] = {}
    poster = (POSTERS / "1.jpg").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                server_state.seen.append(Seen(self.path, self.headers.get("User-Agent", ""), time.monotonic()))
                answered[self.path] = answered.get(self.path, 0) + 1
                count = answered[self.path]
            if self.path.startswith("/p/") and (POSTERS / Path(self.path).name).is_file():
                self._send(200, (POSTERS / Path(self.path).name).read_bytes(), "image/jpeg")
            elif self.path == "/page.jpg":
                self._send(200, b"<html>not a poster</html>", "text/html")
            elif self.path == "/busy.jpg" and count == 1:
                self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            elif self.path == "/always-busy.jpg":
                self._send(429, b"slow down", "text/plain", {"Retry-After": "0"})
            elif self.path == "/far.jpg":
                self._send(429, b"come back in an hour", "text/plain", {"Retry-After": "3600"})
            elif self.path == "/flaky.jpg" and count == 1:
                self._send(503, b"busy", "text/plain")
            elif self.path in ("/busy.jpg", "/flaky.jpg"):
                self._send(200, poster, "image/jpeg")
            else:
                self._send(404, b"no such poster", "text/plain")

        def _send(self, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # keep the test output quiet
            pass

    return Handler


@pytest.fixture
def poster_server():
    state = PosterServer("")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, threading.Lock()))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
