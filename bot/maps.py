"""`/movielike map TITLE`: the picture of a film's neighbourhood (bot/map_picture.py), drawn off the event loop within
a time budget, cached on disk per model version and film, and uploaded into the conversation with files.uploadV2.

The cache is a folder of PNGs (MOVIELIKE_MAP_CACHE, default var/cache/maps), not Redis: a picture is 75-100 KB and
depends only on the model version, so it needs no sharing guarantees, while Redis holds user state (the embedded
server writes every command to its append-only file) and should not hold blobs. The folder is bounded
(MAX_CACHE_BYTES, least recently used pictures deleted first; pictures of other model versions go when a new one is
written) and safe to share between processes (files are written under a temporary name and renamed into place).
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import blocks
from bot.map_picture import NEIGHBOURS, draw, neighbourhood
from engine import Engine, EngineError, Film

log = logging.getLogger(__name__)

DRAW_SECONDS = 6.0  # past this, a plain answer: the drawing goes on in its thread and is cached for the next ask
MAX_PENDING = 8  # drawings queued or running at once (one runs at a time); more get "busy, try again"
MAX_CACHE_BYTES = 50 * 1024 * 1024  # about 600 maps
ALT_TEXT_CHARS = 1000  # Slack's limit on a file's alt text
CANNOT_POST = {"not_in_channel", "channel_not_found", "invalid_channel", "is_archived", "restricted_action",
               "access_denied", "not_allowed_token_type"}


class MapBusy(Exception):
    """Too many maps are being drawn right now."""


class MapCache:
    """PNG bytes by (model version, film key) in one folder, at most `max_bytes` of them."""

    def __init__(self, folder: Path, max_bytes: int = MAX_CACHE_BYTES):
        self.folder = Path(folder)
        self.max_bytes = max_bytes

    def path(self, version: str, key: str) -> Path:
        name = hashlib.sha256(key.encode()).hexdigest()[:32]  # any title, even "../x", is a safe file name
        return self.folder / f"{re.sub(r'[^A-Za-z0-9._-]', '_', version)}--{name}.png"

    def get(self, version: str, key: str) -> bytes | None:
        """The cached picture, marked as just used; None when there is none."""
        path = self.path(version, key)
        try:
            data = path.read_bytes()
            os.utime(path)
        except FileNotFoundError:
            return None
        return data

    def put(self, version: str, key: str, data: bytes) -> None:
        """Store a picture (atomically), then trim the folder: older versions' pictures, then the least recently used."""
        path = self.path(version, key)
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        self.trim(version)

    def trim(self, version: str) -> None:
        """Drop pictures of versions older than `version` (versions are published timestamps: they sort in time;
        a newer version's are kept, for a bot that reloaded first or a drawing of the old version finishing late),
        then the least recently used beyond max_bytes."""
        current = self.path(version, "").name.split("--")[0]
        files = []
        for entry in self.folder.glob("*.png"):
            with contextlib.suppress(FileNotFoundError):  # another process may be trimming too
                if entry.name.split("--")[0] < current:
                    entry.unlink()
                else:
                    stat = entry.stat()
                    files.append((stat.st_mtime, stat.st_size, entry))
        total = sum(size for _, size, _ in files)
        for _, size, entry in sorted(files):
            if total <= self.max_bytes:
                break
            entry.unlink(missing_ok=True)
            total -= size


class FilmMaps:
    """Pictures of films' neighbourhoods: from the cache, else drawn on a thread of their own (one at a time: drawing
    is CPU-bound, matplotlib is safest one figure at a time, and the engine's shared thread pool stays free)."""

    def __init__(self, cache_dir: Path, draw_seconds: float = DRAW_SECONDS):
        self.cache = MapCache(cache_dir)
        self.draw_seconds = draw_seconds
        self.drawn = 0  # pictures drawn (not served from the cache) since start: tests and logs read it
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="movielike-map")
        self._pending: dict[tuple[str, str], asyncio.Future] = {}

    async def picture(self, engine: Engine, film: Film) -> bytes:
        """The PNG of `film`'s neighbourhood in the model serving now. TimeoutError past `draw_seconds` (the drawing
        finishes anyway and is cached); MapBusy when too many are queued; the drawing's own error otherwise."""
        version, key = engine.version, film.key
        cached = await asyncio.to_thread(self.cache.get, version, key)
        if cached is not None:
            return cached
        future = self._pending.get((version, key))  # asked twice at once: drawn once
        if future is None:
            if len(self._pending) >= MAX_PENDING:
                raise MapBusy
            future = asyncio.get_running_loop().run_in_executor(self._executor, self._draw, engine, film)
            self._pending[(version, key)] = future
            future.add_done_callback(lambda done: self._done((version, key), done))
        return await asyncio.wait_for(asyncio.shield(future), self.draw_seconds)

    def _done(self, pending: tuple[str, str], future: asyncio.Future) -> None:
        """Logs a drawing's error once, whether or not anyone still waits for it (past the budget nobody does)."""
        self._pending.pop(pending, None)
        error = None if future.cancelled() else future.exception()
        if error is not None:
            log.error("map of %s could not be drawn", pending[1][:80], exc_info=error)

    def _draw(self, engine: Engine, film: Film) -> bytes:
        hood = neighbourhood(engine, film)
        data = draw(hood)
        self.drawn += 1
        try:
            self.cache.put(hood.version, film.key, data)
        except OSError as error:  # a full or read-only disk costs the cache, not the picture
            log.warning("map cache %s not written: %s", self.cache.folder, error)
        return data

    def close(self) -> None:
        """Stop drawing: queued pictures are dropped, the one being drawn is finished (a fraction of a second)."""
        self._executor.shutdown(wait=True, cancel_futures=True)


async def send_map(maps: FilmMaps, engine: Engine, client: AsyncWebClient, channel: str, user: str, film: Film) -> str | None:
    """Upload the map of `film` into `channel` for `user`; None when it is there, else what to tell the user (plain,
    never a trace)."""
    try:
        png = await maps.picture(engine, film)
    except asyncio.TimeoutError:
        log.warning("map of %s took over %.0f s; answered plainly", film.key[:80], maps.draw_seconds)
        return "That map is taking longer than usual to draw. Ask again in a minute and it will be ready."
    except MapBusy:
        return "I'm drawing a lot of maps right now; please ask again in a minute."
    except Exception:  # logged once by FilmMaps
        return (f"I couldn't draw a map of {blocks.escape(film.label)}, sorry. The list of films like it still works: "
                f"`/movielike {blocks.escape(film.title)}`.")
    alt = f"A map of {film.label} and the {NEIGHBOURS} films most like it"
    # The same films named for screen readers (stored neighbours: milliseconds), unless a new model without this film
    # came in since the picture was drawn.
    with contextlib.suppress(EngineError):
        alt += ": " + ", ".join(n.label for n in await asyncio.to_thread(engine.similar, film, NEIGHBOURS))
    try:
        await client.files_upload_v2(
            channel=channel, file=png, filename="movielike-map.png", title=f"Films like {film.label}",
            alt_txt=alt[:ALT_TEXT_CHARS],
            initial_comment=f"Films like *{blocks.escape(film.label)}*, mapped for <@{user}>: the nearer two films, "
                            "the more their Wikipedia articles link to the same pages.")
    except SlackApiError as error:
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        log.warning("files.uploadV2 refused: %s", code)
        return upload_refused(code)
    except Exception as error:  # the upload URL refused the bytes (SlackRequestError), or the network failed
        log.warning("map upload failed: %s", type(error).__name__)
        return "Slack didn't take the picture just now; please try again in a moment."
    return None


def upload_refused(code: str | None) -> str:
    """What to tell someone when Slack refused the map's upload with `code`."""
    if code == "missing_scope":
        return ("I'm not allowed to upload pictures yet: this app needs the `files:write` permission. Ask an admin to "
                "update the app from its manifest and reinstall it.")
    if code in CANNOT_POST:
        return ("I can't post pictures in this conversation. Invite me with `/invite @movielike`, or ask me for the "
                "map in a direct message.")
    return f"Slack didn't take the picture (`{blocks.escape(str(code))}`); please try again in a moment."
